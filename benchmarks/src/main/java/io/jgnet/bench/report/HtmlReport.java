package io.jgnet.bench.report;

import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.MatrixResults.Metric;
import io.jgnet.bench.matrix.MatrixResults.Summary;
import io.jgnet.bench.matrix.Run;
import io.jgnet.bench.matrix.Workload;
import java.util.List;
import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS and SVG, nothing to fetch), well-formed XML
 * too, with the machine and configuration, the summary chart, and per workload its base and the
 * table of every median with its ratio and the ratio's spread over rounds. Stateless.
 */
final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
            h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
            .sub { color: #666; font-size: 14px; }
            table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
            th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
            th { background: #f4f4f4; }
            td.kind { text-align: left; }
            td.note { text-align: left; color: #a33; }
            .ratio { color: #666; }
            svg { display: block; margin: 8px 0; max-width: 100%; height: auto; }
            """;
    private static final List<Metric> FIGURES = List.of(Metric.REQUESTS_PER_SECOND, Metric.CPU_MICROS, Metric.USER_MICROS,
            Metric.SYSTEM_MICROS, Metric.P50_MICROS, Metric.P99_MICROS, Metric.P999_MICROS, Metric.ALLOC_BYTES);

    private HtmlReport() {
    }

    static String render(MatrixResults results, Map<String, String> config, Map<String, String> environment) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<title>jgnet benchmark matrix</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + "<h1>jgnet benchmark matrix</h1>\n<p class=\"sub\">jgnet against Netty 4.2 on every transport, one"
                + " event-loop thread per server, loopback load from another pinned core. Every figure is the median"
                + " over rounds; \u201c\u00d7 base\u201d divides it by the best Netty transport's median doing the same"
                + " work (stated per workload), followed by the lowest and highest per-round ratio.</p>\n"
                + "<h2>Machine and configuration</h2>\n<table>\n");
        environment.forEach((k, v) -> row(h, k, v));
        config.forEach((k, v) -> row(h, k, v));
        h.append("</table>\n").append(Charts.summary(results, "medians over rounds; whiskers: lowest-highest round"));
        for (Workload w : results.workloads()) {
            List<Summary> kinds = results.summaries(w);
            h.append("<h2>").append(esc(w.name())).append(" <span class=\"sub\">").append(esc(w.describe())).append("</span></h2>\n")
                    .append("<p class=\"sub\">base: ").append(esc(w.base() + Tables.bases(results, w))).append("</p>\n");
            List<Metric> figures = w.idle() ? List.of(Metric.IDLE_BYTES) : FIGURES;
            h.append("<table>\n<tr><th>kind</th><th>runs</th>");
            figures.forEach(m -> h.append("<th>").append(esc(m.label)).append("</th>"));
            h.append("<th>notes</th></tr>\n");
            for (Summary s : kinds) {
                h.append("<tr><td class=\"kind\">").append(esc(s.kind().name())).append(" <span class=\"ratio\">(")
                        .append(esc(s.kind().family().label)).append(")</span></td><td>").append(s.completed()).append("</td>");
                for (Metric m : figures) {
                    h.append("<td>").append(esc(Tables.number(s.median(m), m == Metric.CPU_MICROS || m == Metric.USER_MICROS
                            || m == Metric.SYSTEM_MICROS ? 2 : m == Metric.REQUESTS_PER_SECOND || m == Metric.IDLE_BYTES ? 0 : 1)));
                    if (!Double.isNaN(s.ratio(m))) {
                        h.append(" <span class=\"ratio\">").append(esc(Tables.ratio(s, m))).append("\u00d7</span>");
                    }
                    h.append("</td>");
                }
                h.append("<td class=\"note\">").append(esc(s.state())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!results.unavailable().isEmpty() || !results.failures().isEmpty()) {
            h.append("<h2>Unavailable and failed</h2>\n<ul>\n");
            results.unavailable().forEach((k, why) -> h.append("<li>").append(esc(k + " unavailable: " + why)).append("</li>\n"));
            for (Run r : results.failures()) {
                h.append("<li>").append(esc(r.workload() + " " + r.kind() + " round " + r.round() + " failed: " + r.note()))
                        .append("</li>\n");
            }
            h.append("</ul>\n");
        }
        return h.append("<p class=\"sub\">Method: docs/BENCHMARKS.md. results.json and results.csv beside this file hold"
                + " every window.</p>\n</body>\n</html>\n").toString();
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><td class=\"kind\">").append(esc(key)).append("</td><td class=\"kind\">").append(esc(value))
                .append("</td></tr>\n");
    }

    private static String esc(String text) {
        return Charts.escape(text);
    }
}
