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
}
