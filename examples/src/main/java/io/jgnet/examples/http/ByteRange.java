package io.jgnet.examples.http;

/**
 * The one byte range of a {@code Range} header (RFC 9110 section 14.1.2) against a file of a
 * given size: {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffixLength}.
 * Several ranges, other units and bad syntax are ignored (the whole file is sent), which the RFC
 * allows a server to do. Stateless.
 */
final class ByteRange {
    /** The answer for a range that starts past the end of the file: 416. */
    static final long[] UNSATISFIABLE = new long[0];

    private ByteRange() {
    }

    /**
     * {@code {first, last}} (inclusive) of the range in {@code header} for a file of {@code size}
     * bytes; null to send the whole file; {@link #UNSATISFIABLE} for 416.
     */
    static long[] parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String spec = header.strip();
        if (!spec.regionMatches(true, 0, "bytes=", 0, 6) || spec.indexOf(',') >= 0) {
            return null;
        }
        spec = spec.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long first = number(spec.substring(0, dash).strip());
        long last = number(spec.substring(dash + 1).strip());
        if (dash == 0) {
            // A suffix: the last N bytes.
            if (last < 0) {
                return null;
            }
            if (last == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] {Math.max(0, size - last), size - 1};
        }
        if (first < 0 || (dash < spec.length() - 1 && last < 0) || (last >= 0 && last < first)) {
            return null;
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new long[] {first, last < 0 ? size - 1 : Math.min(last, size - 1)};
    }

    /** The decimal number, or -1 if empty, not all digits, or too long to be a file offset. */
    private static long number(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }
}
