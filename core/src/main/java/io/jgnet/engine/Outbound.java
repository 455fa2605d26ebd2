package io.jgnet.engine;

import io.jgnet.buffer.BufferPool;
import io.jgnet.buffer.ElasticBuffer;
import io.jgnet.transport.OutboundRegion;
import io.jgnet.transport.Socket;
import java.nio.ByteBuffer;

/**
 * A connection's output waiting for the kernel: the bytes, the watermarks that make the
 * connection writable or not, and the hard cap.
 *
 * <p>The transport sees only two operations: {@link #region()}, the bytes to send next as one
 * contiguous region, and {@link #sent(int)}, how many of them the kernel took. A readiness
 * transport (nio, epoll) calls both inside {@link Socket#flush}; a completion transport
 * (io_uring) will hand the region to the kernel and call {@code sent} when the completion comes
 * back. So that the region a kernel holds is never moved, grown or pooled under it, a region is
 * <em>lent</em> until {@code sent} is called: while lent, appends go to a second buffer that
 * joins the first once the lent bytes are accounted for. Readiness transports lend and return
 * within one call, so they only ever use the first buffer.
 *
 * <p>Memory is held only while bytes wait (both buffers come from the loop's pool and return
 * to it when empty). Owned by the loop thread, except {@link #isWritable()} (a snapshot).
 */
public final class Outbound implements OutboundRegion {
    private final ElasticBuffer pending;
    /** Appends made while a region of {@link #pending} is lent to the kernel. */
    private final ElasticBuffer overflow;
    private final int cap;
    private final int highWatermark;
    private final int lowWatermark;
    private final LoopCounters counters;
    /** The bytes of this output counted in the loop's pending output. */
    private int counted;
    private boolean lent;
    /** Discarded while lent: the lent memory goes back to the pool only when {@link #sent} returns it. */
    private boolean abandoned;
    private volatile boolean writable = true;

    Outbound(BufferPool pool, int cap, int highWatermark, int lowWatermark, LoopCounters counters) {
        this.pending = new ElasticBuffer(pool);
        this.overflow = new ElasticBuffer(pool);
        this.cap = cap;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        this.counters = counters;
    }

    /** Queues {@code data[offset, offset + length)}; false if that passed the cap (then nothing is kept). */
    boolean append(byte[] data, int offset, int length) {
        target().append(data, offset, length);
        return accountAppend();
    }

    /** Queues the remaining bytes of {@code data}, consuming them; false if that passed the cap. */
    boolean append(ByteBuffer data) {
        target().append(data);
        return accountAppend();
    }

    private ElasticBuffer target() {
        return lent ? overflow : pending;
    }

    private boolean accountAppend() {
        int size = size();
        if (size > cap) {
            counters.queued(0);
            discard();
            return false;
        }
        if (size > highWatermark) {
            writable = false;
        }
        counters.queued(size - counted);
        counted = size;
        return true;
    }

    /**
     * The bytes to send next, as one region (position to limit), lent to the caller until
     * {@link #sent}. Empty when nothing waits.
     */
    @Override
    public ByteBuffer region() {
        lent = true;
        return pending.readable();
    }

    /**
     * The kernel took {@code n} bytes of the lent region; the rest stays queued, in order,
     * before anything appended since.
     */
    @Override
    public void sent(int n) {
        lent = false;
        if (abandoned) {
            abandoned = false;
            pending.release();
            counters.sent(n, 0);
            return;
        }
        pending.consume(n);
        if (!overflow.isEmpty()) {
            pending.append(overflow.readable());
            overflow.release();
        }
        pending.releaseIfEmpty();
        int size = size();
        counters.sent(n, size - counted);
        counted = size;
    }

    @Override
    public boolean isEmpty() {
        return (abandoned || pending.isEmpty()) && overflow.isEmpty();
    }

    int size() {
        return (abandoned ? 0 : pending.size()) + overflow.size();
    }

    /** The bytes the cap allows. */
    int cap() {
        return cap;
    }

    /** Below the high watermark since it was last under the low one. Any thread (a snapshot). */
    boolean isWritable() {
        return writable;
    }

    /**
     * After a send: whether the output just fell below the low watermark having been above the
     * high one, which is when the handler hears onWritable.
     */
    boolean becameWritable() {
        if (!writable && size() < lowWatermark) {
            writable = true;
            return true;
        }
        return false;
    }

    /**
     * Drops every waiting byte and gives the memory back; the connection is going away. A region
     * still lent to the kernel is given back only when its completion calls {@link #sent}: until
     * then the kernel may read it.
     */
    void discard() {
        overflow.release();
        if (lent) {
            abandoned = true;
        } else {
            pending.release();
        }
        int size = size();
        counters.pendingOutput(size - counted);
        counted = size;
    }

    /** A closed connection is never writable. */
    void close() {
        discard();
        writable = false;
    }
}
