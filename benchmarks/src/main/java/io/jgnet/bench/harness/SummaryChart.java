package io.jgnet.bench.harness;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * chart.svg: the one picture for a README. Per workload, each jgnet kind's server CPU per request
 * as a ratio to Netty's best transport for that workload (the dashed line at 1.0), and for the
 * idle workload its memory per connection as the same kind of ratio; reference kinds (the C
 * epoll server) in grey under the workloads they serve, for scale. About 800 px wide, on a white
 * background of its own so that it reads the same on any page. Stateless.
 */
final class SummaryChart {

    static final int WIDTH = 800;
    /** Shades for the jgnet kinds, in order; all blues, so the family stays recognisable. */
    private static final List<String> JGNET_SHADES = List.of(BarChart.JGNET_COLOUR, "#6baed6", "#08306b", "#9ecae1");
    private static final int LABEL_RIGHT = 150;
    private static final int AXIS_LEFT = 160;
    private static final int AXIS_SPAN = 500;
    private static final int TOP = 88;
    private static final int BAR = 15;
    private static final int GAP = 3;
    private static final int GROUP_GAP = 12;

    private SummaryChart() {
    }

    /** The chart; {@code footnote} says where and when the figures were taken. */
    static String render(MatrixResults results, String footnote) {
        List<ServerKind> jgnet = results.kinds().stream().filter(k -> k.family() == ServerKind.Family.JGNET).toList();
        List<ServerKind> references = results.kinds().stream()
                .filter(k -> k.family() == ServerKind.Family.REFERENCE).toList();
        List<Workload> workloads = results.workloads();
        int contentHeight = 0;
        for (Workload w : workloads) {
            contentHeight += groupHeight(shown(jgnet, references, w).size()) + GROUP_GAP;
        }
        int height = TOP + contentHeight + 44;
        double max = 1.25;
        for (Workload w : workloads) {
            for (KindSummary s : results.summaries(w)) {
                double r = s.ratio(metric(w));
                if (s.kind().family() != ServerKind.Family.NETTY && Double.isFinite(r)) {
                    max = Math.max(max, r * 1.08);
                }
            }
        }
        double step = max <= 2 ? 0.25 : max <= 5 ? 0.5 : Math.ceil(max / 8);
        max = Math.ceil(max / step) * step;

        Svg svg = new Svg(WIDTH, height, "jgnet server CPU per request relative to Netty's best transport");
        svg.text(12, 24, "jgnet: server CPU per request, relative to Netty's best transport (lower is better)",
                "start", 15, true, BarChart.TEXT_COLOUR);
        svg.text(12, 44, "1.0 = the best of Netty nio / epoll / io_uring for each workload; idle: server memory per"
                + " open connection", "start", 12, false, BarChart.MUTED_COLOUR);
        double x = 12;
        for (int i = 0; i < jgnet.size(); i++) {
            svg.rect(x, 56, 12, 12, shade(i));
            svg.text(x + 16, 66, jgnet.get(i).name(), "start", 12, false, BarChart.TEXT_COLOUR);
            x += 36 + 7 * jgnet.get(i).name().length();
        }
        for (ServerKind reference : references) {
            svg.rect(x, 56, 12, 12, BarChart.REFERENCE_COLOUR);
            String label = reference.name() + " (reference)";
            svg.text(x + 16, 66, label, "start", 12, false, BarChart.TEXT_COLOUR);
            x += 36 + 7 * label.length();
        }
        svg.line(x, 62, x + 18, 62, BarChart.NETTY_COLOUR, true);
        svg.text(x + 22, 66, "Netty's best = 1.0", "start", 12, false, BarChart.TEXT_COLOUR);

        double bottom = TOP + contentHeight - GROUP_GAP;
        for (double t = 0; t <= max + 1e-9; t += step) {
            double tx = AXIS_LEFT + AXIS_SPAN * t / max;
            svg.line(tx, TOP - 6, tx, bottom + 4, "#e3e3e3", false);
            svg.text(tx, bottom + 18, String.format(Locale.ROOT, t == Math.rint(t) ? "%.0f\u00d7" : "%.2f\u00d7", t),
                    "middle", 11, false, BarChart.MUTED_COLOUR);
        }
        double y = TOP;
        for (Workload w : workloads) {
            List<ServerKind> kinds = shown(jgnet, references, w);
            int groupHeight = groupHeight(kinds.size());
            svg.text(LABEL_RIGHT, y + groupHeight / 2.0 + 4, w.idle() ? "idle memory" : w.name(), "end", 12, true,
                    BarChart.TEXT_COLOUR);
            for (int i = 0; i < kinds.size(); i++) {
                ServerKind kind = kinds.get(i);
                double by = y + i * (BAR + GAP);
                double ratio = ratioOf(results, w, kind);
                if (Double.isFinite(ratio)) {
                    double length = AXIS_SPAN * Math.min(ratio, max) / max;
                    String colour = kind.family() == ServerKind.Family.JGNET ? shade(i) : BarChart.REFERENCE_COLOUR;
                    svg.rect(AXIS_LEFT, by, length, BAR, colour, "bar");
                    svg.text(AXIS_LEFT + length + 5, by + BAR - 3, SummaryTable.ratio(ratio) + "\u00d7", "start", 11,
                            false, BarChart.TEXT_COLOUR);
                } else {
                    svg.text(AXIS_LEFT + 5, by + BAR - 3, kind.name() + ": no figure", "start", 11, false,
                            BarChart.MUTED_COLOUR);
                }
            }
            y += groupHeight + GROUP_GAP;
        }
        double one = AXIS_LEFT + AXIS_SPAN / max;
        svg.line(one, TOP - 10, one, bottom + 4, BarChart.NETTY_COLOUR, true);
        svg.text(12, height - 10, footnote, "start", 11, false, BarChart.MUTED_COLOUR);
        return svg.end();
    }

    /** The figure the chart compares for a workload: memory per connection for idle, else CPU per request. */
    static Metric metric(Workload w) {
        return w.idle() ? Metric.IDLE_BYTES : Metric.CPU_MICROS;
    }

    /** The bars under {@code w}: every jgnet kind, then the references that serve it. */
    private static List<ServerKind> shown(List<ServerKind> jgnet, List<ServerKind> references, Workload w) {
        return Stream.concat(jgnet.stream(), references.stream().filter(k -> k.serves(w))).toList();
    }

    private static int groupHeight(int bars) {
        return Math.max(1, bars) * (BAR + GAP) - GAP;
    }

    private static double ratioOf(MatrixResults results, Workload w, ServerKind kind) {
        return results.summaries(w).stream().filter(s -> s.kind().name().equals(kind.name())).findFirst()
                .map(s -> s.ratio(metric(w))).orElse(Double.NaN);
    }

    private static String shade(int index) {
        return JGNET_SHADES.get(index % JGNET_SHADES.size());
    }
}
