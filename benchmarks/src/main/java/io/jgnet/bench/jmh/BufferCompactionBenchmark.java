package io.jgnet.bench.jmh;

import io.jgnet.buffer.BufferPool;
import io.jgnet.buffer.ElasticBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A connection's inbound buffer under a handler that consumes only whole messages, jgnet's
 * {@link ElasticBuffer} next to a pooled direct Netty {@link ByteBuf} used as ByteToMessageDecoder
 * uses its cumulation. One operation is one {@value #READ_SIZE}-byte read of a stream of
 * {@code messageSize}-byte messages: append it, consume every complete message (reading its first
 * byte, as a decoder reads a header), leave the partial last one buffered. Neither size divides
 * the read, so a tail is left after almost every read: jgnet slides it to the front, Netty
 * {@code discardSomeReadBytes}; both give the memory back when a read leaves nothing.
 */
public class BufferCompactionBenchmark extends NettyComparison {
    static final int READ_SIZE = 4096;

    @Param({"100", "1000"})
    int messageSize;

    /** One read's bytes; the stream is this block over and over. */
    ByteBuffer read;
    BufferPool pool;
    ElasticBuffer elastic;
    PooledByteBufAllocator allocator;
    /** Netty's inbound bytes, null while empty (like ByteToMessageDecoder's cumulation). */
    ByteBuf cumulation;

    @Setup(Level.Trial)
    public void setUp() {
        read = ByteBuffer.allocateDirect(READ_SIZE);
        for (int i = 0; i < READ_SIZE; i++) {
            read.put(i, (byte) (i * 31 + 7));
        }
        pool = new BufferPool(POOLED_BYTES);
        elastic = new ElasticBuffer(pool);
        allocator = pooledAllocator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        elastic.release();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** Returns the number of whole messages consumed from this read. */
    @Benchmark
    public int jgnet(Blackhole hole) {
        elastic.append(read.clear());
        ByteBuffer in = elastic.readable();
        int start = in.position();
        int at = start;
        int end = in.limit();
        int messages = 0;
        int headers = 0;
        while (end - at >= messageSize) {
            headers += in.get(at);
            at += messageSize;
            messages++;
        }
        elastic.consume(at - start);
        elastic.releaseIfEmpty();
        hole.consume(headers);
        return messages;
    }

    @Benchmark
    public int netty(Blackhole hole) {
        if (cumulation == null) {
            cumulation = allocator.directBuffer(READ_SIZE);
        }
        cumulation.writeBytes(read.clear());
        int messages = 0;
        int headers = 0;
        while (cumulation.readableBytes() >= messageSize) {
            headers += cumulation.getByte(cumulation.readerIndex());
            cumulation.skipBytes(messageSize);
            messages++;
        }
        if (cumulation.isReadable()) {
            cumulation.discardSomeReadBytes();
        } else {
            cumulation.release();
            cumulation = null;
        }
        hole.consume(headers);
        return messages;
    }
}
