package io.jgnet.codec;

import io.jgnet.Codec;
import java.nio.ByteBuffer;

/**
 * Frames of one fixed size (as Netty's {@code FixedLengthFrameDecoder}). Never fails: any bytes
 * form frames, and at most one partial frame is buffered.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedLengthCodec implements Codec {
    private final int frameLength;

    public FixedLengthCodec(int frameLength) {
        if (frameLength <= 0) {
            throw new IllegalArgumentException("fixed-length codec: frameLength must be positive, was " + frameLength);
        }
        this.frameLength = frameLength;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in, ByteBuffer frame) {
        if (in.remaining() < frameLength) {
            return null;
        }
        int start = in.position();
        in.position(start + frameLength);
        return frame.limit(start + frameLength).position(start);
    }

    @Override
    public void encode(ByteBuffer payload, ByteSink out) {
        if (payload.remaining() != frameLength) {
            throw new IllegalArgumentException("fixed-length codec: payload of " + payload.remaining()
                    + " bytes, frames are " + frameLength);
        }
        out.write(payload);
    }
}
