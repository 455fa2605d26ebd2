package io.jgnet.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * A {@link BufferPool} rounds requests up to power-of-two classes, hands back what it was given
 * (the same object, cleared), never keeps more than its limit, and so stops allocating once a
 * loop's demand is steady.
 */
class BufferPoolTest {
    private static final int MAX_POOLED_CLASS = 8 * 1024 * 1024;
    /** Fixed so that every run tries the same values. */
    private static final String SEED = "20251124";

    // ---------------------------------------------------------------------------- classSize

    @Test
    void classSizeRoundsUpToAPowerOfTwoOfAtLeastOneKibibyte() {
        assertThat(BufferPool.classSize(0)).isEqualTo(1024);
        assertThat(BufferPool.classSize(1)).isEqualTo(1024);
        assertThat(BufferPool.classSize(1023)).isEqualTo(1024);
        assertThat(BufferPool.classSize(1024)).isEqualTo(1024);
        assertThat(BufferPool.classSize(1025)).isEqualTo(2048);
        assertThat(BufferPool.classSize(3000)).isEqualTo(4096);
        assertThat(BufferPool.classSize(1 << 30)).isEqualTo(1 << 30);
    }

    @Property(seed = SEED)
    void aPowerOfTwoIsItsOwnClass(@ForAll @IntRange(min = 10, max = 30) int shift) {
        assertThat(BufferPool.classSize(1 << shift)).isEqualTo(1 << shift);
    }

    @Property(seed = SEED)
    void anyOtherSizeGoesToTheNextPowerOfTwo(@ForAll @IntRange(min = 1025, max = 1 << 30) int bytes) {
        int size = BufferPool.classSize(bytes);
        assertThat(Integer.bitCount(size)).isOne();
        assertThat(size).isGreaterThanOrEqualTo(bytes);
        assertThat(size / 2).isLessThan(bytes);
    }

    @Test
    void classSizeRefusesWhatNoIntCapacityCanHold() {
        assertThatThrownBy(() -> BufferPool.classSize((1 << 30) + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf((1 << 30) + 1));
    }

    // -------------------------------------------------------------------------- take / give

    @Test
    void takeReturnsAClearedDirectBufferOfTheClassSize() {
        BufferPool pool = new BufferPool(1 << 20);
        ByteBuffer buffer = pool.take(1500);

        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.capacity()).isEqualTo(2048);
        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(2048);
        assertThat(pool.allocatedBuffers()).isOne();
    }

    @Test
    void aBufferGivenBackIsTakenAgainClearedAndInTheDefaultOrder() {
        BufferPool pool = new BufferPool(1 << 20);
        ByteBuffer buffer = pool.take(2000);
        buffer.position(17).limit(100);
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        pool.give(buffer);

        ByteBuffer again = pool.take(1025);

        assertThat(again).isSameAs(buffer);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(2048);
        assertThat(again.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(pool.allocatedBuffers()).isOne();
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void aBufferIsReusedOnlyForItsOwnClass() {
        BufferPool pool = new BufferPool(1 << 20);
        ByteBuffer small = pool.take(1000);
        pool.give(small);

        ByteBuffer large = pool.take(4000);

        assertThat(large).isNotSameAs(small);
        assertThat(large.capacity()).isEqualTo(4096);
        assertThat(pool.pooledBytes()).isEqualTo(1024);
        assertThat(pool.take(1).capacity()).isEqualTo(1024);
        assertThat(pool.allocatedBuffers()).isEqualTo(2);
    }

    @Test
    void thePoolStopsKeepingBuffersAtItsLimit() {
        BufferPool pool = new BufferPool(4096);
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(pool.take(1024));
        }
        taken.forEach(pool::give);

        assertThat(pool.pooledBytes()).isEqualTo(4096);
        for (int i = 0; i < 5; i++) {
            pool.take(1024);
        }
        assertThat(pool.allocatedBuffers()).as("four came from the pool, one was allocated").isEqualTo(6);
        assertThat(pool.pooledBytes()).isZero();
    }

    @Property(tries = 200, seed = SEED)
    void thePoolNeverHoldsMoreThanItsLimit(@ForAll @LongRange(min = 0, max = 64 * 1024) long limit,
                                           @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 20_000) Integer> sizes,
                                           @ForAll @Size(max = 100) List<Boolean> giveBack) {
        BufferPool pool = new BufferPool(limit);
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            held.add(pool.take(sizes.get(i)));
            if (i < giveBack.size() && giveBack.get(i)) {
                pool.give(held.removeFirst());
            }
            assertThat(pool.pooledBytes()).isBetween(0L, limit);
        }
        held.forEach(pool::give);
        assertThat(pool.pooledBytes()).isBetween(0L, limit);
    }

    @Test
    void buffersOutsideTheClassesAreNotPooled() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ByteBuffer odd = ByteBuffer.allocateDirect(1500);
        ByteBuffer tiny = ByteBuffer.allocateDirect(512);
        ByteBuffer huge = pool.take(MAX_POOLED_CLASS + 1);
        ByteBuffer heap = ByteBuffer.allocate(1024);
        ByteBuffer readOnly = ByteBuffer.allocateDirect(1024).asReadOnlyBuffer();

        for (ByteBuffer buffer : List.of(odd, tiny, huge, heap, readOnly)) {
            pool.give(buffer);
            assertThat(pool.pooledBytes()).as("after giving %s", buffer).isZero();
        }
        ByteBuffer taken = pool.take(1024);
        assertThat(taken).isNotSameAs(heap).isNotSameAs(readOnly);
        assertThat(taken.isDirect()).isTrue();
        assertThat(taken.isReadOnly()).isFalse();
        assertThat(pool.take(MAX_POOLED_CLASS + 1)).isNotSameAs(huge);
    }

    @Test
    void theLargestClassIsStillPooled() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ByteBuffer largest = pool.take(MAX_POOLED_CLASS);
        pool.give(largest);

        assertThat(pool.pooledBytes()).isEqualTo(MAX_POOLED_CLASS);
        assertThat(pool.take(MAX_POOLED_CLASS / 2 + 1)).isSameAs(largest);
    }

    @Test
    void allocationsStopGrowingInASteadyTakeGiveCycle() {
        BufferPool pool = new BufferPool(1 << 20);
        int[] demand = {100, 1024, 1500, 3000, 60_000, 100, 9000};
        List<ByteBuffer> held = new ArrayList<>();
        long afterFirstCycle = -1;
        for (int cycle = 0; cycle < 1_000; cycle++) {
            for (int bytes : demand) {
                held.add(pool.take(bytes));
            }
            held.forEach(pool::give);
            held.clear();
            if (cycle == 0) {
                afterFirstCycle = pool.allocatedBuffers();
            }
            assertThat(pool.allocatedBuffers()).as("cycle %d", cycle).isEqualTo(afterFirstCycle);
        }
        assertThat(afterFirstCycle).isEqualTo(demand.length);
    }
}
