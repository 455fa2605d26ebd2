package io.jgnet.bench.report;

import io.jgnet.bench.matrix.MatrixResults;
import io.jgnet.bench.matrix.MatrixResults.Figure;
import io.jgnet.bench.matrix.MatrixResults.Metric;
import io.jgnet.bench.matrix.MatrixResults.Summary;
import io.jgnet.bench.matrix.ServerKind;
import io.jgnet.bench.matrix.Workload;
import java.util.List;
import java.util.Locale;

/**
 * The summary chart (chart.svg, the README's docs/benchmark.svg, and the head of report.html),
 * self-contained: white background, the viewer's own sans-serif, every text escaped. Stateless.
 */
final class Charts {

    private static final String NETTY = "#e8650a";
    private static final String REFERENCE = "#8a8a8a";
    private static final String TEXT = "#222222";
    private static final String MUTED = "#666666";
    private static final List<String> JGNET_SHADES = List.of("#1f66b3", "#6baed6", "#08306b", "#9ecae1");
    /** Where the bars start and how wide 0 to the axis' maximum is, in pixels. */
    private static final int LEFT = 160;
    private static final int WIDTH = 500;

    private Charts() {
    }

    /**
     * Per workload, each jgnet kind's server CPU per request (idle: memory per connection) over its
     * base, 1.0 being the best Netty transport doing the same work, with a whisker from the lowest
     * to the highest per-round ratio; reference kinds in grey.
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
                Figure f = s.of(metric(w));
                double hi = Double.isNaN(f.high()) ? f.ratio() : f.high();
                max = Double.isFinite(hi) ? Math.max(max, hi * 1.08) : max;
            }
        }
        double step = max <= 2 ? 0.25 : max <= 5 ? 0.5 : Math.ceil(max / 8);
        max = Math.ceil(max / step) * step;
        String title = "jgnet's server CPU per request, relative to Netty's best doing the same work (lower is better)";
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\""
                + " width=\"800\" height=\"%d\" viewBox=\"0 0 800 %d\" role=\"img\" aria-label=\"%s\" font-family=\"system-ui,"
                + " -apple-system, Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"12\">%n<title>%s</title>%n",
                height, height, escape(title), escape(title)));
        rect(svg, 0, 0, 800, height, "#ffffff");
        text(svg, 12, 24, title, "start", 14, true, TEXT);
        text(svg, 12, 44, "1.0 = the best of Netty nio / epoll / io_uring per workload; whiskers: lowest-highest round;"
                + " idle: memory per connection", "start", 12, false, MUTED);
        double x = 12;
        for (ServerKind k : shown) {
            rect(svg, x, 56, 12, 12, colour(k, shown));
            text(svg, x + 16, 66, k.name(), "start", 12, false, TEXT);
            x += 30 + 7 * k.name().length();
        }
        double bottom = height - 44;
        for (double t = 0; t <= max + 1e-9; t += step) {
            double tx = LEFT + WIDTH * t / max;
            line(svg, tx, top - 6, tx, bottom, "#e3e3e3", "");
            text(svg, tx, bottom + 14, String.format(Locale.ROOT, "%.2f\u00d7", t), "middle", 11, false, MUTED);
        }
        double y = top;
        for (Workload w : results.workloads()) {
            List<Summary> rows = rows(results, w, shown);
            text(svg, LEFT - 10, y + rows.size() * (bar + 3) / 2.0 + 4, w.name(), "end", 12, true, TEXT);
            for (Summary s : rows) {
                Figure f = s.of(metric(w));
                if (Double.isFinite(f.ratio())) {
                    rect(svg, LEFT, y, WIDTH * Math.min(f.ratio(), max) / max, bar, colour(s.kind(), shown));
                    if (Double.isFinite(f.low()) && Double.isFinite(f.high()) && f.high() > f.low()) {
                        line(svg, LEFT + WIDTH * f.low() / max, y + bar / 2.0, LEFT + WIDTH * Math.min(f.high(), max) / max,
                                y + bar / 2.0, TEXT, "");
                    }
                    double end = Math.max(f.ratio(), Double.isFinite(f.high()) ? f.high() : f.ratio());
                    text(svg, LEFT + 5 + WIDTH * Math.min(end, max) / max, y + bar - 3, Tables.number(f.ratio(), 2) + "\u00d7",
                            "start", 11, false, TEXT);
                } else {
                    text(svg, LEFT + 5, y + bar - 3, s.kind().name() + ": no figure", "start", 11, false, MUTED);
                }
                y += bar + 3;
            }
            y += 12;
        }
        line(svg, LEFT + WIDTH / max, top - 10, LEFT + WIDTH / max, bottom, NETTY, " stroke-dasharray=\"4 3\"");
        String note = footnote.length() <= 125 ? footnote : footnote.substring(0, 124) + "\u2026";
        text(svg, 12, height - 10, note, "start", 11, false, MUTED);
        return svg.append("</svg>\n").toString();
    }

    private static List<Summary> rows(MatrixResults results, Workload w, List<ServerKind> shown) {
        return results.summaries(w).stream().filter(s -> shown.contains(s.kind())).toList();
    }

    /** What the summary chart compares: memory per connection for idle, else CPU per request. */
    private static Metric metric(Workload w) {
        return w.idle() ? Metric.IDLE_BYTES : Metric.CPU_MICROS;
    }

    private static String colour(ServerKind kind, List<ServerKind> shown) {
        return kind.family() == ServerKind.Family.JGNET ? JGNET_SHADES.get(shown.indexOf(kind) % 4) : REFERENCE;
    }

    private static void rect(StringBuilder svg, double x, double y, double w, double h, String fill) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, y, w, h, fill));
    }

    private static void line(StringBuilder svg, double x1, double y1, double x2, double y2, String stroke, String extra) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                x1, y1, x2, y2, stroke, extra));
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
