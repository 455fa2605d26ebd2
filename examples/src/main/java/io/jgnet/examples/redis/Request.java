package io.jgnet.examples.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one parsed command, as offsets into the connection's inbound bytes: nothing
 * is copied until a command must keep a value. The parser fills it; the command reads it.
 *
 * <p>Offsets are relative to the command's first byte, which stays the first unconsumed inbound
 * byte until the command is complete, so a command split over several reads resumes where it
 * stopped. The bytes are valid only during the callback that parsed them.
 *
 * <p>Owned by one connection, hence one loop thread. Public only so that the benchmarks module
 * can read what {@link RespParser} found ({@link #count}, {@link #index}).
 */
public final class Request {
    /** Arrays grown past this for one huge command are dropped afterwards, not kept per connection. */
    private static final int KEPT_CAPACITY = 1024;

    private ByteBuffer in;
    private int base;
    private int count;
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];

    /** Points at the command starting at {@code in[base]}, keeping the arguments parsed so far. */
    void bind(ByteBuffer in, int base) {
        this.in = in;
        this.base = base;
    }

    void clear() {
        count = 0;
        if (offsets.length > KEPT_CAPACITY) {
            offsets = new int[8];
            lengths = new int[8];
        }
    }

    /** Appends an argument at {@code offset} from the command's first byte. */
    void add(int offset, int length) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, 2 * count);
            lengths = Arrays.copyOf(lengths, 2 * count);
        }
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }

    /** The number of arguments of the command last parsed. */
    public int count() {
        return count;
    }

    ByteBuffer buffer() {
        return in;
    }

    /** The absolute index of argument {@code i} in {@link #buffer()}. */
    public int index(int i) {
        return base + offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    /** Whether argument {@code i} equals {@code upper} ignoring ASCII case ({@code upper} is upper case). */
    boolean is(int i, byte[] upper) {
        if (lengths[i] != upper.length) {
            return false;
        }
        int at = index(i);
        for (int k = 0; k < upper.length; k++) {
            int c = in.get(at + k);
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upper[k]) {
                return false;
            }
        }
        return true;
    }

    /** Argument {@code i} as a new array (for a value the store keeps). */
    byte[] copy(int i) {
        byte[] bytes = new byte[lengths[i]];
        in.get(index(i), bytes);
        return bytes;
    }

    /** Argument {@code i} as a key: the connection's probe, or a new key if it is long. */
    Key key(int i, Key probe) {
        return probe.probe(in, index(i), lengths[i]);
    }

    /** Argument {@code i} as an integer, or {@link RedisError#NOT_AN_INTEGER}. */
    long integer(int i) {
        return Ints.parse(in, index(i), lengths[i]);
    }

    /** Argument {@code i} as text for an error message: one char per byte, so any bytes survive. */
    String text(int i, int maxLength) {
        byte[] bytes = new byte[Math.min(lengths[i], maxLength)];
        in.get(index(i), bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
