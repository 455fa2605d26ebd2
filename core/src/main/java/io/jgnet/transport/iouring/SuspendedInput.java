package io.jgnet.transport.iouring;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a socket received after its reading was switched off, kept to hand over, before anything
 * newer, when reading is on again; and an end of stream seen after those bytes. Owned by the
 * loop thread, one per socket.
 *
 * <p>Bounded: the receive that delivers such bytes can deliver at most {@code limit} of them
 * (see {@link StreamReceiving#heldAtMost()}), so more is a broken promise, refused with an
 * {@link IOException} that closes only this connection, as is a failure to get the memory:
 * the loop thread never lets an allocation failure escape. The bytes live on the heap, where the
 * collector frees them, not in the JVM's direct memory that the connections' buffers share; the
 * array is dropped once handed over. A datagram socket's limit is one buffer: its one-shot
 * receive delivers at most one datagram after a suspension, kept and handed over whole.
 */
final class SuspendedInput {
    private final int limit;
    /** Bytes from {@link #start} to its position wait; null when none. */
    private ByteBuffer bytes;
    private int start;
    private boolean end;

    SuspendedInput(int limit) {
        this.limit = limit;
    }

    /** Whether bytes wait to be handed over. */
    boolean holdsBytes() {
        return bytes != null;
    }

    /** Bytes waiting: for tests and diagnostics. */
    int size() {
        return bytes == null ? 0 : bytes.position() - start;
    }

    /** Keeps {@code data} (its position moves to its limit) behind the bytes kept before. */
    void keep(ByteBuffer data) throws IOException {
        int n = data.remaining();
        int kept = size();
        if (kept + n > limit) {
            throw new IOException(kept + n + " bytes arrived after reading was suspended, more than the "
                    + limit + " a receive may still deliver then");
        }
        try {
            if (bytes == null) {
                bytes = ByteBuffer.allocate(Math.min(limit, Math.max(n, 4096)));
            } else if (bytes.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(limit, Math.max(bytes.capacity() * 2, kept + n)));
                bigger.put(0, bytes, start, kept).position(kept);
                bytes = bigger;
                start = 0;
            }
        } catch (OutOfMemoryError e) {
            throw new IOException("no memory to keep " + (kept + n) + " bytes received after reading was suspended", e);
        }
        bytes.put(data);
    }

    /**
     * Fills {@code into} (cleared first) with the next kept bytes, at most its capacity, and
     * returns it; null once everything was handed over.
     */
    ByteBuffer next(ByteBuffer into) {
        if (bytes == null) {
            return null;
        }
        int n = Math.min(size(), into.capacity());
        into.clear();
        into.put(0, bytes, start, n).limit(n);
        start += n;
        if (start == bytes.position()) {
            bytes = null;
            start = 0;
        }
        return into;
    }

    /** The peer's end of stream came after the kept bytes. */
    void endAfter() {
        end = true;
    }

    /** Whether an end of stream waits (after the bytes, if any). */
    boolean endWaits() {
        return end;
    }

    /** Takes the waiting end of stream: true if there was one. */
    boolean takeEnd() {
        boolean was = end;
        end = false;
        return was;
    }

    /** Forgets everything: the socket closed. */
    void clear() {
        bytes = null;
        start = 0;
        end = false;
    }
}
