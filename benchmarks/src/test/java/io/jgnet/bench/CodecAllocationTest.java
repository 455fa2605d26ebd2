package io.jgnet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.jgnet.Codec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Framing allocates nothing per frame: decoding narrows the lent view, encoding hands its
 * framing to the sink as a value or an array the sink copies, as a connection does. Counted by
 * the JVM's per-thread allocation counter over many frames; the bound (a byte per frame on
 * average) is far below the smallest object a frame could cost (16 bytes). Here rather than in
 * core because core's tests compile as part of its module, which does not read java.management.
 */
class CodecAllocationTest {
    private static final int FRAMES = 20_000;

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Copies what it is given into one array, as a connection copies into its outbound buffer. */
    private static final class CopyingSink implements Codec.ByteSink {
        final byte[] copied = new byte[4096];
        int length;

        @Override
        public void write(ByteBuffer data) {
            int n = data.remaining();
            data.get(copied, length, n);
            length += n;
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            System.arraycopy(data, offset, copied, this.length, length);
            this.length += length;
        }

        /** Spells the header in place, as a connection does in its outbound buffer. */
        @Override
        public void writeFrame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
            for (int i = headerBytes - 1; i >= 0; i--) {
                copied[length++] = (byte) (header >>> (8 * i));
            }
            write(payload);
            write(trailer, 0, trailerLength);
        }
    }

    @Test
    void lineFramingAllocatesNothingPerFrame() {
        assertFramesAllocateNothing(Codec.line(1024, true));
    }

    @Test
    void delimiterFramingAllocatesNothingPerFrame() {
        assertFramesAllocateNothing(Codec.delimiter(1024, true, "\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void lengthFieldFramingAllocatesNothingPerFrame() {
        assertFramesAllocateNothing(Codec.lengthField().lengthFieldLength(3).build());
    }

    @Test
    void fixedLengthFramingAllocatesNothingPerFrame() {
        assertFramesAllocateNothing(Codec.fixedLength(100));
    }

    /** Encodes a 100-byte payload, decodes it back through one lent view, FRAMES times. */
    private void assertFramesAllocateNothing(Codec codec) {
        ByteBuffer payload = ByteBuffer.allocate(100);
        CopyingSink sink = new CopyingSink();
        ByteBuffer wire = ByteBuffer.wrap(sink.copied);
        ByteBuffer view = wire.duplicate();
        Consumer<Integer> frames = count -> {
            for (int i = 0; i < count; i++) {
                sink.length = 0;
                codec.encode(payload.clear(), sink);
                ByteBuffer frame = codec.decode(wire.limit(sink.length).position(0), view);
                if (frame == null || frame.remaining() != 100) {
                    throw new AssertionError("frame " + i + " came back as " + frame);
                }
            }
        };
        frames.accept(1000); // first-call costs: class loading
        long before = threads.getCurrentThreadAllocatedBytes();
        frames.accept(FRAMES);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes allocated for %d frames", FRAMES).isLessThan(FRAMES);
    }
}
