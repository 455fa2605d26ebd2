package io.jgnet.buffer;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * A per-loop pool of direct buffers in power-of-two size classes, so that connections can take
 * and give back inbound and outbound memory without allocating in steady state, and so that
 * memory a spike took is given back to the operating system when the spike is over.
 *
 * <p>Every buffer the pool makes is a slab of off-heap memory owned by an {@link Arena} of its
 * own (large ones mapped, see {@link Slabs}), and is freed explicitly, never left to the
 * garbage collector:
 * <ul>
 *   <li>at once when it is given back and does not fit: larger than the largest pooled class
 *       ({@value #MAX_POOLED} bytes), of a size that is not a class, or beyond the pool's
 *       {@code maxPooledBytes} of idle buffers;</li>
 *   <li>by {@link #trim()}, which the loop calls at a fixed interval: it frees, per class, as
 *       many idle buffers as stayed idle through the whole interval since the previous trim (the
 *       class's low-water mark), so a steady load keeps what it reuses and a spike's leftovers
 *       are gone two intervals after it ended;</li>
 *   <li>by {@link #close()}, when the loop ends: every buffer it made.</li>
 * </ul>
 * A buffer still taken when it is freed is a bug of its holder; using it afterwards throws
 * {@link IllegalStateException} rather than touching freed memory.
 *
 * <p>So the memory a loop holds in this pool is what its connections hold now, plus at most
 * {@code maxPooledBytes} idle, and the idle part falls to zero once the loop stops using it.
 *
 * <p>Owned by one loop thread; not thread-safe.
 */
public final class BufferPool implements AutoCloseable {
    /** The smallest class: below it a buffer's bookkeeping outweighs its bytes. */
    public static final int MIN_CLASS = 1024;
    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_CLASS);
    /** The largest pooled class; bigger buffers are rare enough to allocate on demand. */
    public static final int MAX_POOLED = 8 * 1024 * 1024;
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_POOLED) - MIN_SHIFT + 1;

    private final Slabs slabSource = new Slabs();
    private final ArrayDeque<ByteBuffer>[] free;
    /** Per class: the fewest idle buffers seen since the last trim. */
    private final int[] lowWater;
    /** The arena of every slab this pool made and has not freed yet, taken or idle. */
    private final IdentityHashMap<ByteBuffer, Arena> slabs = new IdentityHashMap<>();
    private final long maxPooledBytes;
    private long pooledBytes;
    private long liveBytes;
    private long allocatedBuffers;
    private long freedBuffers;

    /** A pool that keeps at most {@code maxPooledBytes} of idle buffers. */
    @SuppressWarnings("unchecked")
    public BufferPool(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
        this.free = new ArrayDeque[CLASSES];
        this.lowWater = new int[CLASSES];
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
            int index = index(size);
            ByteBuffer pooled = free[index].pollLast();
            if (pooled != null) {
                pooledBytes -= size;
                lowWater[index] = Math.min(lowWater[index], free[index].size());
                // A holder may have changed the order; a taker expects a fresh buffer's.
                return pooled.clear().order(ByteOrder.BIG_ENDIAN);
            }
        }
        return allocate(size);
    }

    /**
     * A cleared direct buffer of at least {@code bytes} and at most {@code most} capacity: its
     * class size when that is within {@code most}, else exactly {@code most} bytes (such a
     * buffer is freed, not pooled, when given back). For buffers bounded by a cap that is not a
     * power of two.
     */
    public ByteBuffer take(int bytes, int most) {
        if (bytes > most) {
            throw new IllegalArgumentException(bytes + " bytes asked of at most " + most);
        }
        return bytes <= 1 << 30 && classSize(bytes) <= most ? take(bytes) : allocate(most);
    }

    private ByteBuffer allocate(int size) {
        Slabs.Slab slab = slabSource.allocate(size);
        slabs.put(slab.buffer(), slab.arena());
        liveBytes += size;
        allocatedBuffers++;
        return slab.buffer();
    }

    /**
     * Returns a buffer obtained from {@link #take}: it is kept for reuse or freed at once. The
     * caller must not use it afterwards. Buffers this pool did not make are ignored.
     */
    public void give(ByteBuffer buffer) {
        if (!slabs.containsKey(buffer)) {
            return;
        }
        int size = buffer.capacity();
        if (size > MAX_POOLED || Integer.bitCount(size) != 1 || size < MIN_CLASS
                || pooledBytes + size > maxPooledBytes) {
            free(buffer);
            return;
        }
        free[index(size)].addLast(buffer);
        pooledBytes += size;
    }

    /**
     * Frees the idle buffers that stayed idle since the previous trim (per class, the fewest that
     * were idle at any moment in between), and starts the next interval. Returns the bytes freed.
     */
    public long trim() {
        long before = pooledBytes;
        for (int i = 0; i < CLASSES; i++) {
            for (int n = lowWater[i]; n > 0; n--) {
                ByteBuffer idle = free[i].pollFirst();
                pooledBytes -= idle.capacity();
                free(idle);
            }
            lowWater[i] = free[i].size();
        }
        return before - pooledBytes;
    }

    /**
     * Frees every buffer this pool made, idle or still taken (a holder must not use one after
     * this: it throws {@link IllegalStateException}); buffers given back later are ignored.
     * For the end of the loop, once nothing (no kernel either) can still use one.
     */
    @Override
    public void close() {
        for (ArrayDeque<ByteBuffer> idle : free) {
            idle.clear();
        }
        pooledBytes = 0;
        Arrays.fill(lowWater, 0);
        for (var slab : slabs.entrySet()) {
            slabSource.free(slab.getValue(), slab.getKey().capacity());
            freedBuffers++;
        }
        slabs.clear();
        liveBytes = 0;
    }

    private void free(ByteBuffer buffer) {
        Arena arena = slabs.remove(buffer);
        liveBytes -= buffer.capacity();
        freedBuffers++;
        slabSource.free(arena, buffer.capacity());
    }

    /** The bytes held idle in the pool now. */
    public long pooledBytes() {
        return pooledBytes;
    }

    /** The bytes of every buffer this pool made and has not freed: taken by a holder, or idle. */
    public long liveBytes() {
        return liveBytes;
    }

    /** How many buffers the pool has had to allocate since it was made (a steady state stops growing). */
    public long allocatedBuffers() {
        return allocatedBuffers;
    }

    /** How many buffers the pool has freed since it was made. */
    public long freedBuffers() {
        return freedBuffers;
    }

    private static int index(int size) {
        return Integer.numberOfTrailingZeros(size) - MIN_SHIFT;
    }
}
