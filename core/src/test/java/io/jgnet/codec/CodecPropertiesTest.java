package io.jgnet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Codec;
import io.jgnet.CodecException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Each codec, fed its own encoding cut at random points, gives back exactly the payloads; fed
 * garbage, it only ever fails with its own {@link CodecException} and never lets more than its
 * limit pile up.
 */
class CodecPropertiesTest {
    private static final int TRIES = 300;

    // ------------------------------------------------------------------------- round trips

    @Property(tries = TRIES)
    void lineCodecRoundTripsUnderRandomCuts(@ForAll("lines") List<byte[]> payloads, @ForAll("cuts") List<Integer> cuts,
                                            @ForAll boolean strip) {
        Codec codec = Codec.line(64, strip);
        List<byte[]> frames = decodeAll(codec, encodeAll(codec, payloads), cuts, 64 + 2);
        assertThat(frames).hasSameSizeAs(payloads);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(frames.get(i)).isEqualTo(strip ? payloads.get(i) : concat(payloads.get(i), new byte[]{'\n'}));
        }
    }

    @Property(tries = TRIES)
    void delimiterCodecRoundTripsUnderRandomCuts(@ForAll("delimited") List<byte[]> payloads,
                                                 @ForAll("cuts") List<Integer> cuts, @ForAll boolean strip) {
        byte[] first = "||".getBytes(StandardCharsets.US_ASCII);
        Codec codec = Codec.delimiter(100, strip, first, new byte[]{0});
        List<byte[]> frames = decodeAll(codec, encodeAll(codec, payloads), cuts, 100 + 2);
        assertThat(frames).hasSameSizeAs(payloads);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(frames.get(i)).isEqualTo(strip ? payloads.get(i) : concat(payloads.get(i), first));
        }
    }

    @Property(tries = TRIES)
    void fixedLengthCodecRoundTripsUnderRandomCuts(@ForAll @IntRange(min = 1, max = 40) int frameLength,
                                                   @ForAll @IntRange(min = 0, max = 30) int count,
                                                   @ForAll("cuts") List<Integer> cuts) {
        Codec codec = Codec.fixedLength(frameLength);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[frameLength];
            Arrays.fill(payload, (byte) i);
            payloads.add(payload);
        }
        assertThat(decodeAll(codec, encodeAll(codec, payloads), cuts, frameLength))
                .containsExactlyElementsOf(payloads);
    }

    @Property(tries = TRIES)
    void lengthFieldCodecRoundTripsUnderRandomCuts(@ForAll("lengthFieldCodecs") Codec codec,
                                                   @ForAll("binaries") List<byte[]> payloads,
                                                   @ForAll("cuts") List<Integer> cuts) {
        List<byte[]> frames = decodeAll(codec, encodeAll(codec, payloads), cuts, 300);
        assertThat(frames).containsExactlyElementsOf(payloads);
    }

    @Property(tries = 100)
    void lengthFieldWithHeaderBytesAndPartialStripKeepsWhatItShould(@ForAll("binaries") List<byte[]> payloads,
                                                                   @ForAll("cuts") List<Integer> cuts) {
        // Wire: 2-byte magic, 2-byte little-endian length counting the whole frame, payload.
        // Strip only the magic: the handler sees length + payload.
        Codec codec = Codec.lengthField().byteOrder(ByteOrder.LITTLE_ENDIAN).lengthFieldOffset(2)
                .lengthFieldLength(2).lengthIncludesHeader(true).initialBytesToStrip(2).maxFrameLength(400).build();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            int total = payload.length + 4;
            wire.writeBytes(new byte[]{(byte) 0xCA, (byte) 0xFE, (byte) total, (byte) (total >>> 8)});
            wire.writeBytes(payload);
        }
        List<byte[]> frames = decodeAll(codec, wire.toByteArray(), cuts, 400);
        assertThat(frames).hasSameSizeAs(payloads);
        for (int i = 0; i < payloads.size(); i++) {
            int total = payloads.get(i).length + 4;
            assertThat(frames.get(i)).isEqualTo(concat(new byte[]{(byte) total, (byte) (total >>> 8)}, payloads.get(i)));
        }
    }

    // --------------------------------------------------------------------------- garbage

    @Property(tries = TRIES)
    void garbageOnlyEverFailsWithTheCodecsOwnErrorAndStaysBounded(@ForAll("anyCodec") Codec codec,
                                                                   @ForAll @Size(max = 2000) byte[] garbage,
                                                                   @ForAll("cuts") List<Integer> cuts) {
        try {
            decodeAll(codec, garbage, cuts, bound(codec), false);
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).contains("codec");
        }
    }

    @Property(tries = 100)
    void anAbsurdLengthFailsBeforeTheBodyArrives(@ForAll @IntRange(min = 1025, max = Integer.MAX_VALUE) int length) {
        Codec codec = Codec.lengthField().maxFrameLength(1024).build();
        ByteBuffer header = ByteBuffer.allocate(4).putInt(0, length);
        assertThatThrownBy(() -> codec.decode(header, header.duplicate()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("length-field codec")
                .hasMessageContaining("maxFrameLength 1024");
    }

    @Property(tries = 50)
    void aNegativeEightByteLengthIsRejected(@ForAll @IntRange(min = 1, max = 1000) int magnitude) {
        Codec codec = Codec.lengthField().lengthFieldLength(8).build();
        ByteBuffer header = ByteBuffer.allocate(8).putLong(0, -magnitude);
        assertThatThrownBy(() -> codec.decode(header, header.duplicate()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("negative length");
    }

    @Property(tries = 50)
    void aLineWithoutEndingFailsOnceItPassesTheLimit(@ForAll @IntRange(min = 1, max = 100) int maxLength) {
        Codec codec = Codec.line(maxLength, true);
        byte[] bytes = new byte[maxLength + 1];
        Arrays.fill(bytes, (byte) 'x');
        ByteBuffer exactly = ByteBuffer.wrap(bytes);
        assertThat(codec.decode(exactly, exactly.duplicate())).isNull();
        ByteBuffer oneMore = ByteBuffer.wrap(concat(bytes, new byte[]{'x'}));
        assertThatThrownBy(() -> codec.decode(oneMore, oneMore.duplicate()))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("maxLength " + maxLength);
    }

    // --------------------------------------------------------------------------- drivers

    /** Encodes every payload through the codec's own encoder into one wire image. */
    static byte[] encodeAll(Codec codec, List<byte[]> payloads) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            codec.encode(ByteBuffer.wrap(payload), data -> {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                wire.writeBytes(bytes);
            });
        }
        return wire.toByteArray();
    }

    /**
     * Feeds {@code wire} to the codec in chunks cut at {@code cuts}, the way a connection's
     * inbound buffer would: decode every complete frame, keep the rest for the next chunk.
     * Checks that no more than {@code bound} bytes wait undecoded after a "need more" answer.
     */
    static List<byte[]> decodeAll(Codec codec, byte[] wire, List<Integer> cuts, int bound) {
        return decodeAll(codec, wire, cuts, bound, true);
    }

    static List<byte[]> decodeAll(Codec codec, byte[] wire, List<Integer> cuts, int bound, boolean complete) {
        ByteBuffer inbound = ByteBuffer.allocate(wire.length + 1);
        // One view lent to every decode, as FrameHandler lends it: frames must not depend on a fresh one.
        ByteBuffer view = inbound.duplicate();
        List<byte[]> frames = new ArrayList<>();
        int offset = 0;
        int cut = 0;
        while (offset < wire.length) {
            int chunk = Math.min(wire.length - offset, cuts.isEmpty() ? wire.length : cuts.get(cut++ % cuts.size()));
            inbound.put(wire, offset, chunk);
            offset += chunk;
            inbound.flip();
            ByteBuffer frame;
            while ((frame = codec.decode(inbound, view)) != null) {
                byte[] copy = new byte[frame.remaining()];
                frame.get(copy);
                frames.add(copy);
            }
            assertThat(inbound.remaining()).as("bytes left waiting for a frame").isLessThanOrEqualTo(bound);
            inbound.compact();
        }
        if (complete) {
            assertThat(inbound.position()).as("trailing bytes after the last frame").isZero();
        }
        return frames;
    }

    private static int bound(Codec codec) {
        if (codec instanceof LineCodec) {
            return 64 + 1;
        }
        if (codec instanceof DelimiterCodec) {
            return 100 + 1;
        }
        return 300;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    // ------------------------------------------------------------------------ generators

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(1, 70).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<byte[]>> lines() {
        // No line endings inside a line: '\n' ends it, and a trailing '\r' would be eaten as "\r\n".
        return Arbitraries.bytes().filter(b -> b != '\n' && b != '\r').array(byte[].class).ofMaxSize(64)
                .list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<byte[]>> delimited() {
        return Arbitraries.bytes().filter(b -> b != '|' && b != 0).array(byte[].class).ofMaxSize(100)
                .list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<byte[]>> binaries() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(250).list().ofMaxSize(15);
    }

    @Provide
    Arbitrary<Codec> lengthFieldCodecs() {
        Arbitrary<Integer> fieldLength = Arbitraries.of(1, 2, 3, 4, 8);
        Arbitrary<ByteOrder> order = Arbitraries.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN);
        return Combinators.combine(fieldLength, order, Arbitraries.of(true, false)).as((length, byteOrder, includes) ->
                Codec.lengthField().byteOrder(byteOrder).lengthFieldLength(length)
                        .lengthIncludesHeader(includes)
                        .maxFrameLength(300).build());
    }

    @Provide
    Arbitrary<Codec> anyCodec() {
        return Arbitraries.oneOf(
                Arbitraries.of(Codec.line(64, true), Codec.line(64, false), Codec.fixedLength(7),
                        Codec.delimiter(100, true, "||".getBytes(StandardCharsets.US_ASCII), new byte[]{0})),
                lengthFieldCodecs());
    }
}
