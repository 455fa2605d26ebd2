package io.jgnet.bench.harness;

import java.util.Locale;

/**
 * A minimal SVG writer for the matrix's charts: an {@code <svg>} root, rectangles, lines and
 * text, with every piece of text escaped so that a kind name or a failure reason can never break
 * the XML. Not thread-safe; one instance writes one chart.
 */
final class Svg {

    /** The font stack of the charts: the viewer's own sans-serif, no web font to fetch. */
    static final String FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

    private final StringBuilder out = new StringBuilder();

    /**
     * Starts a chart {@code width} x {@code height} px on a white background (so it reads the same
     * on a dark page), titled {@code title} for screen readers.
     */
    Svg(int width, int height, String title) {
        out.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " role=\"img\" aria-label=\"%s\" font-family=\"%s\" font-size=\"12\">%n",
                width, height, width, height, escape(title), escape(FONT)));
        out.append("<title>").append(escape(title)).append("</title>\n");
        rect(0, 0, width, height, "#ffffff");
    }

    Svg rect(double x, double y, double width, double height, String fill) {
        return rect(x, y, width, height, fill, "");
    }

    /** A rectangle with a class name, so tests and stylesheets can find the bars among the shapes. */
    Svg rect(double x, double y, double width, double height, String fill, String className) {
        out.append(String.format(Locale.ROOT, "<rect%s x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>%n",
                className.isEmpty() ? "" : " class=\"" + escape(className) + "\"", x, y, width, height, escape(fill)));
        return this;
    }

    /** A line; {@code dashed} for reference marks such as "Netty best". */
    Svg line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
        out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                x1, y1, x2, y2, escape(stroke), dashed ? " stroke-dasharray=\"4 3\"" : ""));
        return this;
    }

    /** Text at baseline {@code y}; {@code anchor} is start, middle or end. */
    Svg text(double x, double y, String text, String anchor, int size, boolean bold, String fill) {
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s fill=\"%s\">%s</text>%n",
                x, y, escape(anchor), size, bold ? " font-weight=\"bold\"" : "", escape(fill), escape(text)));
        return this;
    }

    /** The finished document. */
    String end() {
        return out + "</svg>\n";
    }

    /** Escapes text for XML content and attribute values alike (both quote characters included). */
    static String escape(String text) {
        StringBuilder e = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> e.append("&amp;");
                case '<' -> e.append("&lt;");
                case '>' -> e.append("&gt;");
                case '"' -> e.append("&quot;");
                case '\'' -> e.append("&#39;");
                default -> {
                    // Control characters other than tab and newlines are not allowed in XML 1.0 at all.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        e.append('?');
                    } else {
                        e.append(c);
                    }
                }
            }
        }
        return e.toString();
    }
}
