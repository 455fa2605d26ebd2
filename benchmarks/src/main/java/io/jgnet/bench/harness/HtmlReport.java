package io.jgnet.bench.harness;

import java.util.List;
import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS and SVG; no script, font or image to fetch),
 * written as well-formed XML too (void elements closed) so that a plain XML parser can check it,
 * with the machine and configuration, per workload a bar chart of requests per second and one of
 * server CPU per request, the idle-memory chart, the tables with every figure and its ratio to
 * Netty's best, and the command that reproduces the run. Stateless.
 */
final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #222;
                   background: #fff; margin: 24px auto; max-width: 1100px; padding: 0 16px; line-height: 1.4; }
            h1 { font-size: 24px; margin-bottom: 4px; }
            h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            .sub { color: #666; font-weight: normal; font-size: 14px; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
            th { background: #f4f4f4; }
            td.kind, th.kind { text-align: left; }
            td.note { text-align: left; color: #a33; }
            .ratio { color: #666; }
            .facts td { border: none; padding: 1px 8px 1px 0; text-align: left; vertical-align: top; }
            .facts td:first-child { color: #666; white-space: nowrap; }
            pre { background: #f6f6f6; padding: 8px 12px; overflow-x: auto; }
            svg { display: block; margin: 8px 0; max-width: 100%; height: auto; }
            """;

    private HtmlReport() {
    }

    /**
     * The page.
     *
     * @param results     the runs and their summaries
     * @param config      the run's configuration (flags and derived values)
     * @param environment facts about the machine and the JVMs
     * @param reproduce   the commands that reproduce this run
     */
    static String render(MatrixResults results, Map<String, String> config, Map<String, String> environment,
                         List<String> reproduce) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>jgnet benchmark matrix</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>jgnet benchmark matrix</h1>\n<p class=\"sub\">jgnet against Netty 4.2 on every transport, one"
                + " event-loop thread per server, loopback load from a pinned core. Every figure is the median over"
                + " rounds; \u201c\u00d7 Netty best\u201d divides it by the best Netty transport's figure for that"
                + " workload (higher req/s is better; lower CPU, latency, allocation and memory are better).</p>\n");
        h.append("<h2>Machine and configuration</h2>\n<table class=\"facts\">\n");
        environment.forEach((k, v) -> fact(h, k, v));
        config.forEach((k, v) -> fact(h, k, v));
        h.append("</table>\n");
        for (Workload w : results.workloads()) {
            List<KindSummary> kinds = results.summaries(w);
            h.append("<h2>").append(esc(w.name())).append(" <span class=\"sub\">").append(esc(w.describe()))
                    .append("</span></h2>\n");
            if (w.idle()) {
                h.append(chart(results, w, Metric.IDLE_BYTES, "server RSS per idle connection", "B", 0));
            } else {
                h.append(chart(results, w, Metric.REQUESTS_PER_SECOND, "requests per second (higher is better)", "req/s", 0));
                h.append(chart(results, w, Metric.CPU_MICROS, "server CPU per request (lower is better)", "\u00b5s", 2));
            }
            table(h, w, kinds);
        }
        if (!results.unavailable().isEmpty() || !results.failures().isEmpty()) {
            h.append("<h2>Unavailable and failed</h2>\n<ul>\n");
            results.unavailable().forEach((k, why) -> h.append("<li>").append(esc(k)).append(" unavailable: ")
                    .append(esc(why)).append("</li>\n"));
            for (Run r : results.failures()) {
                h.append("<li>").append(esc(r.workload() + " " + r.kind() + " round " + r.round())).append(" failed: ")
                        .append(esc(r.note())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<h2>Reproduce</h2>\n<pre>");
        reproduce.forEach(line -> h.append(esc(line)).append('\n'));
        h.append("</pre>\n<p class=\"sub\">Each run starts a fresh server JVM pinned to one core and the load"
                + " generator pinned to another; the kinds alternate within each round. Server CPU is the server"
                + " process's utime and stime over the measured window (/proc/PID/stat); allocation is"
                + " ThreadMXBean's count on the server's I/O threads; idle memory is the growth of VmRSS, after"
                + " a GC, while the connections are held. results.json and results.csv next to this file hold"
                + " every run.</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String chart(MatrixResults results, Workload w, Metric metric, String title, String unit, int decimals) {
        double best = results.nettyBest(w, metric).map(s -> s.median(metric)).orElse(Double.NaN);
        return BarChart.render(w.name() + ": " + title, BarChart.bars(results.summaries(w), metric, unit, decimals), best)
                + "\n";
    }

    private static void table(StringBuilder h, Workload w, List<KindSummary> kinds) {
        List<Metric> metrics = w.idle() ? List.of(Metric.IDLE_BYTES)
                : List.of(Metric.REQUESTS_PER_SECOND, Metric.CPU_MICROS, Metric.USER_MICROS, Metric.SYSTEM_MICROS,
                Metric.P50_MICROS, Metric.P99_MICROS, Metric.P999_MICROS, Metric.ALLOC_BYTES);
        h.append("<table>\n<tr><th class=\"kind\">kind</th><th>runs</th>");
        metrics.forEach(m -> h.append("<th>").append(esc(m.label)).append("</th>"));
        h.append("<th class=\"kind\">notes</th></tr>\n");
        for (KindSummary s : kinds) {
            h.append("<tr><td class=\"kind\">").append(esc(s.kind().name())).append(" <span class=\"ratio\">(")
                    .append(esc(s.kind().family().label)).append(")</span></td><td>").append(s.completed()).append("</td>");
            for (Metric m : metrics) {
                h.append("<td>").append(esc(BarChart.grouped(s.median(m), decimals(m)))).append(ratio(s.ratio(m))).append("</td>");
            }
            h.append("<td class=\"note\">").append(esc(s.state())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "" : " <span class=\"ratio\">" + esc(SummaryTable.ratio(r)) + "\u00d7</span>";
    }

    static int decimals(Metric m) {
        return switch (m) {
            case REQUESTS_PER_SECOND, IDLE_BYTES -> 0;
            case CPU_MICROS, USER_MICROS, SYSTEM_MICROS -> 2;
            default -> 1;
        };
    }

    private static void fact(StringBuilder h, String key, String value) {
        h.append("<tr><td>").append(esc(key)).append("</td><td>").append(esc(value)).append("</td></tr>\n");
    }

    /** HTML shares XML's escaping of text and attribute values. */
    static String esc(String text) {
        return Svg.escape(text);
    }
}
