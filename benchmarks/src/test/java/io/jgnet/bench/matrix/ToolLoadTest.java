package io.jgnet.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the matrix reads from wrk's and redis-benchmark's output (as wrk 4.2 and redis-benchmark 7.0 print it). */
class ToolLoadTest {

    @Test
    void wrkGivesRequestsTheirSecondsPercentilesAndFailures() throws Exception {
        Measurer.Result p = ToolLoad.parse(List.of("Running 1s test @ http://127.0.0.1:39035/plaintext",
                "  1 threads and 100 connections", "  Latency Distribution", "     50%   42.35ms", "     75%   79.11ms",
                "     99%  310.00us", "  27408 requests in 1.01s, 3.40MB read",
                "  Socket errors: connect 0, read 2, write 1, timeout 0", "  Non-2xx or 3xx responses: 7",
                "Requests/sec:  27227.67"), 0, 0);
        assertThat(p.requests()).isEqualTo(27408);
        assertThat(p.seconds()).isCloseTo(1.01, within(1e-9));
        assertThat(p.p50()).isCloseTo(42_350, within(1e-6));
        assertThat(p.p99()).isCloseTo(310, within(1e-9));
        assertThat(p.errors()).isEqualTo(3);
        assertThat(p.mismatches()).isEqualTo(7);
    }

    @Test
    void redisBenchmarkGivesEachTestsRateAfterItsProgressLines() throws Exception {
        Measurer.Result p = ToolLoad.parse(List.of(
                " SET: rps=0.0 (overall: -nan) avg_msec=-nan (overall: -nan)\r SET: 250000.00 requests per second, p50=0.335 msec",
                " GET: 500000.00 requests per second, p50=0.287 msec", ""), 10_000, 0);
        assertThat(p.requests()).isEqualTo(20_000);
        assertThat(p.seconds()).isCloseTo(0.04 + 0.02, within(1e-9));
        assertThat(p.p50()).isCloseTo(287, within(1e-6));
        assertThat(p.p99()).isNaN();
        assertThat(p.errors() + p.mismatches()).isZero();
    }

    @Test
    void theFileWorkloadCountsFilesWorthOfBytesReadNotCompletedResponses() throws Exception {
        List<String> output = List.of("Running 5s test @ http://127.0.0.1:36225/big.bin", "  1 threads and 4 connections",
                "     50%    1.20s", "  3 requests in 5.02s, 448.00MB read", "Requests/sec:      0.60");
        Measurer.Result p = ToolLoad.parse(output, 0, 64 << 20);
        assertThat(p.requests()).as("448 MB is 7 files of 64 MiB").isEqualTo(7);
        assertThat(p.seconds()).isCloseTo(5.02, within(1e-9));
        assertThat(ToolLoad.parse(output, 0, 0).requests()).as("other workloads count responses").isEqualTo(3);
        assertThat(ToolLoad.serves(Workload.named("file"))).isTrue();
    }

    @Test
    void anOutputWithoutAResultIsAFailureQuotingIt() {
        assertThatThrownBy(() -> ToolLoad.parse(List.of("unable to connect to 127.0.0.1:1 Connection refused"), 0, 0))
                .hasMessageContaining("no result").hasMessageContaining("Connection refused");
        assertThat(ToolLoad.serves(Workload.named("http-p16"))).isTrue();
        assertThat(ToolLoad.serves(Workload.named("resp"))).isTrue();
        assertThat(ToolLoad.serves(Workload.named("frame-line-64"))).isFalse();
    }
}
