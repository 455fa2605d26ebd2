package io.jgnet.bench;

import io.jgnet.buffer.BufferPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

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
 * jgnet's smallest class is 1 KiB, so 64 B takes a 1 KiB buffer; Netty hands out a buffer of
 * the asked capacity carved from its size class.
 *
 * <p>Netty runs as in a server: with leak detection off, as the load harness runs it
 * (EchoBench.SERVER_JVM; its default samples one buffer in 128 and records a stack trace), and
 * on a FastThreadLocalThread, as its event loops do ({@link NettyThreadExecutor}).
 *
 * <p>At 64 KiB, Netty's burst measures its chunk lifecycle more than its allocation: 64 KiB is
 * above the thread cache's limit, sixteen of them fill a quarter of a 4 MiB chunk, which moves
 * the chunk to the list whose chunks are freed when they empty, so every burst allocates and
 * frees a chunk. A server whose other live buffers keep the chunk in use would not pay that.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BufferPoolBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.jgnet.bench.NettyThreadExecutor"})
public class BufferPoolBenchmark {
    static final int BURST = 16;

    @Param({"64", "1024", "16384", "65536"})
    int size;

    BufferPool pool;
    PooledByteBufAllocator allocator;
    private final ByteBuffer[] taken = new ByteBuffer[BURST];
    private final ByteBuf[] allocated = new ByteBuf[BURST];

    @Setup(Level.Trial)
    public void setUp() {
        pool = new BufferPool(BufferWriteDrainBenchmark.POOLED_BYTES);
        allocator = NettyAllocators.pooledWithThreadCaches();
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
