package io.jgnet.transport.iouring;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;

/**
 * A segment over the whole of each buffer io_uring sends from, made once per buffer object, so
 * that a send passes its region's address without making a segment per send. A connection sends
 * from its output's memory, which comes from the loop's pool: a small set of long-lived buffer
 * objects. {@code MemorySegment.ofBuffer} per send allocated 40 B on the loop thread whenever the
 * JIT did not inline the completion's whole call chain (2.7 B per frame at 16 frames a send).
 *
 * <p>The segments keep their buffers' checks (native, still open, in bounds) when the address is
 * taken. The cache is cleared once it holds {@link #MAX_BUFFERS}, which drops the entries of
 * buffers the pool has freed since, so it never grows without bound. Owned by the loop thread.
 */
final class SendSegments {
    static final int MAX_BUFFERS = 256;

    private final IdentityHashMap<ByteBuffer, MemorySegment> segments = new IdentityHashMap<>();

    /** A segment of all of {@code buffer}'s memory, from index 0 to its capacity. */
    MemorySegment of(ByteBuffer buffer) {
        MemorySegment segment = segments.get(buffer);
        if (segment == null) {
            if (segments.size() == MAX_BUFFERS) {
                segments.clear();
            }
            segment = MemorySegment.ofBuffer(buffer.duplicate().clear());
            segments.put(buffer, segment);
        }
        return segment;
    }
}
