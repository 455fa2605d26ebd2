package io.jgnet.bench.jmh;

import io.jgnet.buffer.BufferPool;
import io.jgnet.buffer.ElasticBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A connection's outbound path as a server fills and flushes it, jgnet's {@link ElasticBuffer}
 * next to Netty's {@link ChannelOutboundBuffer}, each used as its framework uses it:
 * {@link #WRITES} replies of {@code writeSize} bytes written (the replies to one pipelined read),
 * then everything flushed at once into a sink standing for the kernel's copy, and the memory
 * given back. One operation is one write with its share of the flush.
 *
 * <p>jgnet copies each reply into the connection's one elastic buffer and flushes it as a
 * connection does ({@code readable}, {@code consume}, {@code releaseIfEmpty}). Netty fills a
 * pooled direct ByteBuf per reply and queues it as {@code ctx.write(msg, voidPromise)} does; the
 * flush is NioSocketChannel.doWrite's ({@code addFlush}, {@code nioBuffers}, the gathering copy,
 * {@code removeBytes}) on a real ChannelOutboundBuffer borrowed from an {@link EmbeddedChannel},
 * whose bookkeeping is part of the cost.
 */
public class BufferWriteDrainBenchmark extends NettyComparison {
    static final int WRITES = 16;

    @Param({"64", "4096"})
    int writeSize;

    byte[] message;
    /** Where a flush copies to: exactly one cycle's bytes, so each flush fills it. */
    ByteBuffer sink;
    BufferPool pool;
    ElasticBuffer elastic;
    PooledByteBufAllocator allocator;
    EmbeddedChannel channel;
    ChannelOutboundBuffer outbound;

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
        allocator = pooledAllocator();
        channel = new EmbeddedChannel();
        outbound = channel.unsafe().outboundBuffer();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
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
        for (int i = 0; i < WRITES; i++) {
            ByteBuf reply = allocator.directBuffer(message.length).writeBytes(message);
            outbound.addMessage(reply, reply.readableBytes(), channel.voidPromise());
        }
        outbound.addFlush();
        ByteBuffer[] buffers = outbound.nioBuffers(1024, Integer.MAX_VALUE);
        int count = outbound.nioBufferCount();
        long drained = outbound.nioBufferSize();
        sink.clear();
        for (int i = 0; i < count; i++) {
            sink.put(buffers[i]);
        }
        outbound.removeBytes(drained);
        return (int) drained;
    }
}
