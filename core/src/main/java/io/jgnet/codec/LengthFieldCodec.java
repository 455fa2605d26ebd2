package io.jgnet.codec;

import io.jgnet.Codec;
import io.jgnet.CodecException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Frames announced by a length field, with Netty's parameters
 * ({@code LengthFieldBasedFrameDecoder} for decoding, {@code LengthFieldPrepender} for
 * encoding):
 *
 * <pre>
 *   |<- lengthFieldOffset ->|<- lengthFieldLength ->|<------ length + lengthAdjustment ------>|
 *   +-----------------------+-----------------------+-----------------------------------------+
 *   |   anything (header)   |      length value     |                  body                    |
 *   +-----------------------+-----------------------+-----------------------------------------+
 *   |<------------------- frameLength, at most maxFrameLength -------------------------------->|
 *   |<- initialBytesToStrip ->|  the frame handed to the handler ... ------------------------->|
 * </pre>
 *
 * A length that is negative, shorter than the header, or over {@code maxFrameLength} fails at
 * once, before any body is buffered, so one connection can hold at most one maximal frame.
 * With {@code lengthIncludesHeader} the value counts the header bytes too (the adjustment is
 * applied on top). The encoder writes the header and payload so that this codec's decoder
 * returns the payload; it needs a field at offset 0 and the whole header stripped.
 *
 * <p>Immutable and thread-safe.
 */
public final class LengthFieldCodec implements Codec {
    private static final byte[] NO_TRAILER = {};

    private final ByteOrder byteOrder;
    private final int lengthFieldOffset;
    private final int lengthFieldLength;
    private final int lengthAdjustment;
    private final int initialBytesToStrip;
    private final int maxFrameLength;
    private final boolean lengthIncludesHeader;
    private final int lengthFieldEnd;

    public LengthFieldCodec(ByteOrder byteOrder, int lengthFieldOffset, int lengthFieldLength, int lengthAdjustment,
                            int initialBytesToStrip, int maxFrameLength, boolean lengthIncludesHeader) {
        if (byteOrder == null) {
            throw new IllegalArgumentException("length-field codec: byteOrder must not be null");
        }
        if (lengthFieldLength != 1 && lengthFieldLength != 2 && lengthFieldLength != 3 && lengthFieldLength != 4
                && lengthFieldLength != 8) {
            throw new IllegalArgumentException("length-field codec: lengthFieldLength must be 1, 2, 3, 4 or 8, was "
                    + lengthFieldLength);
        }
        if (lengthFieldOffset < 0) {
            throw new IllegalArgumentException("length-field codec: lengthFieldOffset must be >= 0, was " + lengthFieldOffset);
        }
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("length-field codec: maxFrameLength must be positive, was " + maxFrameLength);
        }
        if (lengthFieldOffset > maxFrameLength - lengthFieldLength) {
            throw new IllegalArgumentException("length-field codec: maxFrameLength (" + maxFrameLength
                    + ") must be >= lengthFieldOffset + lengthFieldLength (" + (lengthFieldOffset + lengthFieldLength) + ")");
        }
        if (initialBytesToStrip < 0) {
            throw new IllegalArgumentException("length-field codec: initialBytesToStrip must be >= 0, was "
                    + initialBytesToStrip);
        }
        this.byteOrder = byteOrder;
        this.lengthFieldOffset = lengthFieldOffset;
        this.lengthFieldLength = lengthFieldLength;
        // A length that counts the header is the same as one adjusted by the header's size.
        this.lengthAdjustment = lengthIncludesHeader ? lengthAdjustment - (lengthFieldOffset + lengthFieldLength)
                : lengthAdjustment;
        this.initialBytesToStrip = initialBytesToStrip;
        this.maxFrameLength = maxFrameLength;
        this.lengthIncludesHeader = lengthIncludesHeader;
        this.lengthFieldEnd = lengthFieldOffset + lengthFieldLength;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in, ByteBuffer frame) {
        int start = in.position();
        if (in.limit() - start < lengthFieldEnd) {
            return null;
        }
        long length = readLength(in, start + lengthFieldOffset);
        if (length < 0) {
            throw new CodecException("length-field codec: negative length field " + length);
        }
        long frameLength = length + lengthAdjustment + lengthFieldEnd;
        if (frameLength < lengthFieldEnd) {
            throw new CodecException("length-field codec: adjusted frame length " + frameLength
                    + " is less than the header (" + lengthFieldEnd + " bytes)");
        }
        if (frameLength > maxFrameLength) {
            throw new CodecException("length-field codec: frame of " + frameLength + " bytes exceeds maxFrameLength "
                    + maxFrameLength);
        }
        if (frameLength < initialBytesToStrip) {
            throw new CodecException("length-field codec: frame of " + frameLength
                    + " bytes is shorter than initialBytesToStrip " + initialBytesToStrip);
        }
        if (in.limit() - start < frameLength) {
            return null;
        }
        int end = start + (int) frameLength;
        in.position(end);
        return frame.limit(end).position(start + initialBytesToStrip);
    }

    /** Reads the field byte by byte: the caller's buffer keeps its own byte order. */
    private long readLength(ByteBuffer in, int at) {
        long value = 0;
        if (byteOrder == ByteOrder.BIG_ENDIAN) {
            for (int i = 0; i < lengthFieldLength; i++) {
                value = (value << 8) | (in.get(at + i) & 0xFF);
            }
        } else {
            for (int i = lengthFieldLength - 1; i >= 0; i--) {
                value = (value << 8) | (in.get(at + i) & 0xFF);
            }
        }
        // Only an 8-byte field can come out negative (its top bit set): decode() rejects that.
        return value;
    }

    @Override
    public void encode(ByteBuffer payload, ByteSink out) {
        if (lengthFieldOffset != 0 || initialBytesToStrip != lengthFieldEnd) {
            throw new IllegalArgumentException("length-field codec: encoding needs lengthFieldOffset 0 and the whole"
                    + " header stripped, so that the encoder writes exactly what its decoder reads back");
        }
        // The value the decoder turns back into this payload: value + adjustment = payload length.
        long length = (long) payload.remaining() - lengthAdjustment;
        if (length < 0) {
            throw new IllegalArgumentException("length-field codec: adjusted length " + length + " is negative");
        }
        if (lengthFieldLength < 8 && length >= 1L << (lengthFieldLength * 8)) {
            throw new IllegalArgumentException("length-field codec: length " + length + " does not fit in "
                    + lengthFieldLength + " bytes");
        }
        // The sink takes the header most significant byte first: little-endian is that reversed.
        long header = byteOrder == ByteOrder.BIG_ENDIAN ? length
                : Long.reverseBytes(length) >>> (8 * (Long.BYTES - lengthFieldLength));
        out.writeFrame(header, lengthFieldLength, payload, NO_TRAILER, 0);
    }
}
