package io.jgnet.bench.report;

import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.MatrixResults.Metric;
import io.jgnet.bench.matrix.MatrixResults.Summary;
import io.jgnet.bench.matrix.ServerKind;
import io.jgnet.bench.matrix.Workload;
import java.util.List;
import java.util.Locale;

/**
 * The summary chart (chart.svg, and the head of report.html), self-contained: white background,
 * the viewer's own sans-serif, every text escaped. Each jgnet kind's ratio to its base per
 * workload, the spread over rounds as a whisker, references in grey. Stateless.
 */
final class Charts {

    static final String JGNET = "#1f66b3";
    static final String NETTY = "#e8650a";
    static final String REFERENCE = "#8a8a8a";
    private static final String TEXT = "#222222";
    private static final String MUTED = "#666666";
    private static final List<String> JGNET_SHADES = List.of(JGNET, "#6baed6", "#08306b", "#9ecae1");

    private Charts() {
    }

    /**
     * chart.svg: per workload, each jgnet kind's server CPU per request (idle: memory per
     * connection) over its base, 1.0 being the best Netty transport doing the same work, with a
     * whisker from the lowest to the highest per-round ratio; reference kinds in grey.
     */
    static String summary(MatrixResults results, String footnote) {
        List<ServerKind> shown = results.kinds().stream().filter(k -> k.family() != ServerKind.Family.NETTY).toList();
        int top = 80;
        int bar = 15;
        int height = top + 44;
        double max = 1.25;
        for (Workload w : results.workloads()) {
            List<Summary> rows = rows(results, w, shown);
            height += rows.size() * (bar + 3) + 12;
            for (Summary s : rows) {
                double hi = Double.isNaN(s.high(metric(w))) ? s.ratio(metric(w)) : s.high(metric(w));
                max = Double.isFinite(hi) ? Math.max(max, hi * 1.08) : max;
            }
        }
        double step = max <= 2 ? 0.25 : max <= 5 ? 0.5 : Math.ceil(max / 8);
        max = Math.ceil(max / step) * step;
        String title = "jgnet's server CPU per request, relative to Netty's best doing the same work (lower is better)";
        StringBuilder svg = open(800, height, title);
        text(svg, 12, 24, title, "start", 14, true, TEXT);
        text(svg, 12, 44, "1.0 = the best of Netty nio / epoll / io_uring per workload; whiskers: lowest-highest round;"
                + " idle: memory per connection", "start", 12, false, MUTED);
        double x = 12;
        for (int i = 0; i < shown.size(); i++) {
            ServerKind k = shown.get(i);
            rect(svg, x, 56, 12, 12, k.family() == ServerKind.Family.JGNET ? JGNET_SHADES.get(i % 4) : REFERENCE);
            text(svg, x + 16, 66, k.name(), "start", 12, false, TEXT);
            x += 30 + 7 * k.name().length();
        }
        double bottom = height - 44;
        for (double t = 0; t <= max + 1e-9; t += step) {
            double tx = 160 + 500 * t / max;
            line(svg, tx, top - 6, tx, bottom, "#e3e3e3");
            text(svg, tx, bottom + 14, String.format(Locale.ROOT, "%.2f\u00d7", t), "middle", 11, false, MUTED);
        }
        double y = top;
        for (Workload w : results.workloads()) {
            List<Summary> rows = rows(results, w, shown);
            text(svg, 150, y + rows.size() * (bar + 3) / 2.0 + 4, w.name(), "end", 12, true, TEXT);
            for (Summary s : rows) {
                double r = s.ratio(metric(w));
                if (Double.isFinite(r)) {
                    int index = shown.indexOf(s.kind());
                    rect(svg, 160, y, 500 * Math.min(r, max) / max, bar,
                            s.kind().family() == ServerKind.Family.JGNET ? JGNET_SHADES.get(index % 4) : REFERENCE);
                    double lo = s.low(metric(w));
                    double hi = s.high(metric(w));
                    if (Double.isFinite(lo) && Double.isFinite(hi) && hi > lo) {
                        line(svg, 160 + 500 * lo / max, y + bar / 2.0, 160 + 500 * Math.min(hi, max) / max, y + bar / 2.0, TEXT);
                    }
                    text(svg, 165 + 500 * Math.min(Math.max(r, Double.isFinite(hi) ? hi : r), max) / max, y + bar - 3,
                            Tables.number(r, 2) + "\u00d7", "start", 11, false, TEXT);
                } else {
                    text(svg, 165, y + bar - 3, s.kind().name() + ": no figure", "start", 11, false, MUTED);
                }
                y += bar + 3;
            }
            y += 12;
        }
        double one = 160 + 500 / max;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-dasharray=\"4 3\"/>%n", one, top - 10, one, bottom, NETTY));
        text(svg, 12, height - 10, clip(footnote, 125), "start", 11, false, MUTED);
        return svg.append("</svg>\n").toString();
    }

    private static List<Summary> rows(MatrixResults results, Workload w, List<ServerKind> shown) {
        return results.summaries(w).stream().filter(s -> shown.contains(s.kind())).toList();
    }

    /** What the summary chart compares: memory per connection for idle, else CPU per request. */
    static Metric metric(Workload w) {
        return w.idle() ? Metric.IDLE_BYTES : Metric.CPU_MICROS;
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\""
                + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" font-family=\"system-ui,"
                + " -apple-system, Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"12\">%n<title>%s</title>%n",
                width, height, width, height, escape(title), escape(title)));
        rect(svg, 0, 0, width, height, "#ffffff");
        return svg;
    }

    private static void rect(StringBuilder svg, double x, double y, double w, double h, String fill) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, y, w, h, fill));
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String stroke) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, stroke));
    }

    private static void text(StringBuilder svg, double x, double y, String text, String anchor, int size, boolean bold,
                             String fill) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s fill=\"%s\">"
                + "%s</text>%n", x, y, anchor, size, bold ? " font-weight=\"bold\"" : "", fill, escape(text)));
    }

    /** Escapes text for XML content and attributes; control characters XML 1.0 forbids become '?'. */
    static String escape(String text) {
        StringBuilder e = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> e.append("&amp;");
                case '<' -> e.append("&lt;");
                case '>' -> e.append("&gt;");
                case '"' -> e.append("&quot;");
                case '\'' -> e.append("&#39;");
                default -> e.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c);
            }
        }
        return e.toString();
    }
}
