package io.jgnet.bench;

import io.jgnet.buffer.BufferPool;
import io.jgnet.buffer.ElasticBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Random;
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
 * A connection's outbound buffer as a server fills and flushes it, jgnet's {@link ElasticBuffer}
 * next to a pooled direct Netty {@link ByteBuf} used the same way: {@link #WRITES} writes of
 * {@code writeSize} bytes appended (the replies to one pipelined read), then every byte drained
 * at once into a sink, as the transport's write copies them to the kernel, and the memory given
 * back once the buffer is empty. One operation is one write with its share of the drain.
 *
 * <ul>
 *   <li>{@code writeSize} 64, the echo-like case: 1 KiB in all, which fits jgnet's smallest
 *       class; Netty's buffer starts at its default 256 B and doubles twice.
 *   <li>{@code writeSize} 4096, growth: 64 KiB arrive 4 KiB at a time. jgnet moves the bytes to
 *       the next power-of-two class from its pool (4, 8, 16, 32, 64 KiB); Netty grows by its
 *       allocator's calculateNewCapacity (doubling) and reallocates within its pool.
 * </ul>
 *
 * jgnet: {@code append(byte[])}, {@code readable()} copied into the sink, {@code consume},
 * {@code releaseIfEmpty} (what a connection does after a flush). Netty: {@code directBuffer()}
 * (a handler that does not know the reply's size), {@code writeBytes(byte[])},
 * {@code readBytes(ByteBuffer)} into the sink, {@code release} once drained (as
 * ByteToMessageDecoder does with an empty cumulation), so each cycle allocates anew from the
 * allocator's thread cache, as jgnet's takes anew from its pool.
 *
 * <p>Netty runs as in a server: with leak detection off, as the load harness runs it
 * (EchoBench.SERVER_JVM; its default samples one buffer in 128 and records a stack trace), and
 * on a FastThreadLocalThread, as its event loops do ({@link NettyThreadExecutor}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar BufferWriteDrainBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.jgnet.bench.NettyThreadExecutor"})
public class BufferWriteDrainBenchmark {
    static final int WRITES = 16;
    /** A loop's pool bound (EventLoopImpl's), so give never drops a buffer here. */
    static final long POOLED_BYTES = 64L * 1024 * 1024;

    @Param({"64", "4096"})
    int writeSize;

    byte[] message;
    /** Where a drain copies to: exactly one cycle's bytes, so each drain fills it. */
    ByteBuffer sink;
    BufferPool pool;
    ElasticBuffer elastic;
    PooledByteBufAllocator allocator;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        message = new byte[writeSize];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) ('a' + random.nextInt(26));
        }
        sink = ByteBuffer.allocateDirect(WRITES * writeSize);
        pool = new BufferPool(POOLED_BYTES);
        elastic = new ElasticBuffer(pool);
        allocator = NettyAllocators.pooledWithThreadCaches();
    }

    @Benchmark
    @OperationsPerInvocation(WRITES)
    public int jgnet() {
        for (int i = 0; i < WRITES; i++) {
            elastic.append(message, 0, message.length);
        }
        ByteBuffer readable = elastic.readable();
        int drained = readable.remaining();
        sink.clear().put(readable);
        elastic.consume(drained);
        elastic.releaseIfEmpty();
        return drained;
    }

    @Benchmark
    @OperationsPerInvocation(WRITES)
    public int netty() {
        ByteBuf buffer = allocator.directBuffer();
        for (int i = 0; i < WRITES; i++) {
            buffer.writeBytes(message);
        }
        int drained = buffer.readableBytes();
        buffer.readBytes(sink.clear());
        buffer.release();
        return drained;
    }
}
