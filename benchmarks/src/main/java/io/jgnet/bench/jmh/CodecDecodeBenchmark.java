package io.jgnet.bench.jmh;

import io.jgnet.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode throughput of each jgnet codec next to Netty's equivalent decoder, on the same bytes
 * in the same run: {@link #FRAMES} frames of {@code payloadSize} bytes already buffered, decoded
 * one after another, as one onTraffic would. Both read from direct memory. jgnet's frames are
 * one reused view, narrowed to each frame in turn, as FrameHandler lends it; Netty's are retained
 * slices and are released, since that is part of its cost. One operation is one frame decoded
 * and its first byte read.
 */
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class CodecDecodeBenchmark extends NettyComparison {
    static final int FRAMES = 1000;

    @Param({"64", "1024"})
    int payloadSize;

    private ByteBuffer lineInput;
    private ByteBuffer delimiterInput;
    private ByteBuffer fixedInput;
    private ByteBuffer lengthInput;
    /** The frame view lent to each decode, one per input, as FrameHandler lends one per read. */
    private ByteBuffer lineView;
    private ByteBuffer delimiterView;
    private ByteBuffer fixedView;
    private ByteBuffer lengthView;
    ByteBuf nettyLine;
    ByteBuf nettyDelimiter;
    ByteBuf nettyFixed;
    ByteBuf nettyLength;

    private final Codec line = Codec.line(64 * 1024, true);
    private final Codec delimiter = Codec.delimiter(64 * 1024, true, "\0".getBytes(StandardCharsets.US_ASCII));
    private Codec fixed;
    private final Codec length = Codec.lengthField().maxFrameLength(1 << 20).build();

    private ExposedLine nettyLineDecoder;
    private ExposedDelimiter nettyDelimiterDecoder;
    private ExposedFixed nettyFixedDecoder;
    private ExposedLength nettyLengthDecoder;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + random.nextInt(26));
        }
        ByteBuffer lines = ByteBuffer.allocateDirect(FRAMES * (payloadSize + 1));
        ByteBuffer delimited = ByteBuffer.allocateDirect(FRAMES * (payloadSize + 1));
        ByteBuffer fixedFrames = ByteBuffer.allocateDirect(FRAMES * payloadSize);
        ByteBuffer lengthFrames = ByteBuffer.allocateDirect(FRAMES * (payloadSize + 4));
        for (int i = 0; i < FRAMES; i++) {
            lines.put(payload).put((byte) '\n');
            delimited.put(payload).put((byte) 0);
            fixedFrames.put(payload);
            lengthFrames.putInt(payloadSize).put(payload);
        }
        lineInput = lines.flip();
        delimiterInput = delimited.flip();
        fixedInput = fixedFrames.flip();
        lengthInput = lengthFrames.flip();
        lineView = lineInput.duplicate();
        delimiterView = delimiterInput.duplicate();
        fixedView = fixedInput.duplicate();
        lengthView = lengthInput.duplicate();
        nettyLine = nettyCopy(lineInput);
        nettyDelimiter = nettyCopy(delimiterInput);
        nettyFixed = nettyCopy(fixedInput);
        nettyLength = nettyCopy(lengthInput);
        fixed = Codec.fixedLength(payloadSize);
        nettyLineDecoder = new ExposedLine(64 * 1024);
        nettyDelimiterDecoder = new ExposedDelimiter(64 * 1024, Unpooled.wrappedBuffer(new byte[]{0}));
        nettyFixedDecoder = new ExposedFixed(payloadSize);
        nettyLengthDecoder = new ExposedLength(1 << 20);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettyLine.release();
        nettyDelimiter.release();
        nettyFixed.release();
        nettyLength.release();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int jgnetLine(Blackhole hole) {
        return drain(line, lineInput, lineView, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int nettyLine(Blackhole hole) throws Exception {
        return drain(nettyLineDecoder, nettyLine, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int jgnetDelimiter(Blackhole hole) {
        return drain(delimiter, delimiterInput, delimiterView, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int nettyDelimiter(Blackhole hole) throws Exception {
        return drain(nettyDelimiterDecoder, nettyDelimiter, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int jgnetFixedLength(Blackhole hole) {
        return drain(fixed, fixedInput, fixedView, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int nettyFixedLength(Blackhole hole) throws Exception {
        return drain(nettyFixedDecoder, nettyFixed, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int jgnetLengthField(Blackhole hole) {
        return drain(length, lengthInput, lengthView, hole);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int nettyLengthField(Blackhole hole) throws Exception {
        return drain(nettyLengthDecoder, nettyLength, hole);
    }

    private static int drain(Codec codec, ByteBuffer input, ByteBuffer view, Blackhole hole) {
        input.position(0);
        int frames = 0;
        ByteBuffer frame;
        while ((frame = codec.decode(input, view)) != null) {
            hole.consume(frame.get(frame.position()));
            frames++;
        }
        return frames;
    }

    private static int drain(NettyDecoder decoder, ByteBuf input, Blackhole hole) throws Exception {
        input.readerIndex(0);
        int frames = 0;
        Object frame;
        while ((frame = decoder.decodeOne(input)) != null) {
            ByteBuf bytes = (ByteBuf) frame;
            hole.consume(bytes.getByte(bytes.readerIndex()));
            bytes.release();
            frames++;
        }
        return frames;
    }

    /** One decode call on a Netty decoder, whose decode() is protected. */
    interface NettyDecoder {
        Object decodeOne(ByteBuf in) throws Exception;
    }

    /** Netty's decoders keep decode() protected: these expose one call without a pipeline. */
    static final class ExposedLine extends LineBasedFrameDecoder implements NettyDecoder {
        ExposedLine(int max) {
            super(max);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }

    static final class ExposedDelimiter extends DelimiterBasedFrameDecoder implements NettyDecoder {
        ExposedDelimiter(int max, ByteBuf delimiter) {
            super(max, delimiter);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }

    static final class ExposedFixed extends FixedLengthFrameDecoder implements NettyDecoder {
        ExposedFixed(int length) {
            super(length);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }

    static final class ExposedLength extends LengthFieldBasedFrameDecoder implements NettyDecoder {
        ExposedLength(int max) {
            super(max, 0, 4, 0, 4);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }
}
