package io.jgnet.examples.redis;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A key of the store: binary-safe bytes with their hash.
 *
 * <p>Keys in the map are immutable copies. A <i>probe</i> is a key a connection reuses to look
 * one up without allocating ({@link #probe(ByteBuffer, int, int)} overwrites it); a probe must
 * never be stored, so every method that may insert calls {@link #stored()} first. A probe is
 * owned by one connection, hence one loop thread; stored keys are safe to share.
 *
 * <p>Comparable so that a {@link java.util.concurrent.ConcurrentHashMap} bin flooded with
 * colliding keys becomes a tree (lookups stay logarithmic under a hash-flooding client).
 */
final class Key implements Comparable<Key> {
    /** Longer keys are copied rather than kept in a probe, so a probe never pins a huge array. */
    private static final int MAX_PROBE = 256;

    private final boolean probe;
    private byte[] bytes;
    private int length;
    private int hash;

    private Key(byte[] bytes, int length, boolean probe) {
        this.bytes = bytes;
        this.length = length;
        this.probe = probe;
        this.hash = hash(bytes, length);
    }

    /** A stored key holding {@code bytes} (not copied: the caller gives them up). */
    static Key of(byte[] bytes) {
        return new Key(bytes, bytes.length, false);
    }

    /** A new, empty probe for one connection. */
    static Key newProbe() {
        return new Key(new byte[32], 0, true);
    }

    /**
     * This probe showing {@code in[index, index + length)}, or, for a long key, a fresh stored
     * key with those bytes. Valid until the next call on this probe.
     */
    Key probe(ByteBuffer in, int index, int length) {
        if (length > MAX_PROBE) {
            byte[] copy = new byte[length];
            in.get(index, copy);
            return of(copy);
        }
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, 2 * bytes.length)];
        }
        in.get(index, bytes, 0, length);
        this.length = length;
        this.hash = hash(bytes, length);
        return this;
    }

    /** This key if it may be stored, else an exact copy of the probe. */
    Key stored() {
        return probe ? new Key(Arrays.copyOf(bytes, length), length, false) : this;
    }

    /** The bytes of a stored key (do not modify). */
    byte[] bytes() {
        if (probe) {
            throw new IllegalStateException("a probe's bytes are scratch space");
        }
        return bytes;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key key && key.hash == hash
                && Arrays.equals(bytes, 0, length, key.bytes, 0, key.length);
    }

    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, 0, length, other.bytes, 0, other.length);
    }

    private static int hash(byte[] bytes, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }
}
