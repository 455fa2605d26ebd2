package io.jgnet.codec;

import io.jgnet.Codec;
import io.jgnet.CodecException;
import java.nio.ByteBuffer;

/**
 * Lines ended by {@code \n} or {@code \r\n} (as Netty's {@code LineBasedFrameDecoder}).
 * Fails as soon as more than {@code maxLength} bytes are buffered without a line ending.
 *
 * <p>Immutable and thread-safe.
 */
public final class LineCodec implements Codec {
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte[] NEWLINE = {LF};

    private final int maxLength;
    private final boolean stripDelimiter;

    public LineCodec(int maxLength, boolean stripDelimiter) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("line codec: maxLength must be positive, was " + maxLength);
        }
        this.maxLength = maxLength;
        this.stripDelimiter = stripDelimiter;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in, ByteBuffer frame) {
        int start = in.position();
        int limit = in.limit();
        // A line of maxLength bytes may still be followed by "\r\n": look that far and no further.
        int searchEnd = (int) Math.min(limit, (long) start + maxLength + 2);
        int i = ByteSearch.indexOf(in, start, searchEnd, LF);
        if (i >= 0) {
            int end = i > start && in.get(i - 1) == CR ? i - 1 : i;
            int length = end - start;
            if (length > maxLength) {
                throw tooLong(length);
            }
            in.position(i + 1);
            return frame.limit(stripDelimiter ? end : i + 1).position(start);
        }
        if (limit - start > maxLength + 1) {
            throw tooLong(limit - start);
        }
        return null;
    }

    private CodecException tooLong(int length) {
        return new CodecException("line codec: line of " + length + " bytes exceeds maxLength " + maxLength);
    }

    @Override
    public void encode(ByteBuffer payload, ByteSink out) {
        if (payload.remaining() > maxLength) {
            throw new IllegalArgumentException("line codec: payload of " + payload.remaining()
                    + " bytes exceeds maxLength " + maxLength);
        }
        out.writeFrame(0, 0, payload, NEWLINE, NEWLINE.length);
    }
}
