package io.jgnet.engine;

import io.jgnet.buffer.ElasticBuffer;
import java.nio.ByteBuffer;

/**
 * A connection's read side: the bytes a callback may read, and those the handler left for the
 * next one.
 *
 * <p>While a callback runs on freshly read bytes they are not copied: the handler reads straight
 * from the loop's read buffer ({@link #lend}). Only what it leaves unconsumed is copied into a
 * pooled buffer ({@link #keepRest}), which is given back as soon as it is empty; the next read is
 * appended to it and that callback reads the held memory in place ({@link #lendHeld}). Views
 * handed to the handler come from the loop's {@link ReadViews} either way, so reading allocates
 * nothing.
 *
 * <p>Owned by the loop thread.
 */
final class Inbound {
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);

    /** The loop's views, pool and inbound cap: asked of it rather than kept by every connection. */
    private final Loop loop;
    private ElasticBuffer held;
    /** The loop's read buffer, or the held memory, while a callback reads straight from it, else null. */
    private ByteBuffer direct;
    /** Where the held bytes started when {@link #lendHeld} lent them, else -1. */
    private int heldLendStart = -1;

    /**
     * The loop's {@link Loop#maxInboundHeld()} bounds the held buffer's memory: the inbound cap
     * is checked after each callback, so the held bytes may pass it by one read before the
     * connection is closed.
     */
    Inbound(Loop loop) {
        this.loop = loop;
    }

    /** Whether bytes from an earlier callback are still held. */
    boolean holdsBytes() {
        return held != null && !held.isEmpty();
    }

    /** Lets the next callback read {@code data} in place. */
    void lend(ByteBuffer data) {
        direct = data;
    }

    /**
     * Lets the next callback read the held bytes in place, as {@link #lend} does a read buffer:
     * views of the held memory instead of a new slice per peek. Only while bytes are held.
     */
    void lendHeld() {
        direct = held.readable();
        heldLendStart = direct.position();
    }

    /**
     * Ends a lend: the loop's read buffer is no longer ours, and views of it go dark. After
     * {@link #lendHeld}, what the callback read is consumed from the held bytes.
     */
    void endLend() {
        if (heldLendStart >= 0 && direct != null) {
            held.consume(direct.position() - heldLendStart);
        }
        heldLendStart = -1;
        direct = null;
        loop.views().recycle();
    }

    /** Copies what the handler left of a lent buffer, to read in the next callback. */
    void keepRest(ByteBuffer data) {
        if (data.hasRemaining()) {
            held().append(data);
        }
    }

    /** Adds {@code data} behind the bytes already held. */
    void append(ByteBuffer data) {
        held().append(data);
    }

    /** Gives the held memory back if the handler consumed everything. */
    void releaseIfEmpty() {
        if (held != null) {
            held.releaseIfEmpty();
        }
    }

    void release() {
        if (held != null) {
            held.release();
        }
        if (heldLendStart >= 0) {
            // The lent memory went back to the pool: the callback reads no more of it.
            direct = null;
        }
    }

    private ElasticBuffer held() {
        if (held == null) {
            held = new ElasticBuffer(loop.pool(), loop.maxInboundHeld());
        }
        return held;
    }

    // ------------------------------------------------------------- what the handler reads

    int buffered() {
        return direct != null ? direct.remaining() : held == null ? 0 : held.size();
    }

    ByteBuffer peek(int n) {
        int length = clamp(n);
        return direct != null ? loop.views().view(direct, direct.position(), length)
                : held == null ? EMPTY : held.slice(0, length);
    }

    ByteBuffer next(int n) {
        ByteBuffer view = peek(n);
        consume(view.remaining());
        return view;
    }

    int discard(int n) {
        int length = clamp(n);
        consume(length);
        return length;
    }

    int read(ByteBuffer dst) {
        int length = Math.min(dst.remaining(), buffered());
        if (direct != null) {
            dst.put(dst.position(), direct, direct.position(), length);
            dst.position(dst.position() + length);
        } else if (held != null) {
            held.copyTo(dst);
        }
        consume(length);
        return length;
    }

    private int clamp(int n) {
        int available = buffered();
        return n < 0 || n > available ? available : n;
    }

    private void consume(int length) {
        if (direct != null) {
            direct.position(direct.position() + length);
        } else if (held != null) {
            held.consume(length);
        }
    }
}
