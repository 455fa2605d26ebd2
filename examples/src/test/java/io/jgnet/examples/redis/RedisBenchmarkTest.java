package io.jgnet.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.examples.PeerTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** redis-benchmark (Debian package redis-tools) runs its pipelined tests against the server without an error. */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisBenchmarkTest {

    @Test
    void pipelinedBenchmarkCompletesEveryTestWithoutErrors() throws Exception {
        Path benchmark = PeerTools.require("redis-benchmark", "redis-tools");
        try (TestRedis redis = TestRedis.start()) {
            // -n bounds the work: 6 tests x 20,000 requests, pipelined 16 deep, on 50 connections.
            PeerTools.Result result = PeerTools.run(Duration.ofSeconds(150), List.of(benchmark.toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(redis.port()),
                    "-t", "ping,set,get,incr,mset", "-P", "16", "-n", "20000", "-q"));
            assertThat(result.exitCode()).as(result.output()).isZero();
            // -q rewrites a progress line with '\r'; the last state of each line is its result.
            List<String> results = result.output().lines()
                    .map(line -> line.substring(line.lastIndexOf('\r') + 1).strip())
                    .filter(line -> line.contains("requests per second"))
                    .toList();
            assertThat(results).as(result.output()).hasSize(6);
            for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)")) {
                assertThat(results).as(result.output()).anyMatch(line -> line.startsWith(test + ": "));
            }
            assertThat(result.output()).doesNotContain("ERR").doesNotContainIgnoringCase("error");
        }
    }
}
