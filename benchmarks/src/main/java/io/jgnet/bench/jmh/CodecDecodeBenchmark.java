package io.jgnet.bench.jmh;

import io.jgnet.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.ByteBuffer;
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
 * Decode throughput of each jgnet codec next to Netty's equivalent decoder ({@code framing}), on
 * the same bytes in the same run: {@link #FRAMES} frames of {@code payloadSize} bytes already
 * buffered, decoded one after another, as one onTraffic would. Both read from direct memory. jgnet's frames are
 * one reused view, narrowed to each frame in turn, as FrameHandler lends it; Netty's are retained
 * slices and are released, since that is part of its cost. One operation is one frame decoded
 * and its first byte read.
 */
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"})
public class CodecDecodeBenchmark extends NettyComparison {
    static final int FRAMES = 1000;
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_FRAME = 1 << 20;

    @Param({"64", "1024"})
    int payloadSize;

    /** The framing decoded: Codec.line and LineBasedFrameDecoder, and so on. */
    @Param({"line", "delimiter", "fixedLength", "lengthField"})
    String framing;

    Framing frames;

    /** One framing: its frames for each side, jgnet's codec with the view it lends, Netty's decoder. */
    record Framing(Codec codec, ByteBuffer input, ByteBuffer view, NettyDecoder decoder, ByteBuf netty) {
        Framing(Codec codec, NettyDecoder decoder, byte[] frame) {
            this(codec, repeated(frame, FRAMES), decoder);
        }

        private Framing(Codec codec, ByteBuffer input, NettyDecoder decoder) {
            this(codec, input, input.duplicate(), decoder, nettyCopy(input));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(1);
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + random.nextInt(26));
        }
        frames = switch (framing) {
            case "line" -> new Framing(Codec.line(MAX_LINE, true), new NettyLine(), followedBy(payload, (byte) '\n'));
            case "delimiter" -> new Framing(Codec.delimiter(MAX_LINE, true, new byte[] {0}), new NettyDelimiter(),
                    followedBy(payload, (byte) 0));
            case "fixedLength" -> new Framing(Codec.fixedLength(payloadSize), new NettyFixed(payloadSize), payload);
            case "lengthField" -> new Framing(Codec.lengthField().maxFrameLength(MAX_FRAME).build(), new NettyLength(),
                    ByteBuffer.allocate(4 + payloadSize).putInt(payloadSize).put(payload).array());
            default -> throw new IllegalArgumentException("no framing " + framing);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        frames.netty().release();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int jgnet(Blackhole hole) {
        Codec codec = frames.codec();
        ByteBuffer input = frames.input().position(0);
        ByteBuffer view = frames.view();
        int count = 0;
        ByteBuffer frame;
        while ((frame = codec.decode(input, view)) != null) {
            hole.consume(frame.get(frame.position()));
            count++;
        }
        return count;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int netty(Blackhole hole) throws Exception {
        NettyDecoder decoder = frames.decoder();
        ByteBuf input = frames.netty().readerIndex(0);
        int count = 0;
        Object frame;
        while ((frame = decoder.decodeOne(input)) != null) {
            ByteBuf bytes = (ByteBuf) frame;
            hole.consume(bytes.getByte(bytes.readerIndex()));
            bytes.release();
            count++;
        }
        return count;
    }

    private static byte[] followedBy(byte[] payload, byte last) {
        byte[] frame = java.util.Arrays.copyOf(payload, payload.length + 1);
        frame[payload.length] = last;
        return frame;
    }

    /** One decode call on a Netty decoder without a pipeline: Netty keeps decode() protected. */
    interface NettyDecoder {
        Object decodeOne(ByteBuf in) throws Exception;
    }

    static final class NettyLine extends LineBasedFrameDecoder implements NettyDecoder {
        NettyLine() {
            super(MAX_LINE);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }

    static final class NettyDelimiter extends DelimiterBasedFrameDecoder implements NettyDecoder {
        NettyDelimiter() {
            super(MAX_LINE, Unpooled.wrappedBuffer(new byte[] {0}));
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }

    static final class NettyFixed extends FixedLengthFrameDecoder implements NettyDecoder {
        NettyFixed(int length) {
            super(length);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }

    static final class NettyLength extends LengthFieldBasedFrameDecoder implements NettyDecoder {
        NettyLength() {
            super(MAX_FRAME, 0, 4, 0, 4);
        }

        @Override
        public Object decodeOne(ByteBuf in) throws Exception {
            return decode(null, in);
        }
    }
}
