package io.jgnet.codec;

import java.nio.ByteBuffer;

/**
 * Finds a byte in a buffer eight bytes at a time ("SWAR": a zero-byte test on a 64-bit word),
 * which is what lets the line and delimiter codecs keep up with long frames. Stateless.
 */
final class ByteSearch {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** The absolute index of the first {@code value} in {@code in[from, to)}, or -1. */
    static int indexOf(ByteBuffer in, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = in.getLong(i) ^ pattern;
            // Non-zero exactly when some byte of word is zero, i.e. some byte equals value.
            if (((word - ONES) & ~word & HIGHS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            if (in.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    /** The absolute index of the first occurrence of {@code needle} in {@code in[from, to)}, or -1. */
    static int indexOf(ByteBuffer in, int from, int to, byte[] needle) {
        if (needle.length == 1) {
            return indexOf(in, from, to, needle[0]);
        }
        int last = to - needle.length;
        int i = from;
        while (i <= last) {
            int at = indexOf(in, i, last + 1, needle[0]);
            if (at < 0) {
                return -1;
            }
            if (matchesAt(in, at, needle)) {
                return at;
            }
            i = at + 1;
        }
        return -1;
    }

    private static boolean matchesAt(ByteBuffer in, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (in.get(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
