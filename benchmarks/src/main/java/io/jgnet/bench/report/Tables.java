package io.jgnet.bench.report;

import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.MatrixResults.Figure;
import io.jgnet.bench.matrix.MatrixResults.Metric;
import io.jgnet.bench.matrix.MatrixResults.Summary;
import io.jgnet.bench.matrix.Run;
import io.jgnet.bench.matrix.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The matrix's text tables: a row per window as it completes, and per workload a table of the
 * medians with each ratio to its base and the ratio's spread over rounds ("0.93 0.90-0.97": the
 * median ratio, then the lowest and highest per-round ratio). Stateless.
 */
public final class Tables {

    private static final String KIND = "%-15s";
    private static final double MIB = 1024 * 1024;
    private static final String RUN_FIGURES = "  %9s  %8s  %6s  %6s  %8s  %8s  %9s  %7s  %8s  %6s";
    /** Heading of the per-window rows. */
    public static final String RUN_HEADER = String.format(Locale.ROOT, "%-13s %-5s " + KIND + RUN_FIGURES, "workload", "round",
            "kind", "req/s", "CPU us", "user", "sys", "p50 us", "p99 us", "alloc B", "srv cpu", "load cpu", "other");
    private static final String ROW = "  %9s  %-15s  %8s  %-15s  %6s  %6s  %8s  %8s  %8s  %9s  %-15s";

    private Tables() {
    }

    /** One window as printed while the matrix runs; srv cpu, load cpu and other are cores busy. */
    public static String runRow(Run r) {
        String head = String.format(Locale.ROOT, "%-13s %-5d " + KIND, r.workload(), r.round(), r.kind());
        if (r.status() == Run.Status.UNAVAILABLE) {
            return head + "  unavailable: " + brief(r.note());
        }
        if (r.idle() != null) {
            Run.Idle i = r.idle();
            return head + String.format(Locale.ROOT, "  %d conns  RSS %.1f -> %.1f MiB  heap %.1f -> %.1f MiB  %s B/conn"
                    + " (heap %s)", i.connections(), i.rssBeforeBytes() / MIB, i.rssAfterBytes() / MIB,
                    i.heapBeforeBytes() / MIB, i.heapAfterBytes() / MIB, number(i.bytesPerConnection(), 0),
                    number(i.heapBytesPerConnection(), 0));
        }
        if (r.window() == null) {
            return head + "  FAILED: " + brief(r.note());
        }
        Run.Window w = r.window();
        return head + String.format(Locale.ROOT, RUN_FIGURES, number(w.requestsPerSecond(), 0), number(w.cpuMicros(), 2),
                number(w.userMicros(), 2), number(w.systemMicros(), 2), number(w.p50Micros(), 1), number(w.p99Micros(), 1),
                number(w.allocPerRequest(), 1), number(w.serverCores(), 2), number(w.loadCores(), 2), number(w.otherCores(), 2))
                + (r.status() == Run.Status.FAILED ? "  FAILED: " + r.note() : "");
    }

    /** Every workload's table, blank-line separated: the text of summary.txt. */
    public static String render(MatrixResults results) {
        return results.workloads().stream().map(w -> table(results, w)).collect(Collectors.joining("\n"));
    }

    /** One workload's table, headed by what it does and what its ratios divide by. */
    private static String table(MatrixResults results, Workload w) {
        StringBuilder out = new StringBuilder(w.name() + "  " + w.describe() + "\n");
        out.append("  x base = median / ").append(w.base()).append(bases(results, w)).append('\n');
        out.append("  ratio cells: median ratio, then its lowest-highest over the rounds (each round's figure over"
                + " the base kind's in the same round)\n");
        String unit = w.unit();
        out.append(w.idle() ? String.format(Locale.ROOT, KIND + "  %7s  %9s  %-15s%n", "kind", "conns", "B/conn", "x base")
                : String.format(Locale.ROOT, KIND + ROW + "%n", "kind", unit + "/s", "x base", "CPU us/" + unit, "x base",
                "user", "sys", "p50 us", "p99 us", "p99.9 us", "alloc B/" + unit, "x base"));
        for (Summary s : results.summaries(w)) {
            out.append(String.format(Locale.ROOT, KIND, s.kind().name()));
            if (s.hasFigures() && w.idle()) {
                out.append(String.format(Locale.ROOT, "  %7d  %9s  %-15s", w.connections(), median(s, Metric.IDLE_BYTES, 0),
                        ratio(s.of(Metric.IDLE_BYTES))));
            } else if (s.hasFigures()) {
                out.append(String.format(Locale.ROOT, ROW, median(s, Metric.REQUESTS_PER_SECOND, 0),
                        ratio(s.of(Metric.REQUESTS_PER_SECOND)), median(s, Metric.CPU_MICROS, 2), ratio(s.of(Metric.CPU_MICROS)),
                        median(s, Metric.USER_MICROS, 2), median(s, Metric.SYSTEM_MICROS, 2), median(s, Metric.P50_MICROS, 1),
                        median(s, Metric.P99_MICROS, 1), median(s, Metric.P999_MICROS, 1), median(s, Metric.ALLOC_BYTES, 1),
                        ratio(s.of(Metric.ALLOC_BYTES))));
            }
            out.append(s.state().isEmpty() ? "" : "  " + brief(s.state())).append('\n');
        }
        return out.toString();
    }

    /** " (req/s: netty-epoll, CPU us: netty-io_uring)": which Netty kind was the base of each figure. */
    static String bases(MatrixResults results, Workload w) {
        List<String> parts = new ArrayList<>();
        for (Metric m : w.idle() ? List.of(Metric.IDLE_BYTES) : List.of(Metric.REQUESTS_PER_SECOND, Metric.CPU_MICROS)) {
            results.base(w, m).ifPresent(k -> parts.add(m.label + ": " + k.name()));
        }
        return parts.isEmpty() ? " (no Netty kind completed: no ratios)" : " (" + String.join(", ", parts) + ")";
    }

    private static String median(Summary s, Metric m, int decimals) {
        return number(s.of(m).median(), decimals);
    }

    /** "0.93 0.90-0.97", "0.93" with one round, "-" without a base. */
    static String ratio(Figure f) {
        if (Double.isNaN(f.ratio())) {
            return "-";
        }
        return number(f.ratio(), 2) + (Double.isNaN(f.low()) || f.low() == f.high() ? ""
                : " " + number(f.low(), 2) + "-" + number(f.high(), 2));
    }

    /** A figure with {@code decimals} places, "-" when missing. */
    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "-" : Double.isInfinite(value) ? "inf"
                : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A failure on one line: its first line and, when it carries a child's output, that output's last line. */
    public static String brief(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 1 ? lines[0] : lines[0] + " | " + lines[lines.length - 1].strip();
    }
}
