package io.jgnet.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * A per-loop pool of direct buffers in power-of-two size classes, so that connections can take
 * and give back inbound and outbound memory without allocating in steady state.
 *
 * <p>Owned by one loop thread; not thread-safe. The pool keeps at most {@link #maxPooledBytes}
 * bytes; buffers beyond that, or larger than the biggest class, are left to the garbage
 * collector (which frees direct memory through their cleaners).
 */
public final class BufferPool {
    /** The smallest class: below it a buffer's bookkeeping outweighs its bytes. */
    public static final int MIN_CLASS = 1024;
    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_CLASS);
    /** The largest pooled class; bigger buffers are rare enough to allocate on demand. */
    private static final int MAX_POOLED = 8 * 1024 * 1024;
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_POOLED) - MIN_SHIFT + 1;

    private final ArrayDeque<ByteBuffer>[] free;
    private final long maxPooledBytes;
    private long pooledBytes;
    private long allocatedBuffers;

    /** A pool that keeps at most {@code maxPooledBytes} of idle buffers. */
    @SuppressWarnings("unchecked")
    public BufferPool(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
        this.free = new ArrayDeque[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** The capacity of the class that holds {@code bytes}. */
    public static int classSize(int bytes) {
        if (bytes <= MIN_CLASS) {
            return MIN_CLASS;
        }
        int size = Integer.highestOneBit(bytes - 1) << 1;
        if (size <= 0) {
            throw new IllegalArgumentException("buffer of " + bytes + " bytes is too large");
        }
        return size;
    }

    /** A cleared direct buffer of at least {@code bytes} capacity (exactly its class size). */
    public ByteBuffer take(int bytes) {
        int size = classSize(bytes);
        if (size <= MAX_POOLED) {
            ByteBuffer pooled = free[index(size)].pollLast();
            if (pooled != null) {
                pooledBytes -= size;
                // A holder may have changed the order; a taker expects a fresh buffer's.
                return pooled.clear().order(ByteOrder.BIG_ENDIAN);
            }
        }
        allocatedBuffers++;
        return ByteBuffer.allocateDirect(size);
    }

    /** Returns a buffer obtained from {@link #take}. The caller must not use it afterwards. */
    public void give(ByteBuffer buffer) {
        int size = buffer.capacity();
        if (size > MAX_POOLED || Integer.bitCount(size) != 1 || size < MIN_CLASS
                || !buffer.isDirect() || buffer.isReadOnly() || pooledBytes + size > maxPooledBytes) {
            return;
        }
        free[index(size)].addLast(buffer);
        pooledBytes += size;
    }

    /** The bytes held idle in the pool now. */
    public long pooledBytes() {
        return pooledBytes;
    }

    /** How many buffers the pool has had to allocate since it was made (a steady state stops growing). */
    public long allocatedBuffers() {
        return allocatedBuffers;
    }

    private static int index(int size) {
        return Integer.numberOfTrailingZeros(size) - MIN_SHIFT;
    }
}
