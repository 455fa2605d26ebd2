package io.jgnet.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a matrix run's directory: results.json (configuration, environment, every run, the
 * summaries with their ratios, failures), results.csv (one row per run), summary.txt (the
 * printed tables), report.html and chart.svg. The logs/ directory beside them is filled by the
 * run itself. Stateless.
 */
final class ResultFiles {

    /** The files written, in the order they are listed at the end of a run. */
    static final List<String> NAMES = List.of("summary.txt", "results.csv", "results.json", "report.html", "chart.svg");

    private static final List<String> CSV_COLUMNS = List.of("workload", "kind", "family", "round", "status",
            "requests", "seconds", "req_per_sec", "cpu_us_per_req", "user_us_per_req", "sys_us_per_req", "p50_us",
            "p99_us", "p999_us", "alloc_bytes_per_req", "errors", "mismatches", "server_user_ticks", "server_sys_ticks",
            "load_user_ticks", "load_sys_ticks", "sample_seconds", "clk_tck", "server_cores", "load_cores", "other_cores",
            "alloc_bytes", "alloc_seconds", "idle_connections", "rss_before_bytes", "rss_after_bytes",
            "heap_before_bytes", "heap_after_bytes",
            "idle_bytes_per_conn", "note");

    private ResultFiles() {
    }

