package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

class BufferCompactionBenchmarkTest {
    /** Enough reads for the tail to be moved many times and for the buffer to empty once at 100 B. */
    private static final int READS = 60;
    private static final long STREAM = (long) READS * BufferCompactionBenchmark.READ_SIZE;

    @ParameterizedTest
    @ValueSource(ints = {100, 1000})
    void jgnetConsumesEveryWholeMessageAndKeepsTheTailIntact(int messageSize) {
        BufferCompactionBenchmark bench = benchmark(messageSize);
        Blackhole hole = TestBlackholes.create();

        long messages = 0;
        for (int i = 0; i < READS; i++) {
            messages += bench.jgnet(hole);
        }

        assertThat(messages).isEqualTo(STREAM / messageSize);
        ByteBuffer tail = bench.elastic.readable();
        assertThat(tail).isEqualTo(streamTail(bench, messageSize));
        assertThat(bench.elastic.capacity()).as("capacity: compaction, not growth").isLessThanOrEqualTo(8192);
        bench.tearDown();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1000})
    void nettyConsumesEveryWholeMessageAndKeepsTheTailIntact(int messageSize) {
        BufferCompactionBenchmark bench = benchmark(messageSize);
        Blackhole hole = TestBlackholes.create();

        long messages = 0;
        for (int i = 0; i < READS; i++) {
            messages += bench.netty(hole);
        }

        assertThat(messages).isEqualTo(STREAM / messageSize);
        ByteBuf tail = bench.cumulation;
        assertThat(tail.nioBuffer()).isEqualTo(streamTail(bench, messageSize));
        assertThat(tail.capacity()).as("capacity: discarding, not growth").isLessThanOrEqualTo(16384);
        bench.tearDown();
        assertThat(tail.refCnt()).isZero();
    }

    private static BufferCompactionBenchmark benchmark(int messageSize) {
        BufferCompactionBenchmark bench = new BufferCompactionBenchmark();
        bench.messageSize = messageSize;
        bench.setUp();
        return bench;
    }

    /** The stream's last STREAM % messageSize bytes: the partial message that must still be buffered. */
    private static ByteBuffer streamTail(BufferCompactionBenchmark bench, int messageSize) {
        int length = (int) (STREAM % messageSize);
        ByteBuffer tail = ByteBuffer.allocate(length);
        for (long p = STREAM - length; p < STREAM; p++) {
            tail.put(bench.read.get((int) (p % BufferCompactionBenchmark.READ_SIZE)));
        }
        return tail.flip();
    }
}
