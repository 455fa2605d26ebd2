package io.jgnet.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The matrix's text tables: one row per run as it completes, and at the end one table per
 * workload with the medians and their ratios to Netty's best ("x netty": 1.00 is as good as the
 * best Netty transport; below 1 is fewer requests per second or less CPU). Stateless.
 */
final class SummaryTable {

    private static final String KIND = "%-15s";
    private static final double MIB = 1024 * 1024;
    /** The figures of a summary row: req/s, x netty, CPU, x netty, user, sys, p50, p99, p99.9, alloc, x netty. */
    private static final String ROW = "  %9s  %7s  %10s  %7s  %6s  %6s  %8s  %8s  %8s  %11s  %7s";

    /** The figures of a run row: req/s, CPU, user, sys, p50, p99, alloc, and the cores used by server, load, others. */
    private static final String RUN_FIGURES = "  %9s  %10s  %6s  %6s  %8s  %8s  %11s  %7s  %8s  %6s";
    /** Heading of the per-run rows. */
    static final String RUN_HEADER = String.format(Locale.ROOT,
            "%-9s %-5s " + KIND + RUN_FIGURES,
            "workload", "round", "kind", "req/s", "CPU us/req", "user", "sys", "p50 us", "p99 us", "alloc B/req",
            "srv cpu", "load cpu", "other");

    private SummaryTable() {
    }

    /** One run, as printed while the matrix runs; srv cpu, load cpu and other are cores busy. */
    static String runRow(Run r) {
        String head = String.format(Locale.ROOT, "%-9s %-5d " + KIND, r.workload(), r.round(), r.kind());
        if (r.status() == Run.Status.UNAVAILABLE) {
            return head + " unavailable: " + r.note();
        }
        if (r.idle() != null) {
            Run.Idle idle = r.idle();
            return head + String.format(Locale.ROOT, " %d conns  RSS %.1f -> %.1f MiB  heap %.1f -> %.1f MiB  %s B/conn",
                    idle.connections(), idle.rssBeforeBytes() / MIB, idle.rssAfterBytes() / MIB,
                    idle.heapBeforeBytes() / MIB, idle.heapAfterBytes() / MIB, number(idle.bytesPerConnection(), 0));
        }
        if (r.load() == null) {
            return head + " FAILED: " + brief(r.note());
        }
        RunResult l = r.load();
        return head + String.format(Locale.ROOT, RUN_FIGURES,
                number(l.msgsPerSecond(), 0), number(l.cpuMicrosPerMessage(), 2), number(l.userMicrosPerMessage(), 2),
                number(l.systemMicrosPerMessage(), 2), number(l.p50Micros(), 1), number(l.p99Micros(), 1),
                number(r.allocBytesPerRequest(), 1), number(l.serverCores(), 2), number(l.loadCores(), 2),
                number(l.otherCores(), 2))
                + (r.status() == Run.Status.FAILED ? "  FAILED: " + r.note() : "");
    }

    /** Every workload's table, blank-line separated: the text of summary.txt. */
    static String render(MatrixResults results) {
        StringBuilder out = new StringBuilder();
        for (Workload w : results.workloads()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            render(results, w, out);
        }
        return out.toString();
    }

    /** One workload's table: a title line, a heading, a row per kind, the Netty kinds that were best. */
    static void render(MatrixResults results, Workload w, StringBuilder out) {
        out.append(w.name()).append("  ").append(w.describe()).append('\n');
        List<KindSummary> rows = results.summaries(w);
        if (w.idle()) {
            out.append(String.format(Locale.ROOT, KIND + "  %7s  %9s  %7s%n", "kind", "conns", "B/conn", "x netty"));
            for (KindSummary s : rows) {
                out.append(String.format(Locale.ROOT, KIND, s.kind().name()));
                if (s.hasFigures()) {
                    out.append(String.format(Locale.ROOT, "  %7d  %9s  %7s", w.connections(),
                            number(s.median(Metric.IDLE_BYTES), 0), ratio(s.ratio(Metric.IDLE_BYTES))));
                }
                out.append(trailing(s)).append('\n');
            }
            bestLine(results, w, List.of(Metric.IDLE_BYTES), out);
            return;
        }
        out.append(String.format(Locale.ROOT, KIND + ROW + "%n",
                "kind", "req/s", "x netty", "CPU us/req", "x netty", "user", "sys", "p50 us", "p99 us", "p99.9 us",
                "alloc B/req", "x netty"));
        for (KindSummary s : rows) {
            out.append(String.format(Locale.ROOT, KIND, s.kind().name()));
            if (s.hasFigures()) {
                out.append(String.format(Locale.ROOT, ROW,
                        number(s.median(Metric.REQUESTS_PER_SECOND), 0), ratio(s.ratio(Metric.REQUESTS_PER_SECOND)),
                        number(s.median(Metric.CPU_MICROS), 2), ratio(s.ratio(Metric.CPU_MICROS)),
                        number(s.median(Metric.USER_MICROS), 2), number(s.median(Metric.SYSTEM_MICROS), 2),
                        number(s.median(Metric.P50_MICROS), 1), number(s.median(Metric.P99_MICROS), 1),
                        number(s.median(Metric.P999_MICROS), 1), number(s.median(Metric.ALLOC_BYTES), 1),
                        ratio(s.ratio(Metric.ALLOC_BYTES))));
            }
            out.append(trailing(s)).append('\n');
        }
        bestLine(results, w, List.of(Metric.REQUESTS_PER_SECOND, Metric.CPU_MICROS), out);
    }

    private static String trailing(KindSummary s) {
        String state = s.state();
        return state.isEmpty() ? "" : "  " + brief(state);
    }

    /** "Netty best: req/s netty-epoll, CPU us/req netty-io_uring", or why there are no ratios. */
    private static void bestLine(MatrixResults results, Workload w, List<Metric> metrics, StringBuilder out) {
        List<String> parts = new ArrayList<>();
        for (Metric m : metrics) {
            Optional<KindSummary> best = results.nettyBest(w, m);
            best.ifPresent(b -> parts.add(m.label + " " + b.kind().name()));
        }
        out.append(parts.isEmpty() ? "no Netty kind completed: no ratios\n" : "x netty is relative to Netty's best: "
                + String.join(", ", parts) + '\n');
    }

    /** A figure with {@code decimals} places, "-" when missing. */
    static String number(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Double.isInfinite(value)) {
            return "inf";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A ratio with two places, "-" when there is nothing to compare with. */
    static String ratio(double value) {
        return number(value, 2);
    }

    /**
     * A failure on one line: its first line and, when it carries a child's output, that
     * output's last line, which is usually the real reason ("... | Caused by: ...").
     */
    static String brief(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 1 ? lines[0] : lines[0] + " | " + lines[lines.length - 1].strip();
    }
}
