package io.jgnet.examples;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A fuzz input read as a peer's stream: the first byte chooses how the rest, the wire, is cut
 * into reads; a seed is that byte (0: one read) before a valid wire image. {@link #next} appends
 * the next read to a buffer the way a connection's inbound buffer grows.
 *
 * <pre>
 *   +-----+--------------------------------+
 *   | cut | wire (what the peer sends)     |
 *   +-----+--------------------------------+
 * </pre>
 */
public final class FuzzReads {
    private final byte[] wire;
    private final int seed;
    private int state;
    private int offset;

    public FuzzReads(byte[] data) {
        this(data.length > 1 ? Arrays.copyOfRange(data, 1, data.length) : new byte[0], data.length > 0 ? data[0] & 0xFF : 0);
    }

    private FuzzReads(byte[] wire, int seed) {
        this.wire = wire;
        this.seed = seed;
        this.state = seed;
    }

    /** The same wire delivered from its start in one read, to compare with these cuts. */
    public FuzzReads inOneRead() {
        return new FuzzReads(wire, 0);
    }

    /** A buffer with room for the whole wire, for {@link #next} to fill. */
    public ByteBuffer buffer() {
        return ByteBuffer.allocate(wire.length);
    }

    public boolean hasMore() {
        return offset < wire.length;
    }

    /**
     * Appends the next read (1 to 64 bytes from a small generator seeded by the cut byte, or all
     * that is left when it is 0) to {@code inbound}, which must have room for the whole wire.
     */
    public void next(ByteBuffer inbound) {
        int size = wire.length - offset;
        if (seed != 0) {
            state = state * 1103515245 + 12345;
            size = Math.min(size, 1 + ((state >>> 16) & 0x3F));
        }
        inbound.put(wire, offset, size);
        offset += size;
    }
}
