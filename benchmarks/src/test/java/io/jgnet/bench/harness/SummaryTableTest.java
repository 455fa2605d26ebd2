package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    private final String text = SummaryTable.render(Fixtures.typical());
    private final List<String> lines = text.lines().toList();

    private String line(String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(
                "no line starting with '" + start + "' in\n" + text));
    }

    @Test
    void eachWorkloadHasATitleLineDescribingItsLoad() {
        assertThat(lines).contains("echo-64  100 conns  64 B", "http-p16  100 conns  pipeline 16  GET /plaintext",
                "idle  1000 idle conns, server memory per connection");
    }

    @Test
    void aRowHoldsTheMediansWithTheirRatiosToNettysBest() {
        // jgnet-epoll: 110k req/s against netty-epoll's 100k; 9 us/req (median of 8, 9, 10) against 12; no allocation.
        assertThat(line("jgnet-epoll").split("\\s+")).containsExactly(
                "jgnet-epoll", "110000", "1.10", "9.00", "0.75", "2.25", "6.75", "100.0", "200.0", "300.0", "0.0", "0.00");
        assertThat(line("netty-epoll").split("\\s+")).startsWith("netty-epoll", "100000", "1.00", "12.00", "1.00");
    }

    @Test
    void columnsLineUpUnderTheirHeadings() {
        String header = lines.get(1);
        String row = line("jgnet-epoll");
        assertThat(header).startsWith("kind ");
        assertThat(row.indexOf("110000") + "110000".length()).isEqualTo(header.indexOf("req/s") + "req/s".length());
        assertThat(row.indexOf("9.00") + "9.00".length()).isEqualTo(header.indexOf("CPU us/req") + "CPU us/req".length());
        assertThat(header).contains("x netty", "user", "sys", "p50 us", "p99 us", "p99.9 us", "alloc B/req");
    }

    @Test
    void unavailableAndFailedKindsSayWhy() {
        assertThat(line("netty-io_uring")).contains("unavailable: io_uring: kernel says ENOSYS");
        assertThat(line("jgnet-nio")).contains("1 of 3 runs failed: server jgnet-nio (pid 1): ended before READY line"
                + " | Caused by: boom");
    }

    @Test
    void theReferenceKindsOfTheRatiosAreNamed() {
        assertThat(text).contains("x netty is relative to Netty's best: req/s netty-epoll, CPU us/req netty-epoll");
    }

    @Test
    void theIdleTableShowsBytesPerConnection() {
        String idle = text.substring(text.indexOf("idle  1000"));
        assertThat(idle.lines().skip(1).findFirst().orElseThrow()).contains("conns", "B/conn", "x netty");
        assertThat(idle).containsPattern("jgnet-epoll +1000 +1000 +0\\.40");
        assertThat(idle).containsPattern("netty-epoll +1000 +2500 +1\\.00");
    }

    @Test
    void aRunRowShowsTheRunsFiguresOrItsFailure() {
        Run ok = Fixtures.run(Fixtures.ECHO, Fixtures.JGNET_EPOLL, 1, 100_000, 8, 0.5);
        assertThat(SummaryTable.runRow(ok)).startsWith("echo-64   1     jgnet-epoll").contains("100000", "8.00", "0.5");
        Run failed = Run.failed("echo-64", "netty-nio", 2, "no READY line within 60 s\n  its last output:\n    oops");
        assertThat(SummaryTable.runRow(failed)).endsWith("FAILED: no READY line within 60 s | oops");
        assertThat(SummaryTable.runRow(Fixtures.idle(Fixtures.JGNET_EPOLL, 1, 1000))).contains("1000 conns", "1000 B/conn");
    }

    @Test
    void missingAndUnboundedFiguresPrintAsWords() {
        assertThat(SummaryTable.number(Double.NaN, 2)).isEqualTo("-");
        assertThat(SummaryTable.number(Double.POSITIVE_INFINITY, 2)).isEqualTo("inf");
        assertThat(SummaryTable.number(1234.5678, 2)).isEqualTo("1234.57");
    }
}
