package io.jgnet.codec;

import io.jgnet.Codec;
import io.jgnet.CodecException;
import java.nio.ByteBuffer;

/**
 * Frames ended by one of several delimiters; when several occur, the earliest-ending frame wins
 * (as Netty's {@code DelimiterBasedFrameDecoder}). Fails as soon as {@code maxFrameLength} bytes
 * are buffered without a delimiter, so a connection never holds more than that plus one read.
 *
 * <p>Immutable and thread-safe.
 */
public final class DelimiterCodec implements Codec {
    private final int maxFrameLength;
    private final boolean stripDelimiter;
    private final byte[][] delimiters;
    private final int longestDelimiter;

    public DelimiterCodec(int maxFrameLength, boolean stripDelimiter, byte[]... delimiters) {
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("delimiter codec: maxFrameLength must be positive, was " + maxFrameLength);
        }
        if (delimiters == null || delimiters.length == 0) {
            throw new IllegalArgumentException("delimiter codec: give at least one delimiter");
        }
        this.delimiters = new byte[delimiters.length][];
        int longest = 0;
        for (int i = 0; i < delimiters.length; i++) {
            if (delimiters[i] == null || delimiters[i].length == 0) {
                throw new IllegalArgumentException("delimiter codec: delimiter " + i + " is empty");
            }
            this.delimiters[i] = delimiters[i].clone();
            longest = Math.max(longest, delimiters[i].length);
        }
        this.maxFrameLength = maxFrameLength;
        this.stripDelimiter = stripDelimiter;
        this.longestDelimiter = longest;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in, ByteBuffer frame) {
        int start = in.position();
        int limit = in.limit();
        int bestEnd = -1;
        int bestLength = 0;
        for (byte[] delimiter : delimiters) {
            int at = ByteSearch.indexOf(in, start, limit, delimiter);
            if (at >= 0 && (bestEnd < 0 || at < bestEnd)) {
                bestEnd = at;
                bestLength = delimiter.length;
            }
        }
        if (bestEnd < 0) {
            // No delimiter yet: give up once even the longest delimiter could not save the frame.
            if (limit - start > maxFrameLength + longestDelimiter - 1) {
                throw tooLong(limit - start);
            }
            return null;
        }
        int frameLength = bestEnd - start;
        if (frameLength > maxFrameLength) {
            throw tooLong(frameLength);
        }
        in.position(bestEnd + bestLength);
        return frame.limit(stripDelimiter ? bestEnd : bestEnd + bestLength).position(start);
    }

    private CodecException tooLong(int length) {
        return new CodecException("delimiter codec: frame of " + length + " bytes exceeds maxFrameLength "
                + maxFrameLength + " without a delimiter");
    }

    @Override
    public void encode(ByteBuffer payload, ByteSink out) {
        if (payload.remaining() > maxFrameLength) {
            throw new IllegalArgumentException("delimiter codec: payload of " + payload.remaining()
                    + " bytes exceeds maxFrameLength " + maxFrameLength);
        }
        out.writeFrame(0, 0, payload, delimiters[0], delimiters[0].length);
    }
}
