package io.jgnet.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Finds a byte in a buffer eight bytes at a time ("SWAR"): each 64-bit word is XORed with the
 * byte repeated eight times, and an exact zero-byte test marks the bytes that matched, so the
 * first match falls out of a leading- or trailing-zero count instead of a byte-by-byte rescan.
 * This is what lets the line and delimiter codecs keep up with long frames. Stateless.
 */
final class ByteSearch {
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW_SEVENS = 0x7F7F7F7F7F7F7F7FL;

    private ByteSearch() {
    }

    /** The absolute index of the first {@code value} in {@code in[from, to)}, or -1. */
    static int indexOf(ByteBuffer in, int from, int to, byte value) {
        if (to - from < Long.BYTES) {
            return indexOfBytewise(in, from, to, value);
        }
        long pattern = (value & 0xFFL) * ONES;
        // getLong reads in the buffer's order: the byte first in memory is the word's low byte
        // in little-endian order, its high byte in big-endian order.
        boolean littleEndian = in.order() == ByteOrder.LITTLE_ENDIAN;
        int lastWord = to - Long.BYTES;
        int i = from;
        // Four words per iteration: one branch per 32 bytes is most of the speed on long frames;
        // the word that matched is found again only once, at the end.
        for (; i <= lastWord - 3 * Long.BYTES; i += 4 * Long.BYTES) {
            long any = matches(in.getLong(i), pattern) | matches(in.getLong(i + Long.BYTES), pattern)
                    | matches(in.getLong(i + 2 * Long.BYTES), pattern) | matches(in.getLong(i + 3 * Long.BYTES), pattern);
            if (any != 0) {
                break;
            }
        }
        for (; i <= lastWord; i += Long.BYTES) {
            long found = matches(in.getLong(i), pattern);
            if (found != 0) {
                return i + firstMatch(found, littleEndian);
            }
        }
        if (i == to) {
            return -1;
        }
        // The last word overlaps bytes already searched, which held no match: its first match
        // is the first one in the tail.
        long found = matches(in.getLong(lastWord), pattern);
        return found == 0 ? -1 : lastWord + firstMatch(found, littleEndian);
    }

    /**
     * The word with the high bit of every byte of {@code word} equal to the pattern's byte set,
     * and no other bit: exact, unlike the shorter {@code (x - ONES) & ~x} test, whose borrow
     * can mark a byte next to a real match.
     */
    private static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return ~(((x & LOW_SEVENS) + LOW_SEVENS) | x | LOW_SEVENS);
    }

    /** The memory offset, 0 to 7, of the first byte marked in {@code matches} (not 0). */
    private static int firstMatch(long matches, boolean littleEndian) {
        return (littleEndian ? Long.numberOfTrailingZeros(matches) : Long.numberOfLeadingZeros(matches)) >>> 3;
    }

    private static int indexOfBytewise(ByteBuffer in, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
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
