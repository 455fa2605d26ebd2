package io.jgnet.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DirectMemoryBudgetTest {
    @Test
    void sizesReadAsTheJvmWritesThem() {
        assertThat(DirectMemoryBudget.parseSize("4096", "x")).isEqualTo(4096);
        assertThat(DirectMemoryBudget.parseSize("24m", "x")).isEqualTo(24L << 20);
        assertThat(DirectMemoryBudget.parseSize("2G", "x")).isEqualTo(2L << 30);
        assertThat(DirectMemoryBudget.parseSize("8k", "x")).isEqualTo(8192);
        assertThatThrownBy(() -> DirectMemoryBudget.parseSize("lots", "jgnet.maxDirectMemory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jgnet.maxDirectMemory");
    }

    @Test
    void aReservationPastTheLimitFailsAsADirectBufferWouldAndTakesNothing() {
        long before = DirectMemoryBudget.reserved();
        assertThatThrownBy(() -> DirectMemoryBudget.reserve(DirectMemoryBudget.LIMIT + 1))
                .isInstanceOf(OutOfMemoryError.class).hasMessageContaining("direct buffer memory");
        assertThat(DirectMemoryBudget.reserved()).isEqualTo(before);
    }

    @Test
    void aPoolReservesWhatItAllocatesAndReleasesWhatItFrees() {
        long before = DirectMemoryBudget.reserved();
        try (BufferPool pool = new BufferPool(0)) {
            var buffer = pool.take(64 * 1024);
            assertThat(DirectMemoryBudget.reserved() - before).isGreaterThanOrEqualTo(64 * 1024);
            pool.give(buffer);
        }
        assertThat(DirectMemoryBudget.reserved()).isEqualTo(before);
    }
}
