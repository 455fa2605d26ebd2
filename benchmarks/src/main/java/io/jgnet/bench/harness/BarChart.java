package io.jgnet.bench.harness;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The report's horizontal bar chart: one bar per server kind, coloured by family, each labelled
 * with the kind, its value and its ratio to Netty's best, and a dashed mark at Netty's best
 * value. A kind without a figure (unavailable, failed) gets its reason in place of a bar.
 * Stateless.
 */
final class BarChart {

    static final String JGNET_COLOUR = "#1f66b3";
    static final String NETTY_COLOUR = "#e8650a";
    static final String REFERENCE_COLOUR = "#8a8a8a";
    static final String TEXT_COLOUR = "#222222";
    static final String MUTED_COLOUR = "#666666";

    static final int WIDTH = 760;
    private static final int LABEL_RIGHT = 128;
    private static final int BAR_LEFT = 136;
    /** The longest bar; what is right of it holds the value text. */
    static final int BAR_SPAN = 380;
    private static final int TOP = 54;
    private static final int ROW = 26;
    private static final int BAR_HEIGHT = 17;
    /** Characters of a reason that fit right of the label column at 12 px. */
    private static final int MAX_NOTE = 90;

    /**
     * One bar.
     *
     * @param label  the kind's name
     * @param family its family, which picks the colour
     * @param value  the figure, NaN when there is none
     * @param text   what is written after the bar: the value and its ratio, or why there is no bar
     */
    record Bar(String label, ServerKind.Family family, double value, String text) {
    }

    private BarChart() {
    }

    /** The bars of {@code metric} for one workload's kinds; {@code unit} follows each value. */
    static List<Bar> bars(List<KindSummary> kinds, Metric metric, String unit, int decimals) {
        List<Bar> bars = new ArrayList<>();
        for (KindSummary s : kinds) {
            double v = s.median(metric);
            String text;
            if (!Double.isNaN(v)) {
                text = grouped(v, decimals) + " " + unit + ratioText(s.ratio(metric));
            } else if (s.hasFigures()) {
                text = "not reported";
            } else {
                text = clip(SummaryTable.brief(s.state()), MAX_NOTE);
            }
            bars.add(new Bar(s.kind().name(), s.kind().family(), v, text));
        }
        return bars;
    }

    /** Cuts {@code text} to {@code max} characters with an ellipsis, so it stays inside the chart. */
    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    private static String ratioText(double ratio) {
        return Double.isNaN(ratio) ? "" : "  \u00b7  " + SummaryTable.ratio(ratio) + "\u00d7 Netty best";
    }

    /** "123,456" or "8.12": thousands grouped so that long rates stay readable; "-" for none. */
    static String grouped(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return Double.isInfinite(value) ? "inf" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String colour(ServerKind.Family family) {
        return switch (family) {
            case JGNET -> JGNET_COLOUR;
            case NETTY -> NETTY_COLOUR;
            case REFERENCE -> REFERENCE_COLOUR;
        };
    }

    /**
     * The chart as an SVG element. Bars are proportional to their values, the longest value
     * filling {@link #BAR_SPAN}; {@code nettyBest} (NaN for none) is marked with a dashed line.
     */
    static String render(String title, List<Bar> bars, double nettyBest) {
        int height = TOP + ROW * Math.max(1, bars.size()) + 8;
        Svg svg = new Svg(WIDTH, height, title);
        svg.text(8, 20, title, "start", 14, true, TEXT_COLOUR);
        legend(svg, bars);
        double max = bars.stream().mapToDouble(Bar::value).filter(v -> !Double.isNaN(v) && !Double.isInfinite(v))
                .max().orElse(0);
        max = Math.max(max, Double.isNaN(nettyBest) ? 0 : nettyBest);
        // First, so that bars and labels are drawn over it.
        if (!Double.isNaN(nettyBest) && max > 0) {
            double x = BAR_LEFT + BAR_SPAN * nettyBest / max;
            svg.line(x, TOP - 6, x, TOP + ROW * bars.size() - 6, TEXT_COLOUR, true);
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double y = TOP + i * ROW;
            svg.text(LABEL_RIGHT, y + BAR_HEIGHT - 4, bar.label(), "end", 12, false, TEXT_COLOUR);
            double length = barLength(bar.value(), max);
            if (length > 0) {
                svg.rect(BAR_LEFT, y, length, BAR_HEIGHT, colour(bar.family()), "bar");
            }
            svg.text(BAR_LEFT + length + 6, y + BAR_HEIGHT - 4, bar.text(), "start", 12, false,
                    Double.isNaN(bar.value()) ? MUTED_COLOUR : TEXT_COLOUR);
        }
        return svg.end();
    }

    /** The bar's length in px: proportional to the value, 0 for no value. */
    static double barLength(double value, double max) {
        if (Double.isNaN(value) || max <= 0) {
            return 0;
        }
        return BAR_SPAN * Math.min(value, max) / max;
    }

    /** Swatches for the families present, and the dashed Netty-best mark, under the title. */
    private static void legend(Svg svg, List<Bar> bars) {
        Set<ServerKind.Family> present = EnumSet.noneOf(ServerKind.Family.class);
        bars.forEach(b -> present.add(b.family()));
        double x = 8;
        for (ServerKind.Family f : present) {
            svg.rect(x, 30, 12, 12, colour(f));
            svg.text(x + 16, 40, f.label, "start", 12, false, TEXT_COLOUR);
            x += 28 + 8 * f.label.length();
        }
        svg.line(x, 36, x + 18, 36, TEXT_COLOUR, true);
        svg.text(x + 22, 40, "Netty's best", "start", 12, false, TEXT_COLOUR);
    }
}
