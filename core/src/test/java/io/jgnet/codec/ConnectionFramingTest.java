package io.jgnet.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.FrameHandler;
import io.jgnet.Options;
import io.jgnet.TestPeer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection frames what a codec encodes ({@link Codec.ByteSink#writeFrame}, one append per
 * frame) byte for byte as the interface's default does with separate writes: every built-in
 * codec's frames, echoed through a connection, come back as they were sent.
 */
class ConnectionFramingTest {

    @Test
    void everyLengthFieldSizeAndOrderIsFramedByTheConnectionAsByTheDefault() throws Exception {
        for (int fieldLength : new int[] {1, 2, 3, 4, 8}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                assertEchoedAsSent(Codec.lengthField().lengthFieldLength(fieldLength).byteOrder(order).build());
            }
        }
    }

    @Test
    void linesAndDelimitedFramesAreFramedByTheConnectionAsByTheDefault() throws Exception {
        assertEchoedAsSent(Codec.line(300, true));
        assertEchoedAsSent(Codec.delimiter(300, true, "||".getBytes(StandardCharsets.US_ASCII)));
        assertEchoedAsSent(Codec.fixedLength(7));
    }

    /** Frames of 7 bytes (the fixed-length codec's size) and of 0 to 250 for the others. */
    private static void assertEchoedAsSent(Codec codec) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (int length : codec instanceof FixedLengthCodec ? new int[] {7, 7} : new int[] {0, 1, 7, 250}) {
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            payloads.add(payload);
        }
        byte[] wire = CodecPropertiesTest.encodeAll(codec, payloads);
        FrameHandler echo = new FrameHandler(codec) {
            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                send(conn, frame);
                return Action.NONE;
            }
        };
        TestPeer peer = TestPeer.connect(echo, Options.defaults());
        try {
            peer.send(wire);
            assertThat(peer.received()).as("%s", codec).isEqualTo(wire);
        } finally {
            peer.close();
        }
    }
}
