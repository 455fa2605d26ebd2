package io.jgnet.bench.jmh;

import io.jgnet.buffer.BufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Taking a direct buffer of {@code size} bytes and giving it back on the same thread: jgnet's
 * per-loop {@link BufferPool} ({@code take}/{@code give}) next to Netty's
 * {@link PooledByteBufAllocator} ({@code directBuffer(size)}/{@code release}, served from the
 * thread's cache up to 32 KiB and from the arena above). One operation is one buffer taken and
 * given back.
 *
 * <ul>
 *   <li>{@code one}: take one, give it back, as a connection does with its inbound buffer
 *       around a read it consumes whole.
 *   <li>{@code burst}: take {@value #BURST}, then give the {@value #BURST} back, as a loop does
 *       when that many connections each hold a buffer across one iteration.
 * </ul>
 *
 * <p>Both sides start warm, as in a server that has been running: jgnet's pool has grown to
 * what a burst needs after the first one, and Netty's arena keeps one buffer of {@code size}
 * allocated for the whole trial ({@link #ballast}), standing for the other connections' live
 * buffers. Without it, at 64 KiB (above the thread cache's 32 KiB limit, so served by the arena)
 * sixteen buffers fill a quarter of a 4 MiB chunk, which moves the chunk to the list whose
 * chunks are freed when they empty, so every burst would allocate and free a whole chunk: a
 * cost Netty's own design says a busy server does not pay, which an earlier version of this
 * benchmark measured (a 1400x "ratio" that said nothing about allocation). Below 32 KiB the
 * ballast changes nothing: those sizes come from the thread cache.
 *
 * <p>What stays unequal: jgnet's pool keeps every buffer it was given back (up to its bound),
 * where Netty's arena returns idle chunks to the system; jgnet rounds up to power-of-two
 * classes from 1 KiB, so 64 B takes 1 KiB.
 */
public class BufferPoolBenchmark extends NettyComparison {
    static final int BURST = 16;

    @Param({"64", "1024", "16384", "65536"})
    int size;

    BufferPool pool;
    PooledByteBufAllocator allocator;
    private final ByteBuffer[] taken = new ByteBuffer[BURST];
    private final ByteBuf[] allocated = new ByteBuf[BURST];
    /** A Netty buffer live for the whole trial, keeping the arena's chunk in use (see above). */
    ByteBuf ballast;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new BufferPool(POOLED_BYTES);
        allocator = pooledAllocator();
        // Allocated on the benchmark's thread, so from the arena its thread cache is bound to.
        ballast = allocator.directBuffer(size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ballast.release();
    }

    /** Returns the capacity taken. */
    @Benchmark
    public int jgnetOne() {
        ByteBuffer buffer = pool.take(size);
        int capacity = buffer.capacity();
        pool.give(buffer);
        return capacity;
    }

    /** Returns the capacity allocated. */
    @Benchmark
    public int nettyOne() {
        ByteBuf buffer = allocator.directBuffer(size);
        int capacity = buffer.capacity();
        buffer.release();
        return capacity;
    }

    /** Returns the capacity taken, summed over the burst. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int jgnetBurst() {
        int capacity = 0;
        for (int i = 0; i < BURST; i++) {
            taken[i] = pool.take(size);
            capacity += taken[i].capacity();
        }
        for (int i = 0; i < BURST; i++) {
            pool.give(taken[i]);
            taken[i] = null;
        }
        return capacity;
    }

    /** Returns the capacity allocated, summed over the burst. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public int nettyBurst() {
        int capacity = 0;
        for (int i = 0; i < BURST; i++) {
            allocated[i] = allocator.directBuffer(size);
            capacity += allocated[i].capacity();
        }
        for (int i = 0; i < BURST; i++) {
            allocated[i].release();
            allocated[i] = null;
        }
        return capacity;
    }
}
