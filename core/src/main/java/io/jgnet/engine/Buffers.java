package io.jgnet.engine;

import java.nio.ByteBuffer;

/** Small buffer helpers shared by the engine. Stateless. */
final class Buffers {
    private Buffers() {
    }

    /** The remaining bytes of {@code parts}, in order, as one heap buffer (consuming them). */
    static ByteBuffer concat(ByteBuffer[] parts) {
        int total = 0;
        for (ByteBuffer part : parts) {
            total = Math.addExact(total, part.remaining());
        }
        ByteBuffer joined = ByteBuffer.allocate(total);
        for (ByteBuffer part : parts) {
            joined.put(part);
        }
        return joined.flip();
    }

    /** A frame (see {@link io.jgnet.Codec.ByteSink#writeFrame}) as one heap buffer, consuming {@code payload}. */
    static ByteBuffer frame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
        ByteBuffer frame = ByteBuffer.allocate(Math.addExact(headerBytes + trailerLength, payload.remaining()));
        for (int i = headerBytes - 1; i >= 0; i--) {
            frame.put((byte) (header >>> (8 * i)));
        }
        frame.put(payload);
        if (trailerLength > 0) {
            frame.put(trailer, 0, trailerLength);
        }
        return frame.flip();
    }
}
