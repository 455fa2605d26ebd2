package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.buffer.BufferPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BufferPoolBenchmarkTest {

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 16384, 65536})
    void jgnetReusesItsBuffersOnceWarm(int size) {
        BufferPoolBenchmark bench = benchmark(size);
        int capacity = BufferPool.classSize(size);

        assertThat(bench.jgnetOne()).isEqualTo(capacity);
        assertThat(bench.jgnetOne()).isEqualTo(capacity);
        assertThat(bench.pool.allocatedBuffers()).as("buffers allocated for one at a time").isEqualTo(1);

        assertThat(bench.jgnetBurst()).isEqualTo(BufferPoolBenchmark.BURST * capacity);
        assertThat(bench.jgnetBurst()).isEqualTo(BufferPoolBenchmark.BURST * capacity);
        assertThat(bench.pool.allocatedBuffers()).as("buffers allocated for bursts").isEqualTo(BufferPoolBenchmark.BURST);
        assertThat(bench.pool.pooledBytes()).as("all given back").isEqualTo((long) BufferPoolBenchmark.BURST * capacity);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 16384, 65536})
    void nettyHandsOutTheCapacityAskedFor(int size) {
        BufferPoolBenchmark bench = benchmark(size);

        assertThat(bench.nettyOne()).isEqualTo(size);
        assertThat(bench.nettyBurst()).isEqualTo(BufferPoolBenchmark.BURST * size);
        assertThat(bench.allocator.metric().numThreadLocalCaches()).as("thread caches in use").isEqualTo(1);
        bench.tearDown();
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 16384, 65536})
    void nettysArenaStaysWarmAcrossBursts(int size) {
        BufferPoolBenchmark bench = benchmark(size);
        bench.nettyBurst();
        long used = bench.allocator.metric().usedDirectMemory();

        assertThat(used).as("memory the arena holds between bursts").isPositive();
        bench.nettyBurst();
        bench.nettyOne();
        assertThat(bench.allocator.metric().usedDirectMemory()).as("after more bursts").isEqualTo(used);
        bench.tearDown();
    }

    private static BufferPoolBenchmark benchmark(int size) {
        BufferPoolBenchmark bench = new BufferPoolBenchmark();
        bench.size = size;
        bench.setUp();
        return bench;
    }
}
