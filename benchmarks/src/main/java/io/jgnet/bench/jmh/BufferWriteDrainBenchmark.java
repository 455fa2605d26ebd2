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
 * then everything flushed at once into a sink, standing for the kernel's copy in the write
 * system call, and the memory given back. One operation is one write with its share of the
 * flush.
 *
 * <ul>
 *   <li>jgnet: {@code append(byte[])} copies each reply into the connection's one elastic
 *       buffer (taken from the loop's pool, moved to a bigger class as it grows); the flush
 *       copies {@code readable()} into the sink, then {@code consume} and
 *       {@code releaseIfEmpty}, as a connection does after a write.
 *   <li>Netty: each reply is a pooled direct ByteBuf of its size, as a handler allocates and
 *       fills one ({@code ctx.alloc().directBuffer(n).writeBytes(reply)}), queued with
 *       {@code addMessage} as {@code ctx.write(msg, voidPromise)} queues it (the matrix's Netty
 *       servers pass the void promise); the flush is what NioSocketChannel.doWrite does:
 *       {@code addFlush}, {@code nioBuffers} gathers the queued buffers, the gathering write
 *       copies them into the sink, {@code removeBytes} releases each buffer and recycles its
 *       entry.
 * </ul>
 *
 * The buffer is a real ChannelOutboundBuffer, taken from an {@link EmbeddedChannel} (which
 * only owns it here: nothing goes through the channel's pipeline or its own doWrite); its
 * bookkeeping (entries, pending-byte and writability accounting) is part of the cost measured.
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
