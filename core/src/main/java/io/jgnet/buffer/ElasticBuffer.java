package io.jgnet.buffer;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A connection's inbound or outbound bytes: a contiguous, growable region of pooled direct
 * memory that holds memory only while it holds bytes.
 *
 * <pre>
 *   0            readIndex            writeIndex          capacity
 *   +---------------+--------------------+-------------------+
 *   |   consumed    |  readable (size)   |     writable      |
 *   +---------------+--------------------+-------------------+
 * </pre>
 *
 * Appending compacts (moves the readable bytes to 0) when that makes room, else moves them to a
 * buffer of the next size class; once empty, {@link #releaseIfEmpty()} gives the memory back to
 * the pool. The
 * readable bytes are always contiguous, so a handler's {@code peek} and a transport's
 * {@code write} each see one region. We chose this over a ring because the unconsumed tail a
 * handler leaves is usually short, so compaction moves little.
 *
 * <p>Owned by one loop thread; not thread-safe.
 */
public final class ElasticBuffer {
    /**
     * The largest first take a size hint may ask for: a burst past it grows as before, so that
     * one large burst does not make every later small write take a large buffer.
     */
    static final int MAX_SIZE_HINT = 64 * 1024;

    private final BufferPool pool;
    private final int maxCapacity;
    private ByteBuffer memory;
    private int readIndex;
    private int writeIndex;
    /** The most bytes the memory held now had to make room for (0 while none is held). */
    private int neededThisFill;
    /**
     * What the last fill needed, up to {@link #MAX_SIZE_HINT}: the first take of the next fill
     * asks for as much. A connection's output is usually alike from one batch of replies to the
     * next, and growing from the smallest class through each one copies the bytes at every step
     * (a batch of sixteen 1 KiB replies grew and copied five times). It follows the load down
     * within one fill, since it records what was needed, not what was taken.
     */
    private int sizeHint;

    /** An empty buffer drawing memory from {@code pool}, growing up to 1 GiB. */
    public ElasticBuffer(BufferPool pool) {
        this(pool, 1 << 30);
    }

    /**
     * An empty buffer drawing memory from {@code pool} that never holds more than
     * {@code maxCapacity} bytes of memory: it grows by size classes while they fit, then to
     * exactly {@code maxCapacity}; an append past that throws {@link IllegalStateException}.
     * The owner checks its cap before appending, so its memory is bounded by the cap itself, not
     * by the next power of two.
     */
    public ElasticBuffer(BufferPool pool, int maxCapacity) {
        this.pool = pool;
        this.maxCapacity = maxCapacity;
    }

    /** A new, empty buffer drawing from the same pool with the same maximum capacity. */
    public ElasticBuffer emptyTwin() {
        return new ElasticBuffer(pool, maxCapacity);
    }

    /** The number of readable bytes. */
    public int size() {
        return writeIndex - readIndex;
    }

    /** Whether no bytes are readable. */
    public boolean isEmpty() {
        return writeIndex == readIndex;
    }

    /** Appends the remaining bytes of {@code src}, consuming them. */
    public void append(ByteBuffer src) {
        int length = src.remaining();
        if (length == 0) {
            return;
        }
        ensureWritable(length);
        memory.put(writeIndex, src, src.position(), length);
        src.position(src.limit());
        writeIndex += length;
    }

    /** Appends {@code src[offset, offset + length)}. */
    public void append(byte[] src, int offset, int length) {
        if (length == 0) {
            return;
        }
        ensureWritable(length);
        memory.put(writeIndex, src, offset, length);
        writeIndex += length;
    }

    /**
     * Appends a frame in one step: the low {@code headerBytes} bytes of {@code header}, most
     * significant first, the remaining bytes of {@code payload} (consumed), then
     * {@code trailer[0, trailerLength)}.
     */
    public void appendFrame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
        int length = payload.remaining();
        ensureWritable(headerBytes + length + trailerLength);
        int at = writeIndex;
        if (headerBytes == Integer.BYTES) {
            memory.putInt(at, (int) header); // pooled memory is big-endian
        } else {
            for (int i = 0; i < headerBytes; i++) {
                memory.put(at + i, (byte) (header >>> (8 * (headerBytes - 1 - i))));
            }
        }
        at += headerBytes;
        memory.put(at, payload, payload.position(), length);
        payload.position(payload.limit());
        at += length;
        if (trailerLength == 1) {
            memory.put(at, trailer[0]);
        } else if (trailerLength > 0) {
            memory.put(at, trailer, 0, trailerLength);
        }
        writeIndex = at + trailerLength;
    }

    /**
     * The readable bytes as a buffer positioned at the first and limited after the last. The
     * buffer is this object's own memory: read from it (advancing its position) and then call
     * {@link #consume}; it is valid until the next append or consume.
     */
    public ByteBuffer readable() {
        if (memory == null) {
            return EMPTY;
        }
        return memory.limit(writeIndex).position(readIndex);
    }

    /** A view of {@code length} readable bytes starting {@code offset} bytes in, as a new buffer object. */
    public ByteBuffer slice(int offset, int length) {
        Objects.checkFromIndexSize(offset, length, size());
        if (length == 0) {
            return EMPTY;
        }
        return memory.slice(readIndex + offset, length);
    }

    /** Copies readable bytes into {@code dst} without consuming them; returns how many. */
    public int copyTo(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size());
        if (n == 0) {
            return 0; // memory may be null
        }
        dst.put(dst.position(), memory, readIndex, n);
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * Consumes {@code n} readable bytes. The memory stays held (views handed out may still point
     * at it) until {@link #releaseIfEmpty()}.
     */
    public void consume(int n) {
        if (n < 0 || n > size()) {
            throw new IndexOutOfBoundsException("consume " + n + " of " + size());
        }
        readIndex += n;
    }

    /** Gives the memory back to the pool if no bytes are readable. */
    public void releaseIfEmpty() {
        if (readIndex == writeIndex && memory != null) {
            release();
        }
    }

    /** Drops every byte and gives the memory back. */
    public void release() {
        if (memory != null) {
            pool.give(memory);
            memory = null;
            sizeHint = Math.min(neededThisFill, MAX_SIZE_HINT);
            neededThisFill = 0;
        }
        readIndex = 0;
        writeIndex = 0;
    }

    /** The capacity held now (0 when empty). */
    public int capacity() {
        return memory == null ? 0 : memory.capacity();
    }

    private void ensureWritable(int length) {
        if (memory == null) {
            neededThisFill = checkedCapacity(length);
            memory = pool.take(Math.max(neededThisFill, Math.min(sizeHint, maxCapacity)), maxCapacity);
            return;
        }
        // readable() may have left the limit at the old writeIndex, and absolute puts check the
        // limit, not the capacity.
        memory.limit(memory.capacity());
        if (memory.capacity() - writeIndex >= length) {
            return;
        }
        int size = size();
        int needed = checkedCapacity((long) size + length);
        neededThisFill = Math.max(neededThisFill, needed);
        if (needed <= memory.capacity()) {
            // Room exists in front of the readable bytes: slide them down instead of growing.
            memory.put(0, memory, readIndex, size);
        } else {
            ByteBuffer bigger = pool.take(needed, maxCapacity);
            bigger.put(0, memory, readIndex, size);
            pool.give(memory);
            memory = bigger;
        }
        readIndex = 0;
        writeIndex = size;
    }

    private int checkedCapacity(long needed) {
        if (needed > maxCapacity) {
            throw new IllegalStateException("buffer of " + needed + " bytes would exceed its cap of " + maxCapacity);
        }
        return (int) needed;
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
}
