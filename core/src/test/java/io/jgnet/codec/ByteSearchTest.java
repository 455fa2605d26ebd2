package io.jgnet.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The word-at-a-time search agrees with a plain byte loop, wherever the match falls. */
class ByteSearchTest {

    @Property(tries = 500)
    void findsTheSameByteAsAPlainLoop(@ForAll @Size(max = 100) byte[] bytes, @ForAll byte value,
                                      @ForAll @IntRange(max = 20) int from, @ForAll boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
        int start = Math.min(from, bytes.length);
        assertThat(ByteSearch.indexOf(buffer, start, bytes.length, value)).isEqualTo(plain(bytes, start, value));
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

    private static int plain(byte[] bytes, int from, byte value) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
