package io.jgnet.examples.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Scanning HTTP's ASCII syntax in a buffer with absolute indexes, never moving its position:
 * line ends, tokens, whitespace, case-insensitive comparison. Stateless.
 */
final class HttpSyntax {
    /** {@link #lineEnd}: no LF yet. */
    static final int INCOMPLETE = -1;
    /** {@link #lineEnd}: a LF without the CR before it. */
    static final int MALFORMED = -2;

    /** A Content-Length or chunk size past any limit; saturating here keeps the arithmetic in a long. */
    static final long TOO_BIG = 1L << 40;

    /** tchar of RFC 9110 section 5.6.2: the bytes a method or header name may hold. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** The index of the CR ending the line from {@code p}; {@link #INCOMPLETE} before its LF; {@link #MALFORMED} for a bare LF. */
    static int lineEnd(ByteBuffer in, int p, int limit) {
        for (int i = p; i < limit; i++) {
            if (in.get(i) == '\n') {
                return i > p && in.get(i - 1) == '\r' ? i - 1 : MALFORMED;
            }
        }
        return INCOMPLETE;
    }

    static int skipTokens(ByteBuffer in, int i, int to) {
        for (byte b; i < to && (b = in.get(i)) >= 0 && TCHAR[b]; ) {
            i++;
        }
        return i;
    }

    static int skipOws(ByteBuffer in, int i, int to) {
        while (i < to && isOws(in.get(i))) {
            i++;
        }
        return i;
    }

    static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Compares {@code in[at...]} with lower-case ASCII {@code lower}, ignoring case. Setting bit
     * 0x20 folds only letters here, because the callers have already rejected the control bytes
     * that it would also map onto digits and '-'.
     */
    static boolean equalsIgnoreCase(ByteBuffer in, int at, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            if ((in.get(at + k) | 0x20) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean bytesEqual(ByteBuffer in, int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if (in.get(from + k) != expected[k]) {
                return false;
            }
        }
        return true;
    }

    /** The hex size of a chunk size line in {@code [p, eol)}, or -1 if malformed; extensions are skipped. */
    static long chunkSize(ByteBuffer in, int p, int eol) {
        long size = 0;
        int i = p;
        for (int digit; i < eol && (digit = Character.digit(in.get(i), 16)) >= 0; i++) {
            size = Math.min(size * 16 + digit, TOO_BIG);
        }
        if (i == p) {
            return -1;
        }
        i = skipOws(in, i, eol);
        return i == eol || in.get(i) == ';' ? size : -1;
    }

    static String string(ByteBuffer in, int from, int to) {
        byte[] bytes = new byte[to - from];
        in.get(from, bytes);
        // Latin-1 maps each byte to one char, so obs-text in values survives unchanged.
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private HttpSyntax() {
    }
}
