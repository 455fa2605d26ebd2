package io.jgnet.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The word-at-a-time search agrees with a plain byte loop, wherever the match falls, whatever
 * the buffer's byte order and memory, and next to the bytes that fool a sloppy zero-byte test.
 */
class ByteSearchTest {

    @Property(tries = 1000)
    void findsTheSameByteAsAPlainLoopAmongNearMisses(@ForAll @Size(max = 80) List<@IntRange(max = 6) Integer> picks,
                                                     @ForAll byte value, @ForAll @IntRange(max = 80) int from,
                                                     @ForAll @IntRange(max = 80) int shortOfEnd,
                                                     @ForAll boolean direct, @ForAll boolean littleEndian) {
        // The value, and bytes one bit or one borrow away from it: where an inexact test slips
        // (value ^ 1 right after a match is what a borrow from the match marks).
        byte[] nearby = {value, (byte) (value ^ 0x80), (byte) (value + 1), (byte) (value - 1), 0, (byte) 0xFF,
                (byte) (value ^ 1)};
        byte[] bytes = new byte[picks.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = nearby[picks.get(i)];
        }
        ByteBuffer buffer = buffer(bytes, direct, littleEndian);
        int to = Math.max(0, bytes.length - shortOfEnd);
        int start = Math.min(from, to);
        assertThat(ByteSearch.indexOf(buffer, start, to, value)).isEqualTo(plain(bytes, start, to, value));
    }

    @Property(tries = 300)
    void findsTheSameByteAsAPlainLoopInLongRangesFromAnyPosition(
            @ForAll @IntRange(min = 1, max = 1500) int length, @ForAll @Size(max = 4) List<@IntRange(max = 1499) Integer> matches,
            @ForAll byte value, @ForAll @IntRange(max = 300) int position, @ForAll @IntRange(max = 300) int fromPastPosition,
            @ForAll @IntRange(max = 40) int shortOfEnd, @ForAll boolean direct, @ForAll boolean littleEndian) {
        // Long ranges, matches anywhere, a buffer positioned past 0: the search reads by index.
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) (value ^ 1));
        for (int at : matches) {
            if (at < length) {
                bytes[at] = value;
            }
        }
        ByteBuffer buffer = buffer(bytes, direct, littleEndian);
        int to = Math.max(0, length - shortOfEnd);
        buffer.limit(to).position(Math.min(position, to));
        int from = Math.min(buffer.position() + fromPastPosition, to);
        assertThat(ByteSearch.indexOf(buffer, from, to, value)).isEqualTo(plain(bytes, from, to, value));
        assertThat(buffer.position()).isEqualTo(Math.min(position, to));
    }

    @Example
    void findsTheOnlyMatchAtEveryOffsetOfEveryLength() {
        byte value = '\n';
        for (int length = 1; length <= 70; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) ('\n' ^ 0x80));
                bytes[at] = value;
                for (boolean littleEndian : new boolean[]{false, true}) {
                    ByteBuffer buffer = buffer(bytes, true, littleEndian);
                    for (int from = 0; from <= at; from++) {
                        assertThat(ByteSearch.indexOf(buffer, from, length, value))
                                .as("length %d, match at %d, from %d, %s", length, at, from, buffer.order())
                                .isEqualTo(at);
                    }
                    assertThat(ByteSearch.indexOf(buffer, at + 1, length, value)).isEqualTo(-1);
                    assertThat(ByteSearch.indexOf(buffer, 0, at, value)).isEqualTo(-1);
                }
            }
        }
    }

    @Property(tries = 500)
    void findsTheSameByteAsAPlainLoop(@ForAll @Size(max = 100) byte[] bytes, @ForAll byte value,
                                      @ForAll @IntRange(max = 20) int from, @ForAll boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
        int start = Math.min(from, bytes.length);
        assertThat(ByteSearch.indexOf(buffer, start, bytes.length, value))
                .isEqualTo(plain(bytes, start, bytes.length, value));
    }

    @Property(tries = 500)
    void findsTheSameNeedleAsAPlainLoop(@ForAll @Size(max = 100) byte[] bytes, @ForAll @Size(min = 1, max = 3) byte[] needle) {
        // Draw the haystack from the needle's bytes so that matches, partial ones included, are common.
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = needle[Math.floorMod(bytes[i], needle.length)];
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int expected = -1;
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            expected = i;
            break;
        }
        assertThat(ByteSearch.indexOf(buffer, 0, bytes.length, needle)).isEqualTo(expected);
    }

    private static ByteBuffer buffer(byte[] bytes, boolean direct, boolean littleEndian) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
        return buffer.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    private static int plain(byte[] bytes, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
