package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.buffer.BufferPool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The outbound side's contract with a transport: a lent region is never moved, bytes stay in order. */
class OutboundTest {
    private final BufferPool pool = new BufferPool(1 << 20);
    private final Outbound out = new Outbound(pool, 64 * 1024, 16 * 1024, 8 * 1024, new LoopCounters());

    private static String text(ByteBuffer region, int n) {
        byte[] bytes = new byte[n];
        region.get(region.position(), bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void appendsWhileARegionIsLentLeaveTheLentMemoryAloneAndComeAfterIt() {
        out.append("first".getBytes(), 0, 5);
        ByteBuffer lent = out.region();
        long address = java.lang.foreign.MemorySegment.ofBuffer(lent).address();
        // A completion transport holds the region; the handler writes on, far more than fits.
        out.append(new byte[40 * 1024], 0, 40 * 1024);
        out.append("last".getBytes(), 0, 4);
        assertThat(java.lang.foreign.MemorySegment.ofBuffer(lent).address()).isEqualTo(address);
        assertThat(text(lent, 5)).isEqualTo("first");

        out.sent(2);
        ByteBuffer next = out.region();
        assertThat(text(next, 3)).as("the unsent rest of the lent region goes first").isEqualTo("rst");
        assertThat(out.size()).isEqualTo(3 + 40 * 1024 + 4);
        out.sent(next.remaining());
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void writabilityFollowsTheWatermarksAndTheCapDropsEverything() {
        assertThat(out.append(new byte[20 * 1024], 0, 20 * 1024)).isTrue();
        assertThat(out.isWritable()).isFalse();
        out.region();
        out.sent(10 * 1024);
        assertThat(out.becameWritable()).as("still above the low watermark").isFalse();
        out.region();
        out.sent(3 * 1024);
        assertThat(out.becameWritable()).isTrue();
        assertThat(out.append(new byte[70 * 1024], 0, 70 * 1024)).as("past the cap").isFalse();
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void aRegionLentWhenTheConnectionGoesAwayStaysTheKernelsUntilItsCompletion() {
        out.append("first".getBytes(), 0, 5);
        ByteBuffer lent = out.region();
        out.close();
        assertThat(out.isEmpty()).isTrue();
        // Another connection of the loop writes: it must not be handed the lent memory.
        Outbound other = new Outbound(pool, 64 * 1024, 16 * 1024, 8 * 1024, new LoopCounters());
        other.append("XXXXX".getBytes(), 0, 5);
        assertThat(text(lent, 5)).isEqualTo("first");
        out.sent(0);
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void aWriteThatWouldPassTheCapIsRefusedBeforeAnyMemoryGrowsForIt() {
        int cap = 64 * 1024;
        assertThat(out.append(new byte[cap - 1], 0, cap - 1)).isTrue();
        long held = pool.liveBytes();
        assertThat(held).as("never more than the cap").isLessThanOrEqualTo(cap);

        assertThat(out.append(ByteBuffer.allocate(2))).as("one byte past the cap").isFalse();

        assertThat(out.isEmpty()).isTrue();
        assertThat(pool.liveBytes()).as("no bigger buffer was made for bytes never sent").isEqualTo(held);
        assertThat(pool.pooledBytes()).isEqualTo(held);
    }

    @Test
    void aFrameIsQueuedAsItsHeaderMostSignificantByteFirstItsPayloadAndItsTrailer() {
        for (int headerBytes : new int[] {0, 1, 2, 3, 4, 8}) {
            assertThat(out.appendFrame(0x0102030405060708L, headerBytes, ByteBuffer.wrap("body".getBytes()),
                    "\r\n".getBytes(), 2)).isTrue();
            ByteBuffer region = out.region();
            byte[] bytes = new byte[region.remaining()];
            region.get(region.position(), bytes);
            byte[] header = java.util.Arrays.copyOfRange(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 8 - headerBytes, 8);
            assertThat(bytes).as("%d header bytes", headerBytes)
                    .isEqualTo(ByteBuffer.allocate(headerBytes + 6).put(header).put("body\r\n".getBytes()).array());
            out.sent(bytes.length);
        }
    }

    @Test
    void aFrameThatWouldPassTheCapIsRefusedWhole() {
        ByteBuffer payload = ByteBuffer.allocate(64 * 1024 - 4);
        assertThat(out.appendFrame(payload.remaining(), 4, payload, new byte[0], 0)).as("exactly the cap").isTrue();
        out.region();
        out.sent(out.size());
        payload.clear();
        assertThat(out.appendFrame(0, 4, payload, new byte[] {'\n'}, 1)).as("one byte past it").isFalse();
        assertThat(out.isEmpty()).isTrue();
        assertThat(payload.remaining()).as("nothing taken from the payload").isEqualTo(64 * 1024 - 4);
    }
}
