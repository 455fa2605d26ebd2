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
 * {@link ElasticBuffer} next to a pooled direct Netty {@link ByteBuf} used the same way. One
 * operation is one {@value #READ_SIZE}-byte read of a stream of {@code messageSize}-byte
 * messages: append it, consume every complete message (reading its first byte, as a decoder
 * reads a header), leave the partial last one buffered.
 *
 * <p>Neither size divides the read, so a tail is left after almost every read and the buffer is
 * seldom empty. jgnet slides the tail to the front when the next read does not fit behind it;
 * Netty's ByteBuf drops read bytes with {@code discardSomeReadBytes} once they fill half its
 * capacity (as ByteToMessageDecoder does at the end of a read) and grows otherwise. Both give the
 * memory back when a read leaves nothing (jgnet's {@code releaseIfEmpty}, as a connection does
 * after each read; Netty's {@code release}, as ByteToMessageDecoder does with an empty
 * cumulation).
 */
public class BufferCompactionBenchmark extends NettyComparison {
    static final int READ_SIZE = 4096;

    @Param({"100", "1000"})
    int messageSize;

    /** One read's bytes; the stream is this block over and over, so its byte at p is read[p % READ_SIZE]. */
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

    /** Returns the number of whole messages consumed from this read. */
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
