package io.jgnet.bench.harness;

import static io.jgnet.bench.harness.Fixtures.C_EPOLL;
import static io.jgnet.bench.harness.Fixtures.ECHO;
import static io.jgnet.bench.harness.Fixtures.HTTP;
import static io.jgnet.bench.harness.Fixtures.IDLE;
import static io.jgnet.bench.harness.Fixtures.JGNET_EPOLL;
import static io.jgnet.bench.harness.Fixtures.JGNET_NIO;
import static io.jgnet.bench.harness.Fixtures.NETTY_EPOLL;
import static io.jgnet.bench.harness.Fixtures.NETTY_IO_URING;
import static io.jgnet.bench.harness.Fixtures.NETTY_NIO;
import static io.jgnet.bench.harness.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatrixResultsTest {

    private static KindSummary summary(MatrixResults results, Workload w, ServerKind kind) {
        return results.summaries(w).stream().filter(s -> s.kind().name().equals(kind.name())).findFirst().orElseThrow();
    }

    @Test
    void medianOverRoundsIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        MatrixResults odd = Fixtures.results(List.of(ECHO), List.of(JGNET_EPOLL), List.of(
                run(ECHO, JGNET_EPOLL, 1, 300_000, 5, 0), run(ECHO, JGNET_EPOLL, 2, 100_000, 5, 0),
                run(ECHO, JGNET_EPOLL, 3, 200_000, 5, 0)));
        assertThat(summary(odd, ECHO, JGNET_EPOLL).median(Metric.REQUESTS_PER_SECOND)).isEqualTo(200_000);

        MatrixResults even = Fixtures.results(List.of(ECHO), List.of(JGNET_EPOLL), List.of(
                run(ECHO, JGNET_EPOLL, 1, 300_000, 5, 0), run(ECHO, JGNET_EPOLL, 2, 100_000, 5, 0)));
        assertThat(summary(even, ECHO, JGNET_EPOLL).median(Metric.REQUESTS_PER_SECOND)).isEqualTo(200_000);
    }

    @Test
    void cpuPerRequestAndItsUserAndSystemPartsComeFromTheRunResult() {
        MatrixResults r = Fixtures.results(List.of(ECHO), List.of(JGNET_EPOLL), List.of(run(ECHO, JGNET_EPOLL, 1, 100_000, 8, 0)));
        KindSummary s = summary(r, ECHO, JGNET_EPOLL);
        assertThat(s.median(Metric.CPU_MICROS)).isCloseTo(8, within(1e-9));
        assertThat(s.median(Metric.USER_MICROS)).isCloseTo(2, within(1e-9));
        assertThat(s.median(Metric.SYSTEM_MICROS)).isCloseTo(6, within(1e-9));
        assertThat(s.median(Metric.P99_MICROS)).isEqualTo(200);
        assertThat(s.median(Metric.ALLOC_BYTES)).isCloseTo(0, within(1e-9));
    }

    @Test
    void eachFigureIsComparedWithTheNettyKindThatIsBestInThatFigure() {
        // netty-epoll has the higher rate, netty-nio the lower CPU per request: each is "best" for its own figure.
        MatrixResults r = Fixtures.results(List.of(ECHO), List.of(JGNET_EPOLL, NETTY_NIO, NETTY_EPOLL), List.of(
                run(ECHO, JGNET_EPOLL, 1, 150_000, 6, 10),
                run(ECHO, NETTY_NIO, 1, 50_000, 8, 40),
                run(ECHO, NETTY_EPOLL, 1, 100_000, 12, 20)));
        KindSummary jgnet = summary(r, ECHO, JGNET_EPOLL);
        assertThat(r.nettyBest(ECHO, Metric.REQUESTS_PER_SECOND).orElseThrow().kind()).isEqualTo(NETTY_EPOLL);
        assertThat(r.nettyBest(ECHO, Metric.CPU_MICROS).orElseThrow().kind()).isEqualTo(NETTY_NIO);
        assertThat(r.nettyBest(ECHO, Metric.ALLOC_BYTES).orElseThrow().kind()).isEqualTo(NETTY_EPOLL);
        assertThat(jgnet.ratio(Metric.REQUESTS_PER_SECOND)).isCloseTo(1.5, within(1e-9));
        assertThat(jgnet.ratio(Metric.CPU_MICROS)).isCloseTo(0.75, within(1e-9));
        assertThat(jgnet.ratio(Metric.ALLOC_BYTES)).isCloseTo(0.5, within(1e-9));
        assertThat(summary(r, ECHO, NETTY_NIO).ratio(Metric.CPU_MICROS)).isCloseTo(1.0, within(1e-9));
        assertThat(summary(r, ECHO, NETTY_NIO).ratio(Metric.REQUESTS_PER_SECOND)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void withoutANettyKindThereAreFiguresButNoRatios() {
        MatrixResults r = Fixtures.results(List.of(ECHO), List.of(JGNET_EPOLL, NETTY_EPOLL), List.of(
                run(ECHO, JGNET_EPOLL, 1, 150_000, 6, 10),
                Run.failed(ECHO.name(), NETTY_EPOLL.name(), 1, "crashed")));
        KindSummary jgnet = summary(r, ECHO, JGNET_EPOLL);
        assertThat(jgnet.median(Metric.REQUESTS_PER_SECOND)).isEqualTo(150_000);
        assertThat(jgnet.ratio(Metric.REQUESTS_PER_SECOND)).isNaN();
        assertThat(r.nettyBest(ECHO, Metric.CPU_MICROS)).isEmpty();
    }

    @Test
    void aReferenceKindIsNeverTheReferenceEvenWhenItIsBest() {
        MatrixResults r = Fixtures.results(List.of(ECHO), List.of(NETTY_EPOLL, C_EPOLL), List.of(
                run(ECHO, NETTY_EPOLL, 1, 100_000, 10, 20), run(ECHO, C_EPOLL, 1, 200_000, 5, Double.NaN)));
        assertThat(r.nettyBest(ECHO, Metric.CPU_MICROS).orElseThrow().kind()).isEqualTo(NETTY_EPOLL);
        assertThat(summary(r, ECHO, C_EPOLL).ratio(Metric.CPU_MICROS)).isCloseTo(0.5, within(1e-9));
        assertThat(summary(r, ECHO, C_EPOLL).median(Metric.ALLOC_BYTES)).as("c-epoll does not answer ALLOC").isNaN();
    }

    @Test
    void anUnavailableKindIsAGapWithItsReasonNotAFailure() {
        MatrixResults r = Fixtures.typical();
        KindSummary uring = summary(r, ECHO, NETTY_IO_URING);
        assertThat(uring.hasFigures()).isFalse();
        assertThat(uring.state()).isEqualTo("unavailable: io_uring: kernel says ENOSYS");
        assertThat(summary(r, HTTP, NETTY_IO_URING).state()).as("skipped for the rest of the run").startsWith("unavailable");
        assertThat(r.failures()).extracting(Run::kind).doesNotContain(NETTY_IO_URING.name());
    }

    @Test
    void aFailedRunIsLeftOutOfTheMedianAndListedAsAFailure() {
        MatrixResults r = Fixtures.typical();
        KindSummary nio = summary(r, ECHO, JGNET_NIO);
        // rounds 1 and 3 completed at 10 and 12 us/request; round 2 failed.
        assertThat(nio.completed()).isEqualTo(2);
        assertThat(nio.failed()).isEqualTo(1);
        assertThat(nio.median(Metric.CPU_MICROS)).isCloseTo(11, within(1e-6));
        assertThat(nio.state()).startsWith("1 of 3 runs failed: server jgnet-nio");
        assertThat(r.failures()).singleElement().satisfies(f -> assertThat(f.round()).isEqualTo(2));
    }

    @Test
    void aRunWithErrorsCountsAsFailed() {
        Run withErrors = Run.measured(ECHO.name(), Fixtures.result(JGNET_EPOLL, 1, 100_000, 8, 3), 0, 10);
        assertThat(withErrors.status()).isEqualTo(Run.Status.FAILED);
        assertThat(withErrors.note()).isEqualTo("errors=3 mismatches=0");
        MatrixResults r = Fixtures.results(List.of(ECHO), List.of(JGNET_EPOLL), List.of(withErrors));
        assertThat(summary(r, ECHO, JGNET_EPOLL).state()).isEqualTo("FAILED: errors=3 mismatches=0");
        assertThat(summary(r, ECHO, JGNET_EPOLL).median(Metric.REQUESTS_PER_SECOND)).isNaN();
    }

    @Test
    void idleMemoryIsTheGrowthOfTheResidentSetPerConnectionAndLessIsBetter() {
        MatrixResults r = Fixtures.typical();
        KindSummary jgnet = summary(r, IDLE, JGNET_EPOLL);
        assertThat(jgnet.median(Metric.IDLE_BYTES)).isEqualTo(1_000);
        assertThat(jgnet.ratio(Metric.IDLE_BYTES)).isCloseTo(0.4, within(1e-9));
        assertThat(jgnet.median(Metric.CPU_MICROS)).isNaN();
    }

    @Test
    void idleMemoryAddsTheHeapsGrowthToTheResidentSetsWhichAPreTouchedHeapDoesNotShow() {
        // 10 MB more resident (native: socket buffers, direct memory), 5 MB more live heap.
        Run.Idle jvm = new Run.Idle(1_000, 300_000_000, 310_000_000, 2_000_000, 7_000_000);
        assertThat(jvm.bytesPerConnection()).isEqualTo(15_000);
        // A server with no heap (the C reference) reports none: its resident set is everything.
        Run.Idle c = new Run.Idle(1_000, 1_000_000, 3_000_000, 0, 0);
        assertThat(c.bytesPerConnection()).isEqualTo(2_000);
        assertThat(new Run.Idle(0, 1, 2, 3, 4).bytesPerConnection()).isNaN();
    }

    @Test
    void aKindOnlyAppearsUnderTheWorkloadsWhoseProtocolItServes() {
        MatrixResults r = Fixtures.typical();
        assertThat(r.summaries(ECHO)).extracting(s -> s.kind().name()).contains("c-epoll");
        assertThat(r.summaries(HTTP)).extracting(s -> s.kind().name()).doesNotContain("c-epoll")
                .containsExactly("jgnet-nio", "jgnet-epoll", "netty-nio", "netty-epoll", "netty-io_uring");
    }

    @Test
    void aZeroBestMakesZeroEqualAndAnythingMoreUnboundedlyWorse() {
        assertThat(MatrixResults.ratio(0, 0, 0)).isEqualTo(1.0);
        assertThat(MatrixResults.ratio(5, 0, 0)).isInfinite();
        assertThat(MatrixResults.ratio(Double.NaN, 3, 0)).isNaN();
    }

    @Test
    void noAllocationRatioIsTakenToABestUnderOneBytePerRequest() {
        double floor = Metric.ALLOC_BYTES.smallestReference;
        assertThat(MatrixResults.ratio(72, 0.02, floor)).isNaN();
        assertThat(MatrixResults.ratio(0, 0, floor)).isNaN();
        assertThat(MatrixResults.ratio(5, 2, floor)).isEqualTo(2.5);
        assertThat(MatrixResults.ratio(5, 0.02, Metric.CPU_MICROS.smallestReference)).isEqualTo(250);
        assertThat(MatrixResults.median(List.of())).isNaN();
    }

    @Test
    void unavailableKindsAreKeptWithTheirReasons() {
        MatrixResults r = Fixtures.results(List.of(ECHO), List.of(NETTY_IO_URING), List.of(), Map.of("netty-io_uring", "no"));
        assertThat(r.unavailable()).containsEntry("netty-io_uring", "no");
        assertThat(summary(r, ECHO, NETTY_IO_URING).state()).isEqualTo("unavailable: no");
    }
}
