package io.jgnet.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a {@link BufferPool} gives back to the operating system: buffers it cannot keep at once,
 * idle buffers once they stayed idle through a whole trim interval, everything at close; and the
 * accounting ({@link BufferPool#liveBytes()}) that shows it.
 */
class BufferPoolTrimTest {
    private static final int KIB = 1024;

    @Test
    void aBufferTooLargeToPoolIsFreedWhenGivenBack() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ByteBuffer huge = pool.take(BufferPool.MAX_POOLED + 1);
        assertThat(pool.liveBytes()).isEqualTo(2L * BufferPool.MAX_POOLED);

        pool.give(huge);

        assertThat(pool.liveBytes()).isZero();
        assertThat(pool.pooledBytes()).isZero();
        assertThat(pool.freedBuffers()).isOne();
        assertThatThrownBy(() -> huge.get(0)).as("freed memory is never touched again")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBufferBeyondThePoolsLimitIsFreedWhenGivenBack() {
        BufferPool pool = new BufferPool(2 * KIB);
        List<ByteBuffer> taken = List.of(pool.take(KIB), pool.take(KIB), pool.take(KIB));
        taken.forEach(pool::give);

        assertThat(pool.pooledBytes()).isEqualTo(2 * KIB);
        assertThat(pool.liveBytes()).as("the third was freed, not left to the GC").isEqualTo(2 * KIB);
        assertThat(pool.freedBuffers()).isOne();
    }

    @Test
    void trimFreesOnlyBuffersThatStayedIdleThroughAWholeInterval() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        List<ByteBuffer> spike = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            spike.add(pool.take(64 * KIB));
        }
        spike.forEach(pool::give);

        assertThat(pool.trim()).as("given back during this interval: not idle for all of it").isZero();
        assertThat(pool.pooledBytes()).isEqualTo(8 * 64 * KIB);

        // The next interval reuses two at most at a time.
        for (int i = 0; i < 3; i++) {
            ByteBuffer a = pool.take(64 * KIB);
            ByteBuffer b = pool.take(64 * KIB);
            pool.give(a);
            pool.give(b);
        }
        assertThat(pool.trim()).as("six stayed idle throughout").isEqualTo(6 * 64 * KIB);
        assertThat(pool.pooledBytes()).isEqualTo(2 * 64 * KIB);
        assertThat(pool.liveBytes()).isEqualTo(2 * 64 * KIB);

        assertThat(pool.trim()).as("an interval with no use frees the rest").isEqualTo(2 * 64 * KIB);
        assertThat(pool.liveBytes()).isZero();
        assertThat(pool.freedBuffers()).isEqualTo(8);
    }

    @Test
    void aSteadyLoadKeepsWhatItReusesAcrossTrims() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        int[] demand = {100, 1500, 3000, 60_000};
        for (int interval = 0; interval < 10; interval++) {
            List<ByteBuffer> held = new ArrayList<>();
            for (int bytes : demand) {
                held.add(pool.take(bytes));
            }
            held.forEach(pool::give);
            pool.trim();
        }
        assertThat(pool.freedBuffers()).isZero();
        assertThat(pool.allocatedBuffers()).isEqualTo(demand.length);
    }

    @Test
    void trimLeavesTakenBuffersAlone() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ByteBuffer held = pool.take(4 * KIB);
        pool.trim();
        pool.trim();

        held.putInt(0, 42);
        assertThat(held.getInt(0)).isEqualTo(42);
        assertThat(pool.liveBytes()).isEqualTo(4 * KIB);
    }

    @Test
    void closeFreesEveryBufferTakenOrIdleAndIgnoresLaterGives() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ByteBuffer idle = pool.take(KIB);
        ByteBuffer held = pool.take(2 * KIB);
        pool.give(idle);

        pool.close();

        assertThat(pool.liveBytes()).isZero();
        assertThat(pool.pooledBytes()).isZero();
        assertThat(pool.freedBuffers()).isEqualTo(2);
        assertThatThrownBy(() -> held.get(0)).isInstanceOf(IllegalStateException.class);
        pool.give(held);
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void takeWithALimitRoundsUpToTheClassOnlyWhileItFits() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        assertThat(pool.take(3000, 10_000).capacity()).isEqualTo(4096);
        ByteBuffer capped = pool.take(9000, 10_000);
        assertThat(capped.capacity()).as("the class (16 KiB) would pass the limit").isEqualTo(10_000);

        pool.give(capped);
        assertThat(pool.pooledBytes()).as("not a class size: freed, not pooled").isZero();
        assertThatThrownBy(() -> pool.take(10_001, 10_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCappedElasticBufferNeverHoldsMoreMemoryThanItsCap() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        int cap = 100_000;
        ElasticBuffer buffer = new ElasticBuffer(pool, cap);
        byte[] chunk = new byte[7_000];
        while (buffer.size() + chunk.length <= cap) {
            buffer.append(chunk, 0, chunk.length);
            assertThat(buffer.capacity()).isLessThanOrEqualTo(cap);
        }
        int size = buffer.size();
        assertThatThrownBy(() -> buffer.append(chunk, 0, chunk.length))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cap of " + cap);
        assertThat(buffer.size()).isEqualTo(size);

        buffer.release();
        assertThat(pool.liveBytes()).isEqualTo(pool.pooledBytes());
    }
}
