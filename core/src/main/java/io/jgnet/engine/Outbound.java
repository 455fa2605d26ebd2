package io.jgnet.engine;

import io.jgnet.buffer.BufferPool;
import io.jgnet.buffer.ElasticBuffer;
import io.jgnet.transport.FileRegion;
import io.jgnet.transport.OutboundRegion;
import io.jgnet.transport.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

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
 * <p>File regions ({@link #appendFile}) queue between the bytes, in order, and are sent from the
 * file by the transport ({@link #file()}, {@link #fileSent}); their remaining length counts
 * towards the watermarks but not towards the cap, which bounds memory.
 *
 * <p>Memory is held only while bytes wait (both buffers come from the loop's pool and return
 * to it when empty), and never more than the cap: a write that would pass it is refused before
 * any byte is copied. Each buffer's capacity is at most the cap, so a connection's output holds
 * at most the cap, or twice it on a completion transport while a region is lent. Owned by the
 * loop thread, except {@link #isWritable()} (a snapshot).
 */
public final class Outbound implements OutboundRegion {
    private final ElasticBuffer pending;
    /**
     * Appends made while a region of {@link #pending} is lent to the kernel: made the first time
     * that happens (only on a completion transport), then kept, as its memory goes back to the
     * pool whenever it empties.
     */
    private ElasticBuffer overflow;
    private final int cap;
    private final int highWatermark;
    private final int lowWatermark;
    /** The loop's counters, or null for an output the loop does not count (TLS records). */
    private final LoopCounters counters;
    /** The bytes of this output counted in the loop's pending output. */
    private int counted;
    private boolean lent;
    /** Discarded while lent: the lent memory goes back to the pool only when {@link #sent} returns it. */
    private boolean abandoned;
    private volatile boolean writable = true;
    /** File regions waiting between the bytes; null while none waits. */
    private OutboundFiles files;

    Outbound(BufferPool pool, int cap, int highWatermark, int lowWatermark, LoopCounters counters) {
        this.pending = new ElasticBuffer(pool, cap);
        this.cap = cap;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        this.counters = counters;
    }

    /** Queues {@code data[offset, offset + length)}; false if that would pass the cap (then nothing is kept). */
    boolean append(byte[] data, int offset, int length) {
        if (!withinCap(length)) {
            return false;
        }
        target().append(data, offset, length);
        accountAppend();
        return true;
    }

    /** Queues the remaining bytes of {@code data}, consuming them; false if that would pass the cap. */
    boolean append(ByteBuffer data) {
        if (!withinCap(data.remaining())) {
            return false;
        }
        target().append(data);
        accountAppend();
        return true;
    }

    /**
     * Queues a frame (see {@link io.jgnet.Codec.ByteSink#writeFrame}) with one cap check and one
     * append; false if it would pass the cap (then nothing is kept).
     */
    boolean appendFrame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
        // Summed as a long: a payload near 2 GiB must fail the cap check, not wrap past it.
        int length = (int) Math.min(Integer.MAX_VALUE, (long) headerBytes + payload.remaining() + trailerLength);
        if (!withinCap(length)) {
            return false;
        }
        target().appendFrame(header, headerBytes, payload, trailer, trailerLength);
        accountAppend();
        return true;
    }

    /**
     * Checked before copying, so that the memory held never exceeds the cap: a write that would
     * pass it drops everything instead of growing a buffer for bytes that will never be sent.
     */
    private boolean withinCap(int length) {
        if ((long) memorySize() + length > cap) {
            discard();
            return false;
        }
        return true;
    }

    private ElasticBuffer target() {
        if (!lent) {
            return pending;
        }
        if (overflow == null) {
            overflow = pending.emptyTwin();
        }
        return overflow;
    }

    /**
     * Queues {@code length} bytes of {@code file} from {@code position} after the bytes queued
     * so far; the output now owns the channel (an empty region closes it at once).
     */
    void appendFile(FileChannel file, long position, long length) {
        if (length == 0) {
            OutboundFiles.close(file);
            return;
        }
        if (files == null) {
            files = new OutboundFiles();
        }
        files.add(file, position, length, memorySize());
        if (size() > highWatermark) {
            writable = false;
        }
        countQueued();
    }

    private void accountAppend() {
        if (size() > highWatermark) {
            writable = false;
        }
        countQueued();
    }

    /**
     * The bytes to send next, as one region (position to limit), lent to the caller until
     * {@link #sent}. Empty when nothing waits.
     */
    @Override
    public ByteBuffer region() {
        lent = true;
        ByteBuffer bytes = pending.readable();
        long beforeFile = files == null ? Long.MAX_VALUE : files.bytesBeforeHead();
        if (bytes.remaining() > beforeFile) {
            bytes.limit(bytes.position() + (int) beforeFile);
        }
        return bytes;
    }

    @Override
    public FileRegion file() {
        return abandoned || files == null ? null : files.due();
    }

    @Override
    public void fileSent(long n) {
        if (n > 0) {
            if (files.sent(n)) {
                files = null;
            }
            countSent((int) Math.min(n, Integer.MAX_VALUE));
        }
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
            countSent(n);
            return;
        }
        pending.consume(n);
        if (files != null) {
            files.bytesSent(n);
        }
        if (overflow != null && !overflow.isEmpty()) {
            pending.append(overflow.readable());
            overflow.release();
        }
        pending.releaseIfEmpty();
        countSent(n);
    }

    /** Counts one buffer (or file region) the handler queued, and the output's new size. */
    private void countQueued() {
        if (counters != null) {
            int size = size();
            counters.queued(size - counted);
            counted = size;
        }
    }

    /** Counts one write of {@code n} bytes the kernel took, and the output's new size. */
    private void countSent(int n) {
        if (counters != null) {
            int size = size();
            counters.sent(n, size - counted);
            counted = size;
        }
    }

    /** Keeps the loop's pending output in step with this output's size (after a drop). */
    private void countPending() {
        if (counters == null) {
            return;
        }
        int size = size();
        if (size != counted) {
            counters.pendingOutput(size - counted);
            counted = size;
        }
    }

    @Override
    public boolean isEmpty() {
        return (abandoned || pending.isEmpty()) && (overflow == null || overflow.isEmpty()) && files == null;
    }

    /** The bytes waiting, file regions included (capped at Integer.MAX_VALUE). */
    int size() {
        return files == null ? memorySize() : (int) Math.min(Integer.MAX_VALUE, memorySize() + files.bytes());
    }

    /** The bytes waiting in memory, which the cap bounds. */
    private int memorySize() {
        return (abandoned ? 0 : pending.size()) + (overflow == null ? 0 : overflow.size());
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
        if (files != null) {
            files.discard();
            files = null;
        }
        if (overflow != null) {
            overflow.release();
        }
        if (lent) {
            abandoned = true;
        } else {
            pending.release();
        }
        countPending();
    }

    /** A closed connection is never writable. */
    void close() {
        discard();
        writable = false;
    }
}
