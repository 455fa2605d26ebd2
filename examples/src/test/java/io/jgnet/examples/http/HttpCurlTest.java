package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.examples.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example server as curl (Debian package curl) sees it. Skipped without curl unless CI=true. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpCurlTest {
    /** A bound on each curl run, far above what a loopback request takes. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static HttpTestServer server;
    private static Path curl;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        curl = PeerTools.require("curl", "curl");
        server = HttpTestServer.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void curlGetsPlaintextWithItsHeaders() throws Exception {
        PeerTools.Result result = curl("-sS", "-i", server.uri("/plaintext").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout())
                .startsWith("HTTP/1.1 200 OK\r\n")
                .contains("\r\nServer: jgnet\r\n", "\r\nContent-Type: text/plain\r\n", "\r\nContent-Length: 13\r\n")
                .containsPattern("\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n")
                .endsWith("\r\n\r\nHello, World!");
    }

    @Test
    void curlUploadsAChunkedBodyAndGetsItBack() throws Exception {
        byte[] body = new byte[200_000];
        new Random(11).nextBytes(body);
        Path upload = Files.write(dir.resolve("upload.bin"), body);
        Path download = dir.resolve("download.bin");
        PeerTools.Result result = curl("-sS", "--http1.1", "-H", "Transfer-Encoding: chunked",
                "--data-binary", "@" + upload, "-o", download.toString(), "-w", "%{http_code}",
                server.uri("/echo").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).isEqualTo("200");
        assertThat(Files.readAllBytes(download)).isEqualTo(body);
    }

    @Test
    void curlReusesOneConnectionForTwoRequests() throws Exception {
        String url = server.uri("/plaintext").toString();
        PeerTools.Result result = curl("-sS", "-v", url, url);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).isEqualTo("Hello, World!Hello, World!");
        assertThat(result.stderr()).as(result.output()).contains("Re-using existing connection");
    }

    private PeerTools.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "--max-time", "20"));
        command.addAll(List.of(args));
        return PeerTools.run(dir, BOUND, command);
    }
}
