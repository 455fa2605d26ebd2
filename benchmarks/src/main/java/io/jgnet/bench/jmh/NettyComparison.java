package io.jgnet.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every jgnet-vs-Netty benchmark in this package shares: JMH's settings (throughput per
 * microsecond, 3 warm-up and 5 measured one-second iterations, one fork; JMH inherits them from
 * here), the inputs both sides read, and the conditions Netty runs under.
 *
 * <p>Netty runs as in a server: with leak detection off, as the matrix runs its Netty servers
 * (its default samples one buffer in 128 and records a stack trace), and on a
 * FastThreadLocalThread, as its event loops do ({@link NettyThreadExecutor}). A subclass that
 * declares its own {@code @Fork} runs without them.
 *
 * <p>Each subclass is one JMH state per thread; these helpers are for its setup, on that thread.
 *
 * <p>Run one: {@code java -jar benchmarks/target/benchmarks.jar BufferPoolBenchmark} (its class name).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.jgnet.bench.jmh.NettyThreadExecutor"})
public abstract class NettyComparison {
    /** A loop's pool bound (the engine's), so a jgnet BufferPool never drops a buffer given back. */
    static final long POOLED_BYTES = 64L * 1024 * 1024;

    /**
     * A new {@link PooledByteBufAllocator} preferring direct memory, with Netty's default arenas
     * and cache sizes, and per-thread caches on every thread. Any thread.
     *
     * <p>Why not {@code PooledByteBufAllocator.DEFAULT} (or {@code ByteBufAllocator.DEFAULT}, which
     * is the adaptive allocator in 4.2): the brief compares with the pooled one, and since 4.2 it
     * gives thread caches only to Netty's own {@code FastThreadLocalThread}s
     * (io.netty.allocator.useCacheForAllThreads is false by default). The benchmarks run on such
     * threads, as an event loop does; asking for caches on all threads as well keeps the unit
     * tests, which call the methods on JUnit's plain thread, on the same path. Netty caches only
     * buffers up to 32 KiB per thread (io.netty.allocator.maxCachedBufferCapacity); larger ones
     * come from the arena, as in a server.
     */
    static PooledByteBufAllocator pooledAllocator() {
        return new PooledByteBufAllocator(true,
                PooledByteBufAllocator.defaultNumHeapArena(),
                PooledByteBufAllocator.defaultNumDirectArena(),
                PooledByteBufAllocator.defaultPageSize(),
                PooledByteBufAllocator.defaultMaxOrder(),
                PooledByteBufAllocator.defaultSmallCacheSize(),
                PooledByteBufAllocator.defaultNormalCacheSize(),
                true);
    }

    /** {@code count} copies of {@code bytes} back to back in direct memory, ready to read. */
    static ByteBuffer repeated(byte[] bytes, int count) {
        ByteBuffer direct = ByteBuffer.allocateDirect(count * bytes.length);
        for (int i = 0; i < count; i++) {
            direct.put(bytes);
        }
        return direct.flip();
    }

    /** The same bytes as {@code input} in an unpooled direct ByteBuf, for Netty to read; release it. */
    static ByteBuf nettyCopy(ByteBuffer input) {
        return Unpooled.directBuffer(input.capacity()).writeBytes(input.duplicate());
    }
}
