package io.jgnet.examples.redis;

/**
 * Redis's glob patterns, for KEYS: {@code *} any run of bytes, {@code ?} one byte,
 * {@code [abc]} one of a set, {@code [^abc]} one not in it, {@code [a-z]} a range (either
 * order), and {@code \} making the next byte literal, inside a set too. The quirks follow
 * Redis's {@code stringmatchlen}: a set never closed runs to the end of the pattern, a trailing
 * {@code \} is a literal backslash, and {@code []} matches nothing. Bytes compare unsigned.
 *
 * <p>Iterative, remembering only the last {@code *}: every other token matches exactly one
 * byte, so retrying from the last star is enough, and a hostile pattern costs at most
 * pattern × key steps with no recursion (Redis recurses, and had to cap it).
 *
 * <p>Stateless; safe from any thread.
 */
final class Glob {
    private Glob() {
    }

    static boolean matches(byte[] pattern, byte[] text) {
        int p = 0;
        int t = 0;
        int starResume = -1; // the pattern index after the last star seen, or -1
        int starText = 0;    // the text index that star currently stops at
        while (t < text.length) {
            if (p < pattern.length && pattern[p] == '*') {
                while (p < pattern.length && pattern[p] == '*') {
                    p++;
                }
                starResume = p;
                starText = t;
                continue;
            }
            int next = p < pattern.length ? matchOne(pattern, p, text[t]) : -1;
            if (next >= 0) {
                p = next;
                t++;
            } else if (starResume >= 0) {
                // Let the last star swallow one more byte and try again from just after it.
                p = starResume;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }

    /** The pattern index after the token at {@code p} if it matches {@code c}, else -1. */
    private static int matchOne(byte[] pattern, int p, byte c) {
        return switch (pattern[p]) {
            case '?' -> p + 1;
            case '[' -> matchSet(pattern, p + 1, c);
            case '\\' -> {
                int literal = p + 1 < pattern.length ? p + 1 : p;
                yield pattern[literal] == c ? literal + 1 : -1;
            }
            default -> pattern[p] == c ? p + 1 : -1;
        };
    }

    /** A set whose body starts at {@code p} (just after the '['). */
    private static int matchSet(byte[] pattern, int p, byte c) {
        boolean negate = p < pattern.length && pattern[p] == '^';
        if (negate) {
            p++;
        }
        boolean match = false;
        int end;
        while (true) {
            int left = pattern.length - p;
            if (left == 0) {
                end = pattern.length;
                break;
            }
            if (pattern[p] == '\\' && left >= 2) {
                p++;
                match |= pattern[p] == c;
            } else if (pattern[p] == ']') {
                end = p + 1;
                break;
            } else if (left >= 3 && pattern[p + 1] == '-') {
                int low = pattern[p] & 0xff;
                int high = pattern[p + 2] & 0xff;
                int value = c & 0xff;
                match |= value >= Math.min(low, high) && value <= Math.max(low, high);
                p += 2;
            } else {
                match |= pattern[p] == c;
            }
            p++;
        }
        return match != negate ? end : -1;
    }
}
