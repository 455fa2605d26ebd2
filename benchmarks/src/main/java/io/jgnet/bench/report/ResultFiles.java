package io.jgnet.bench.report;

import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.MatrixResults.Metric;
import io.jgnet.bench.matrix.MatrixResults.Summary;
import io.jgnet.bench.matrix.Run;
import io.jgnet.bench.matrix.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a matrix run's files: summary.txt (the tables), results.csv (a row per window),
 * results.json (configuration, environment, every window, the summaries with ratios and their
 * spread), report.html and chart.svg. Stateless.
 */
public final class ResultFiles {

    /** A run's columns in results.csv and its fields in results.json, in order. */
    private static final Map<String, Function<Run, Object>> COLUMNS = columns();

    private ResultFiles() {
    }

    /** Writes every file into {@code dir} (which exists) and returns their paths. */
    public static List<Path> write(Path dir, MatrixResults results, Map<String, String> config,
                                   Map<String, String> environment, String footnote) throws IOException {
        return List.of(write(dir, "summary.txt", Tables.render(results)), write(dir, "results.csv", csv(results)),
                write(dir, "results.json", json(results, config, environment)),
                write(dir, "report.html", HtmlReport.render(results, config, environment)),
                write(dir, "chart.svg", Charts.summary(results, footnote)));
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Map<String, Function<Run, Object>> columns() {
        Map<String, Function<Run, Object>> c = new LinkedHashMap<>();
        c.put("workload", Run::workload);
        c.put("kind", Run::kind);
        c.put("round", Run::round);
        c.put("status", Run::status);
        for (Metric m : Metric.values()) {
            c.put(m.key, m::of);
        }
        c.put("requests", r -> r.window() == null ? null : r.window().requests());
        c.put("seconds", r -> r.window() == null ? null : r.window().seconds());
        c.put("errors", r -> r.window() == null ? null : r.window().errors());
        c.put("mismatches", r -> r.window() == null ? null : r.window().mismatches());
        c.put("server_user_ticks", r -> r.window() == null ? null : r.window().server().userTicks());
        c.put("server_sys_ticks", r -> r.window() == null ? null : r.window().server().systemTicks());
        c.put("load_user_ticks", r -> r.window() == null ? null : r.window().load().userTicks());
        c.put("load_sys_ticks", r -> r.window() == null ? null : r.window().load().systemTicks());
        c.put("sample_seconds", r -> r.window() == null ? null : r.window().sampleSeconds());
        c.put("clk_tck", r -> r.window() == null ? null : r.window().ticksPerSecond());
        c.put("server_cores", r -> r.window() == null ? null : r.window().serverCores());
        c.put("load_cores", r -> r.window() == null ? null : r.window().loadCores());
        c.put("other_cores", r -> r.window() == null ? null : r.window().otherCores());
        c.put("alloc_bytes", r -> r.window() == null ? null : r.window().allocBytes());
        c.put("idle_connections", r -> r.idle() == null ? null : r.idle().connections());
        c.put("rss_before_bytes", r -> r.idle() == null ? null : r.idle().rssBeforeBytes());
        c.put("rss_after_bytes", r -> r.idle() == null ? null : r.idle().rssAfterBytes());
        c.put("heap_before_bytes", r -> r.idle() == null ? null : r.idle().heapBeforeBytes());
        c.put("heap_after_bytes", r -> r.idle() == null ? null : r.idle().heapAfterBytes());
        c.put("note", r -> String.join(" | ", r.note().strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        return c;
    }

    static String csv(MatrixResults results) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS.keySet())).append('\n');
        for (Run r : results.runs()) {
            List<String> cells = new ArrayList<>();
            COLUMNS.values().forEach(f -> cells.add(csvCell(text(f.apply(r)))));
            csv.append(String.join(",", cells)).append('\n');
        }
        return csv.toString();
    }

    static String json(MatrixResults results, Map<String, String> config, Map<String, String> environment) {
        StringBuilder j = new StringBuilder("{\n  \"config\": ").append(object(config));
        j.append(",\n  \"environment\": ").append(object(environment));
        j.append(",\n  \"unavailable\": ").append(object(results.unavailable()));
        j.append(",\n  \"runs\": [");
        String sep = "\n    ";
        for (Run r : results.runs()) {
            List<String> fields = new ArrayList<>();
            COLUMNS.forEach((k, f) -> fields.add(quote(k) + ": " + jsonValue(f.apply(r))));
            j.append(sep).append('{').append(String.join(", ", fields)).append('}');
            sep = ",\n    ";
        }
        j.append("\n  ],\n  \"summary\": [");
        sep = "\n    ";
        for (Workload w : results.workloads()) {
            for (Summary s : results.summaries(w)) {
                j.append(sep).append("{\"workload\": ").append(quote(w.name())).append(", \"kind\": ").append(quote(s.kind().name()))
                        .append(", \"family\": ").append(quote(s.kind().family().label)).append(", \"base\": ")
                        .append(quote(w.base())).append(", \"completed\": ").append(s.completed()).append(", \"failed\": ")
                        .append(s.failed()).append(", \"state\": ").append(quote(s.state()));
                for (String part : List.of("median", "x_base", "x_base_low", "x_base_high")) {
                    List<String> figures = new ArrayList<>();
                    for (Metric m : Metric.values()) {
                        double v = switch (part) {
                            case "median" -> s.median(m);
                            case "x_base" -> s.ratio(m);
                            case "x_base_low" -> s.low(m);
                            default -> s.high(m);
                        };
                        figures.add(quote(m.key) + ": " + jsonValue(v));
                    }
                    j.append(", ").append(quote(part)).append(": {").append(String.join(", ", figures)).append('}');
                }
                j.append('}');
                sep = ",\n    ";
            }
        }
        return j.append("\n  ]\n}\n").toString();
    }

    private static String object(Map<String, String> map) {
        List<String> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(quote(k) + ": " + quote(v)));
        return entries.isEmpty() ? "{}" : "{\n    " + String.join(",\n    ", entries) + "\n  }";
    }

    /** A cell's text: numbers without trailing noise, nothing for a missing figure. */
    static String text(Object value) {
        if (value == null || value instanceof Double d && !Double.isFinite(d)) {
            return "";
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.format(Locale.ROOT, "%.4f", d);
        }
        return value.toString();
    }

    /** JSON has no NaN or infinity: a missing or unbounded figure is null. */
    static String jsonValue(Object value) {
        String text = text(value);
        return value instanceof Number ? (text.isEmpty() ? "null" : text) : quote(text);
    }

    /** RFC 4180: quote a cell holding a comma, a quote or a line break, doubling its quotes. */
    static String csvCell(String cell) {
        return cell.matches("(?s).*[,\"\r\n].*") ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                default -> q.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return q.append('"').toString();
    }
}
