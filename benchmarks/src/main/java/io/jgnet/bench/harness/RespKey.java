package io.jgnet.bench.harness;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A key of {@link NettyRespServer}'s keyspace: binary-safe bytes with their hash.
 *
 * <p>Keys in the map are immutable copies. A <i>probe</i> is a key one connection reuses to
 * look keys up without allocating ({@link #probe(ByteBuf, int, int)} overwrites it); a probe is
 * never stored: whatever inserts calls {@link #stored()} first. The map calls
 * {@code probe.equals(storedKey)}, never the other way round, so a probe may be passed to
 * {@code get} and {@code remove}. A probe is owned by one connection, hence one loop thread;
 * stored keys are safe to share.
 *
 * <p>Comparable so that a ConcurrentHashMap bin flooded with colliding keys becomes a tree.
 */
final class RespKey implements Comparable<RespKey> {
    /** Longer keys are copied rather than kept in a probe, so a probe never pins a huge array. */
    private static final int MAX_PROBE = 256;
    private static final int INITIAL_PROBE = 32;

    private final boolean probe;
    private byte[] bytes;
    private int length;
    private int hash;

    private RespKey(byte[] bytes, int length, boolean probe) {
        this.bytes = bytes;
        this.length = length;
        this.probe = probe;
        this.hash = hash(bytes, length);
    }

    /** A new, empty probe for one connection. */
    static RespKey newProbe() {
        return new RespKey(new byte[INITIAL_PROBE], 0, true);
    }

    /** A stored key of {@code bytes}, which the caller gives up. */
    static RespKey of(byte[] bytes) {
        return new RespKey(bytes, bytes.length, false);
    }

    /**
     * This probe showing {@code in[index, index + length)}, or, for a long key, a fresh stored
     * key with those bytes. Valid until the next call on this probe.
     */
    RespKey probe(ByteBuf in, int index, int length) {
        if (length > MAX_PROBE) {
            byte[] copy = new byte[length];
            in.getBytes(index, copy);
            return of(copy);
        }
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, 2 * bytes.length)];
        }
        in.getBytes(index, bytes, 0, length);
        this.length = length;
        this.hash = hash(bytes, length);
        return this;
    }

    /** This key if it may be stored, else an exact copy of the probe. */
    RespKey stored() {
        return probe ? new RespKey(Arrays.copyOf(bytes, length), length, false) : this;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RespKey k && k.hash == hash && Arrays.equals(bytes, 0, length, k.bytes, 0, k.length);
    }

    @Override
    public int compareTo(RespKey k) {
        return Arrays.compare(bytes, 0, length, k.bytes, 0, k.length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static int hash(byte[] bytes, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }
}
