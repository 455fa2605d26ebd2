package io.jgnet.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 * microsecond, 3 warm-up and 5 measured one-second iterations, one fork), the inputs both sides
 * read, and the conditions Netty runs under in a server: leak detection off, as the matrix runs
 * its Netty servers, and on a FastThreadLocalThread, as its event loops do ({@link NettyThreads}).
 * A subclass that declares its own {@code @Fork} runs without them. Each subclass is one JMH
 * state per thread; these helpers are for its setup, on that thread.
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
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.jgnet.bench.jmh.NettyComparison$NettyThreads"})
public abstract class NettyComparison {
    /** A loop's pool bound (the engine's), so a jgnet BufferPool never drops a buffer given back. */
    static final long POOLED_BYTES = 64L * 1024 * 1024;

    /**
     * A new {@link PooledByteBufAllocator} preferring direct memory, with Netty's default arenas
     * and cache sizes. Not {@code PooledByteBufAllocator.DEFAULT}: since 4.2 that gives thread
     * caches only to FastThreadLocalThreads, and asking for them on every thread keeps the unit
     * tests, on JUnit's plain thread, on the benchmarks' path. Any thread.
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

    /**
     * JMH's worker threads as Netty's event loops run: FastThreadLocalThreads, on which Netty's
     * Recycler and allocator caches take their fast path instead of a JDK ThreadLocal. JMH makes
     * one per run through the public (int, String) constructor, named by {@code -Djmh.executor.class}.
     */
    public static final class NettyThreads extends ThreadPoolExecutor {
        /** A fixed pool of {@code maxThreads} FastThreadLocalThreads named after {@code prefix}. */
        public NettyThreads(int maxThreads, String prefix) {
            super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    new DefaultThreadFactory(prefix, true));
        }
    }
}
