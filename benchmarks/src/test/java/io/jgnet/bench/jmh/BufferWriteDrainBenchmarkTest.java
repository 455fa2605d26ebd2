package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BufferWriteDrainBenchmarkTest {

    @ParameterizedTest
    @ValueSource(ints = {64, 4096})
    void jgnetDrainsEveryWrittenByteInOrderAndGivesTheMemoryBack(int writeSize) {
        BufferWriteDrainBenchmark bench = benchmark(writeSize);

        assertThat(bench.jgnet()).isEqualTo(BufferWriteDrainBenchmark.WRITES * writeSize);

        assertThat(drained(bench)).isEqualTo(expectedDrain(bench));
        assertThat(bench.elastic.isEmpty()).isTrue();
        assertThat(bench.elastic.capacity()).as("memory held after the drain").isZero();
        long allocated = bench.pool.allocatedBuffers();
        bench.jgnet();
        assertThat(bench.pool.allocatedBuffers()).as("buffers allocated by a second cycle").isEqualTo(allocated);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 4096})
    void nettyDrainsEveryWrittenByteInOrder(int writeSize) {
        BufferWriteDrainBenchmark bench = benchmark(writeSize);

        assertThat(bench.netty()).isEqualTo(BufferWriteDrainBenchmark.WRITES * writeSize);

        assertThat(drained(bench)).isEqualTo(expectedDrain(bench));
        assertThat(bench.netty()).isEqualTo(BufferWriteDrainBenchmark.WRITES * writeSize);
    }

    private static BufferWriteDrainBenchmark benchmark(int writeSize) {
        BufferWriteDrainBenchmark bench = new BufferWriteDrainBenchmark();
        bench.writeSize = writeSize;
        bench.setUp();
        return bench;
    }

    /** What the last drain copied into the sink. */
    private static ByteBuffer drained(BufferWriteDrainBenchmark bench) {
        return bench.sink.duplicate().flip();
    }

    /** The message WRITES times over. */
    private static ByteBuffer expectedDrain(BufferWriteDrainBenchmark bench) {
        ByteBuffer expected = ByteBuffer.allocate(BufferWriteDrainBenchmark.WRITES * bench.writeSize);
        for (int i = 0; i < BufferWriteDrainBenchmark.WRITES; i++) {
            expected.put(bench.message);
        }
        return expected.flip();
    }
}
