package io.jgnet.codec;

import java.util.Arrays;

/**
 * How a fuzz input is read: two settings bytes, one byte choosing how the wire is cut into
 * reads, then the wire itself. Seeds are written the same way, so a valid wire image behind a
 * three-byte header is a valid seed, and the fuzzer mutates settings, cuts and bytes alike.
 *
 * <pre>
 *   +----------+----------+-----+------------------------------+
 *   | settings | settings | cut | wire (what the peer sends)   |
 *   +----------+----------+-----+------------------------------+
 * </pre>
 */
final class FuzzInput {
    private static final int HEADER = 3;

    private final byte[] data;
    private int nextSetting;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    /** The next settings byte (0..255), 0 when the input is too short to hold one. */
    int settings() {
        int at = nextSetting++;
        return at < Math.min(2, data.length) ? data[at] & 0xFF : 0;
    }

    /** The read sizes, as {@link Cuts#next} hands them out. */
    Cuts cuts() {
        return new Cuts(data.length > 2 ? data[2] & 0xFF : 0);
    }

    byte[] wire() {
        return data.length <= HEADER ? new byte[0] : Arrays.copyOfRange(data, HEADER, data.length);
    }

    /**
     * Read sizes: 0 delivers the wire in one read; otherwise a small generator seeded by the
     * byte gives sizes from 1 to 64, so one-byte reads and reads across frame ends both occur.
     */
    static final class Cuts {
        private final int seed;
        private int state;

        Cuts(int seed) {
            this.seed = seed;
            this.state = seed;
        }

        int next(int remaining) {
            if (seed == 0) {
                return remaining;
            }
            state = state * 1103515245 + 12345;
            return Math.min(remaining, 1 + ((state >>> 16) & 0x3F));
        }
    }
}
