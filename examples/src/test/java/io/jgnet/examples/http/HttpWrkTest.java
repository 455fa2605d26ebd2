package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.examples.PeerTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * wrk (Debian package wrk) pipelining 16 plaintext requests per write on 50 connections for two
 * seconds: a load test of correctness, not speed. Skipped without wrk unless CI=true.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpWrkTest {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private HttpTestServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void wrkPipeliningPlaintextSeesNoErrors() throws Exception {
        Path wrk = PeerTools.require("wrk", "wrk");
        Path script = Path.of(HttpWrkTest.class.getResource("/io/jgnet/examples/http/wrk-pipeline.lua").toURI());
        server = HttpTestServer.start();
        // -d bounds wrk's own run; the process bound only catches a hung wrk.
        PeerTools.Result result = PeerTools.run(dir, Duration.ofSeconds(60), List.of(wrk.toString(),
                "-t1", "-c50", "-d2s", "-s", script.toString(), server.uri("/plaintext").toString()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).as(result.output()).doesNotContain("Non-2xx", "Socket errors");
        Matcher requests = REQUESTS.matcher(result.stdout());
        assertThat(requests.find()).as(result.output()).isTrue();
        assertThat(Long.parseLong(requests.group(1))).as(result.output()).isPositive();
    }
}