    /** Writes every file into {@code dir} (which exists) and returns their paths. */
    static List<Path> write(Path dir, MatrixResults results, Map<String, String> config, Map<String, String> environment,
                            List<String> reproduce, String footnote) throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(write(dir, "summary.txt", SummaryTable.render(results)));
        written.add(write(dir, "results.csv", csv(results)));
        written.add(write(dir, "results.json", json(results, config, environment)));
        written.add(write(dir, "report.html", HtmlReport.render(results, config, environment, reproduce)));
        written.add(write(dir, "chart.svg", SummaryChart.render(results, footnote)));
        return written;
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    static String csv(MatrixResults results) {
        StringBuilder csv = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Run r : results.runs()) {
            List<String> cells = new ArrayList<>(List.of(r.workload(), r.kind(), family(results, r.kind()),
                    Integer.toString(r.round()), r.status().name()));
            RunResult l = r.load();
            if (l != null) {
                cells.addAll(List.of(Long.toString(l.messages()), num(l.seconds()), num(l.msgsPerSecond()),
                        num(l.cpuMicrosPerMessage()), num(l.userMicrosPerMessage()), num(l.systemMicrosPerMessage()),
                        num(l.p50Micros()), num(l.p99Micros()), num(l.p999Micros()), num(r.allocBytesPerRequest()),
                        Long.toString(l.errors()), Long.toString(l.mismatches()),
                        Long.toString(l.server().userTicks()), Long.toString(l.server().systemTicks()),
                        Long.toString(l.load().userTicks()), Long.toString(l.load().systemTicks()), num(l.sampleSeconds()),
                        Long.toString(l.ticksPerSecond()), num(l.serverCores()), num(l.loadCores()), num(l.otherCores()),
                        num(r.allocBytes()), num(r.allocSeconds())));
            } else {
                for (int i = 0; i < 23; i++) {
                    cells.add("");
                }
            }
            Run.Idle idle = r.idle();
            if (idle != null) {
                cells.addAll(List.of(Integer.toString(idle.connections()), Long.toString(idle.rssBeforeBytes()),
                        Long.toString(idle.rssAfterBytes()), Long.toString(idle.heapBeforeBytes()),
                        Long.toString(idle.heapAfterBytes()), num(idle.bytesPerConnection())));
            } else {
                cells.addAll(List.of("", "", "", "", "", ""));
            }
            cells.add(oneLine(r.note()));
            csv.append(String.join(",", cells.stream().map(ResultFiles::csvCell).toList())).append('\n');
        }
        return csv.toString();
    }

    static String json(MatrixResults results, Map<String, String> config, Map<String, String> environment) {
        StringBuilder j = new StringBuilder("{\n  \"config\": ");
        object(j, config, "    ");
        j.append(",\n  \"environment\": ");
        object(j, environment, "    ");
        j.append(",\n  \"unavailable\": ");
        object(j, results.unavailable(), "    ");
        j.append(",\n  \"runs\": [");
        String sep = "\n    ";
        for (Run r : results.runs()) {
            j.append(sep).append("{\"workload\": ").append(Report.quote(r.workload()))
                    .append(", \"kind\": ").append(Report.quote(r.kind()))
                    .append(", \"family\": ").append(Report.quote(family(results, r.kind())))
                    .append(", \"round\": ").append(r.round())
                    .append(", \"status\": ").append(Report.quote(r.status().name()));
            for (Metric m : Metric.values()) {
                j.append(", ").append(Report.quote(m.key)).append(": ").append(jsonNumber(m.of(r)));
            }
            RunResult l = r.load();
            if (l != null) {
                j.append(String.format(Locale.ROOT, ", \"requests\": %d, \"seconds\": %s, \"errors\": %d, \"mismatches\": %d,"
                                + " \"server_user_ticks\": %d, \"server_sys_ticks\": %d, \"load_user_ticks\": %d,"
                                + " \"load_sys_ticks\": %d, \"sample_seconds\": %s, \"clk_tck\": %d, \"server_cores\": %s,"
                                + " \"load_cores\": %s, \"other_cores\": %s, \"alloc_bytes\": %s, \"alloc_seconds\": %s",
                        l.messages(), jsonNumber(l.seconds()), l.errors(), l.mismatches(), l.server().userTicks(),
                        l.server().systemTicks(), l.load().userTicks(), l.load().systemTicks(),
                        jsonNumber(l.sampleSeconds()), l.ticksPerSecond(), jsonNumber(l.serverCores()),
                        jsonNumber(l.loadCores()), jsonNumber(l.otherCores()), jsonNumber(r.allocBytes()),
                        jsonNumber(r.allocSeconds())));
            }
            if (r.idle() != null) {
                j.append(String.format(Locale.ROOT, ", \"idle_connections\": %d, \"rss_before_bytes\": %d, \"rss_after_bytes\": %d"
                                + ", \"heap_before_bytes\": %d, \"heap_after_bytes\": %d",
                        r.idle().connections(), r.idle().rssBeforeBytes(), r.idle().rssAfterBytes(),
                        r.idle().heapBeforeBytes(), r.idle().heapAfterBytes()));
            }
            j.append(", \"note\": ").append(Report.quote(r.note())).append('}');
            sep = ",\n    ";
        }
        j.append("\n  ],\n  \"summary\": [");
        sep = "\n    ";
        for (Workload w : results.workloads()) {
            for (KindSummary s : results.summaries(w)) {
                j.append(sep).append("{\"workload\": ").append(Report.quote(w.name()))
                        .append(", \"kind\": ").append(Report.quote(s.kind().name()))
                        .append(", \"family\": ").append(Report.quote(s.kind().family().label))
                        .append(", \"completed\": ").append(s.completed())
                        .append(", \"failed\": ").append(s.failed())
                        .append(", \"state\": ").append(Report.quote(s.state()))
                        .append(", \"median\": {");
                figures(j, s, false);
                j.append("}, \"x_netty_best\": {");
                figures(j, s, true);
                j.append("}}");
                sep = ",\n    ";
            }
        }
        j.append("\n  ],\n  \"failures\": [");
        sep = "\n    ";
        for (Run r : results.failures()) {
            j.append(sep).append(Report.quote(r.workload() + " " + r.kind() + " round " + r.round() + ": " + r.note()));
            sep = ",\n    ";
        }
        return j.append("\n  ]\n}\n").toString();
    }

    private static void figures(StringBuilder j, KindSummary s, boolean ratios) {
        String sep = "";
        for (Metric m : Metric.values()) {
            j.append(sep).append(Report.quote(m.key)).append(": ").append(jsonNumber(ratios ? s.ratio(m) : s.median(m)));
            sep = ", ";
        }
    }

    private static void object(StringBuilder j, Map<String, String> map, String indent) {
        j.append('{');
        String sep = "\n" + indent;
        for (var e : map.entrySet()) {
            j.append(sep).append(Report.quote(e.getKey())).append(": ").append(Report.quote(e.getValue()));
            sep = ",\n" + indent;
        }
        j.append(map.isEmpty() ? "}" : "\n" + indent.substring(2) + "}");
    }

    private static String family(MatrixResults results, String kind) {
        return results.kinds().stream().filter(k -> k.name().equals(kind)).findFirst()
                .map(k -> k.family().label).orElse("");
    }

    /** JSON has no NaN or infinity: a missing or unbounded figure is null. */
    static String jsonNumber(double v) {
        return Double.isFinite(v) ? num(v) : "null";
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A multi-line note (a child's last output) as one line, so each run stays one CSV row. */
    static String oneLine(String text) {
        return String.join(" | ", text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** RFC 4180: quote a cell holding a comma, a quote or a line break, doubling its quotes. */
    static String csvCell(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}
