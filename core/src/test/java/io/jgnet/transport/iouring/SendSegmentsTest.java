package io.jgnet.transport.iouring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SendSegmentsTest {
    private final SendSegments segments = new SendSegments();

    @Test
    void aBufferSentFromAgainReusesItsSegmentWhereverItsPositionIs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(4096);
            ByteBuffer buffer = memory.asByteBuffer();
            MemorySegment first = segments.of(buffer.limit(100).position(10));
            MemorySegment again = segments.of(buffer.limit(4000).position(3000));

            assertThat(again).isSameAs(first);
            assertThat(first.address()).as("from index 0").isEqualTo(memory.address());
            assertThat(first.byteSize()).as("to the capacity").isEqualTo(4096);
            assertThat(buffer.position()).as("the buffer is left alone").isEqualTo(3000);
        }
    }

    @Test
    void aFreedBuffersSegmentSaysSoInsteadOfLendingFreedMemory() {
        Arena arena = Arena.ofConfined();
        ByteBuffer buffer = arena.allocate(64).asByteBuffer();
        MemorySegment segment = segments.of(buffer);
        arena.close();

        assertThat(segment.scope().isAlive()).isFalse();
    }

    @Test
    void theCacheStartsOverOnceFullSoItsEntriesStayBounded() {
        try (Arena arena = Arena.ofConfined()) {
            ByteBuffer first = arena.allocate(64).asByteBuffer();
            MemorySegment firstSegment = segments.of(first);
            for (int i = 1; i < SendSegments.MAX_BUFFERS; i++) {
                segments.of(arena.allocate(64).asByteBuffer());
            }
            assertThat(segments.of(first)).as("still cached at the bound").isSameAs(firstSegment);

            segments.of(arena.allocate(64).asByteBuffer()); // one past the bound: cleared
            assertThat(segments.of(first)).as("made again after the clear").isNotSameAs(firstSegment);
        }
    }
}
