package io.jgnet.bench.report;

import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.MatrixResults.Figure;
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
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a matrix run's files: summary.txt (the tables), results.csv (a row per window),
 * results.json (configuration, environment, every window, the summaries with ratios and their
 * spread), report.html (one self-contained page, well-formed XML too: the machine, the chart and
 * the tables) and chart.svg. Stateless.
 */
public final class ResultFiles {

    /** A run's columns in results.csv and its fields in results.json, in order. */
    private static final Map<String, Function<Run, Object>> COLUMNS = columns();
    /** The parts of a summary in results.json. */
    private static final Map<String, ToDoubleFunction<Figure>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("median", Figure::median);
        PARTS.put("x_base", Figure::ratio);
        PARTS.put("x_base_low", Figure::low);
        PARTS.put("x_base_high", Figure::high);
    }

    private ResultFiles() {
    }

    /** Writes every file into {@code dir} (which exists) and returns their paths. */
    public static List<Path> write(Path dir, MatrixResults results, Map<String, String> config,
                                   Map<String, String> environment, String footnote) throws IOException {
        return List.of(write(dir, "summary.txt", Tables.render(results)), write(dir, "results.csv", csv(results)),
                write(dir, "results.json", json(results, config, environment)),
                write(dir, "report.html", html(results, config, environment)),
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
        c.put("requests", window(Run.Window::requests));
        c.put("seconds", window(Run.Window::seconds));
        c.put("errors", window(Run.Window::errors));
        c.put("mismatches", window(Run.Window::mismatches));
        c.put("server_user_ticks", window(w -> w.server().userTicks()));
        c.put("server_sys_ticks", window(w -> w.server().systemTicks()));
        c.put("load_user_ticks", window(w -> w.load().userTicks()));
        c.put("load_sys_ticks", window(w -> w.load().systemTicks()));
        c.put("sample_seconds", window(Run.Window::sampleSeconds));
        c.put("clk_tck", window(Run.Window::ticksPerSecond));
        c.put("server_cores", window(Run.Window::serverCores));
        c.put("load_cores", window(Run.Window::loadCores));
        c.put("other_cores", window(Run.Window::otherCores));
        c.put("alloc_bytes", window(Run.Window::allocBytes));
        c.put("idle_connections", idle(Run.Idle::connections));
        c.put("rss_before_bytes", idle(Run.Idle::rssBeforeBytes));
        c.put("rss_after_bytes", idle(Run.Idle::rssAfterBytes));
        c.put("heap_before_bytes", idle(Run.Idle::heapBeforeBytes));
        c.put("heap_after_bytes", idle(Run.Idle::heapAfterBytes));
        c.put("note", r -> String.join(" | ", r.note().strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()));
        return c;
    }

    private static Function<Run, Object> window(Function<Run.Window, Object> f) {
        return r -> r.window() == null ? null : f.apply(r.window());
    }

    private static Function<Run, Object> idle(Function<Run.Idle, Object> f) {
        return r -> r.idle() == null ? null : f.apply(r.idle());
    }

    static String csv(MatrixResults results) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS.keySet())).append('\n');
        for (Run r : results.runs()) {
            csv.append(COLUMNS.values().stream().map(f -> csvCell(text(f.apply(r)))).collect(Collectors.joining(","))).append('\n');
        }
        return csv.toString();
    }

    static String json(MatrixResults results, Map<String, String> config, Map<String, String> environment) {
        List<String> runs = new ArrayList<>();
        for (Run r : results.runs()) {
            List<String> fields = new ArrayList<>();
            COLUMNS.forEach((k, f) -> fields.add(quote(k) + ": " + jsonValue(f.apply(r))));
            runs.add("{" + String.join(", ", fields) + "}");
        }
        List<String> summaries = new ArrayList<>();
        for (Workload w : results.workloads()) {
            for (Summary s : results.summaries(w)) {
                StringBuilder j = new StringBuilder("{\"workload\": ").append(quote(w.name())).append(", \"kind\": ")
                        .append(quote(s.kind().name())).append(", \"family\": ").append(quote(s.kind().family().label))
                        .append(", \"base\": ").append(quote(w.base())).append(", \"completed\": ").append(s.completed())
                        .append(", \"failed\": ").append(s.failed()).append(", \"state\": ").append(quote(s.state()));
                PARTS.forEach((part, value) -> j.append(", ").append(quote(part)).append(": {").append(Stream.of(Metric.values())
                        .map(m -> quote(m.key) + ": " + jsonValue(value.applyAsDouble(s.of(m)))).collect(Collectors.joining(", ")))
                        .append('}'));
                summaries.add(j.append('}').toString());
            }
        }
        return "{\n  \"config\": " + object(config) + ",\n  \"environment\": " + object(environment) + ",\n  \"unavailable\": "
                + object(results.unavailable()) + ",\n  \"runs\": [" + list(runs) + "\n  ],\n  \"summary\": [" + list(summaries)
                + "\n  ]\n}\n";
    }

    private static String object(Map<String, String> map) {
        List<String> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add(quote(k) + ": " + quote(v)));
        return entries.isEmpty() ? "{}" : "{\n    " + String.join(",\n    ", entries) + "\n  }";
    }

    private static String list(List<String> items) {
        return items.stream().map(i -> "\n    " + i).collect(Collectors.joining(","));
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

    /** report.html: the machine and configuration, the chart, and the tables of summary.txt. */
    static String html(MatrixResults results, Map<String, String> config, Map<String, String> environment) {
        StringBuilder h = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8"/>
                <title>jgnet benchmark matrix</title>
                <style>
                body { font-family: system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
                td { border: 1px solid #ddd; padding: 3px 8px; font-size: 13px; }
                svg { display: block; margin: 8px 0; max-width: 100%; height: auto; }
                </style>
                </head>
                <body>
                <h1>jgnet benchmark matrix</h1>
                <p>jgnet against Netty 4.2 on every transport, one event-loop thread per server, loopback load from
                another pinned core. Every figure is the median over rounds; \u201cx base\u201d divides it by the best
                Netty transport's median doing the same work (stated per workload), followed by the lowest and highest
                per-round ratio. Method: docs/BENCHMARKS.md; results.json and results.csv beside this file hold every window.</p>
                <table>
                """);
        Map<String, String> facts = new LinkedHashMap<>(environment);
        facts.putAll(config);
        facts.forEach((k, v) -> h.append("<tr><td>").append(Charts.escape(k)).append("</td><td>").append(Charts.escape(v))
                .append("</td></tr>\n"));
        h.append("</table>\n").append(Charts.summary(results, "medians over rounds; whiskers: lowest-highest round"))
                .append("<pre>").append(Charts.escape(Tables.render(results))).append("</pre>\n<ul>\n");
        results.unavailable().forEach((k, why) -> h.append("<li>").append(Charts.escape(k + " unavailable: " + why)).append("</li>\n"));
        results.failures().forEach(r -> h.append("<li>").append(Charts.escape(r.workload() + " " + r.kind() + " round "
                + r.round() + " failed: " + r.note())).append("</li>\n"));
        return h.append("</ul>\n</body>\n</html>\n").toString();
    }
}
