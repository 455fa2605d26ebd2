package io.jgnet.bench.matrix;

import static io.jgnet.bench.matrix.Fixtures.ECHO;
import static io.jgnet.bench.matrix.Fixtures.HTTP;
import static io.jgnet.bench.matrix.Fixtures.IDLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jgnet.bench.matrix.MatrixResults.Metric;
import io.jgnet.bench.matrix.MatrixResults.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixResultsTest {

    private final MatrixResults results = Fixtures.typical();

    private Summary of(Workload w, String kind) {
        return results.summaries(w).stream().filter(s -> s.kind().name().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void mediansAreOverTheCompletedRoundsOnly() {
        Summary jgnet = of(ECHO, "jgnet-epoll");
        assertThat(jgnet.completed()).isEqualTo(2);
        assertThat(jgnet.failed()).isEqualTo(1);
        assertThat(jgnet.of(Metric.CPU_MICROS).median()).isCloseTo(9.0, within(0.01)); // rounds 1 and 3: 8 and 10
        assertThat(jgnet.state()).startsWith("1 of 3 runs failed: server jgnet-epoll");
    }

    @Test
    void eachFigureIsDividedByTheBestNettyKindForThatFigure() {
        assertThat(results.base(ECHO, Metric.REQUESTS_PER_SECOND)).map(ServerKind::name).hasValue("netty-epoll");
        assertThat(results.base(ECHO, Metric.ALLOC_BYTES)).map(ServerKind::name).hasValue("netty-epoll");
        Summary jgnet = of(ECHO, "jgnet-epoll");
        assertThat(jgnet.of(Metric.REQUESTS_PER_SECOND).ratio()).isCloseTo(1.10, within(1e-9));
        assertThat(jgnet.of(Metric.CPU_MICROS).ratio()).isCloseTo(9.0 / 12.0, within(0.01));
        assertThat(of(ECHO, "netty-epoll").of(Metric.CPU_MICROS).ratio()).isEqualTo(1.0);
        assertThat(of(ECHO, "c-epoll").of(Metric.ALLOC_BYTES).ratio()).isNaN();
    }

    @Test
    void theSpreadIsTheLowestAndHighestPerRoundRatioAgainstTheBaseInTheSameRound() {
        Summary jgnet = of(ECHO, "jgnet-epoll");
        // Round 1: 8 / 11; round 3: 10 / 13.
        assertThat(jgnet.of(Metric.CPU_MICROS).low()).isCloseTo(8.0 / 11, within(0.01));
        assertThat(jgnet.of(Metric.CPU_MICROS).high()).isCloseTo(10.0 / 13, within(0.01));
        Summary http = of(HTTP, "jgnet-epoll");
        assertThat(http.of(Metric.CPU_MICROS).low()).isCloseTo(0.8 / 1.3, within(0.01));
        assertThat(http.of(Metric.CPU_MICROS).high()).isCloseTo(0.8 / 1.1, within(0.01));
    }

    @Test
    void aReferenceKindIsNeverTheBaseEvenWhenItIsCheaper() {
        assertThat(results.base(HTTP, Metric.CPU_MICROS)).map(ServerKind::name).hasValue("netty-epoll");
        assertThat(of(HTTP, "netty-codec").of(Metric.CPU_MICROS).ratio()).isCloseTo(0.5 / 1.2, within(0.01));
        assertThat(results.base(ECHO, Metric.CPU_MICROS)).map(ServerKind::name).hasValue("netty-epoll");
    }

    @Test
    void anUnavailableKindIsAGapWithItsReasonAndIdleHasItsOwnRatio() {
        Summary uring = of(ECHO, "netty-io_uring");
        assertThat(uring.hasFigures()).isFalse();
        assertThat(uring.state()).isEqualTo("unavailable: io_uring: kernel says ENOSYS");
        assertThat(results.failures()).hasSize(1);
        assertThat(of(IDLE, "jgnet-epoll").of(Metric.IDLE_BYTES).ratio()).isCloseTo(0.4, within(1e-9));
        assertThat(results.summaries(IDLE)).extracting(s -> s.kind().name()).containsExactly("jgnet-epoll", "netty-nio",
                "netty-epoll", "netty-io_uring", "c-epoll");
    }

    @Test
    void ratiosNeedABaseAboveTheSmallestAndAMedianIsTheMiddle() {
        assertThat(MatrixResults.ratio(5, 0.5, 1.0)).isNaN();
        assertThat(MatrixResults.ratio(0, 0, 0)).isEqualTo(1.0);
        assertThat(MatrixResults.ratio(1, 0, 0)).isInfinite();
        assertThat(MatrixResults.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(MatrixResults.median(List.of(4.0, 1.0))).isEqualTo(2.5);
        assertThat(MatrixResults.median(List.of())).isNaN();
    }
}
