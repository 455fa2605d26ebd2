package io.jgnet.codec;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jgnet.Codec;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the four codecs, as a peer would feed them: each input is a
 * codec's settings and a wire image, cut into reads ({@link FuzzInput}), and {@link CodecDriver}
 * checks the invariants after every decode (only frames or a {@link io.jgnet.CodecException},
 * buffered bytes within the codec's limit, progress on every frame, the input left unchanged).
 *
 * <p>{@code ./jgnet test} replays the seeds under
 * {@code src/test/resources/io/jgnet/codec/CodecFuzzTestInputs/<method>/} as ordinary tests;
 * {@code ./jgnet fuzz --minutes N} (scripts/fuzz.sh) fuzzes every method in a JVM of its own with
 * Jazzer's driver, sharing the N minutes. A finding lands in {@code target/fuzz-findings/}: copied
 * into the method's Inputs directory, it replays as a regression test from then on.
 */
class CodecFuzzTest {
    // Dictionary entries are libFuzzer's syntax: bytes outside printable ASCII as \\xNN escapes.

    /** Limits kept small so that the fuzzer reaches them with short inputs. */
    private static final int MAX_LENGTH = 64;

    @FuzzTest
    @DictionaryEntries({"\\x0A", "\\x0D\\x0A", "\\x0D"})
    void lineCodec(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int settings = input.settings();
        int maxLength = 1 + settings % MAX_LENGTH;
        boolean strip = (settings & 0x40) != 0;
        // The line plus "\r\n" may wait; one byte more and the codec must have failed.
        new CodecDriver(Codec.line(maxLength, strip), maxLength + 1, maxLength + 2)
                .feed(input.wire(), input.cuts());
    }

    @FuzzTest
    @DictionaryEntries({"||", "\\x00", "|"})
    void delimiterCodec(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int settings = input.settings();
        int maxLength = 1 + settings % MAX_LENGTH;
        boolean strip = (settings & 0x40) != 0;
        Codec codec = Codec.delimiter(maxLength, strip, "||".getBytes(StandardCharsets.US_ASCII), new byte[]{0});
        new CodecDriver(codec, maxLength + 1, maxLength + 2).feed(input.wire(), input.cuts());
    }

    @FuzzTest
    void fixedLengthCodec(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int frameLength = 1 + input.settings() % MAX_LENGTH;
        new CodecDriver(Codec.fixedLength(frameLength), frameLength - 1, frameLength).feed(input.wire(), input.cuts());
    }

    @FuzzTest
    void lengthFieldCodec(byte[] data) {
        FuzzInput input = new FuzzInput(data);
        int settings = input.settings();
        int[] fieldLengths = {1, 2, 3, 4, 8};
        int fieldLength = fieldLengths[settings % fieldLengths.length];
        int offset = (settings >>> 3) & 0x3;
        boolean includesHeader = (settings & 0x20) != 0;
        ByteOrder order = (settings & 0x40) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        // The adjustment and the strip come from a second settings byte: -4..+3 and 0..header.
        int more = input.settings();
        int adjustment = (more & 0x7) - 4;
        int strip = Math.min((more >>> 3) & 0xF, offset + fieldLength);
        int maxFrameLength = 200;
        Codec codec = Codec.lengthField().byteOrder(order).lengthFieldOffset(offset).lengthFieldLength(fieldLength)
                .lengthAdjustment(adjustment).initialBytesToStrip(strip).lengthIncludesHeader(includesHeader)
                .maxFrameLength(maxFrameLength).build();
        // At most one frame short of its last byte waits; a frame is never longer than the maximum.
        new CodecDriver(codec, maxFrameLength - 1, maxFrameLength).feed(input.wire(), input.cuts());
    }
}
