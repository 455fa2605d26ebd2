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
 * {@link PooledByteBufAllocator} ({@code directBuffer(size)}/{@code release}). One operation is
 * one buffer taken and given back: one at a time ({@code *One}, a connection's inbound buffer
 * around a read), or {@value #BURST} taken then given back ({@code *Burst}, that many connections
 * holding one across a loop iteration).
 *
 * <p>Both sides start warm, as in a running server: Netty's arena keeps one buffer of
 * {@code size} for the whole trial ({@link #ballast}), standing for other connections' buffers.
 * Without it a 64 KiB burst (above the 32 KiB thread cache) would allocate and free a whole 4 MiB
 * chunk each time, a cost Netty's design says a busy server does not pay. What stays unequal:
 * jgnet's pool keeps what it is given back (up to its bound) and rounds 64 B up to 1 KiB.
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
        // On the benchmark's thread, so from the arena its thread cache is bound to.
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
