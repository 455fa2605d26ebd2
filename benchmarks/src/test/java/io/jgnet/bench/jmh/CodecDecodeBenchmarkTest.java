package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

class CodecDecodeBenchmarkTest {
    private final Blackhole hole = TestBlackholes.create();

    @ParameterizedTest
    @ValueSource(ints = {64, 1024})
    void jgnetDecodesEveryFrameEveryTime(int payloadSize) {
        CodecDecodeBenchmark bench = benchmark(payloadSize);

        for (int round = 0; round < 2; round++) {
            assertThat(bench.jgnetLine(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
            assertThat(bench.jgnetDelimiter(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
            assertThat(bench.jgnetFixedLength(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
            assertThat(bench.jgnetLengthField(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
        }
        bench.tearDown();
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1024})
    void nettyDecodesEveryFrameEveryTimeAndLeaksNothing(int payloadSize) throws Exception {
        CodecDecodeBenchmark bench = benchmark(payloadSize);

        for (int round = 0; round < 2; round++) {
            assertThat(bench.nettyLine(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
            assertThat(bench.nettyDelimiter(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
            assertThat(bench.nettyFixedLength(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
            assertThat(bench.nettyLengthField(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
        }
        assertThat(bench.line.netty().refCnt()).as("references left on the input").isEqualTo(1);
        assertThat(bench.delimiter.netty().refCnt()).isEqualTo(1);
        assertThat(bench.fixed.netty().refCnt()).isEqualTo(1);
        assertThat(bench.length.netty().refCnt()).isEqualTo(1);
        bench.tearDown();
    }

    private static CodecDecodeBenchmark benchmark(int payloadSize) {
        CodecDecodeBenchmark bench = new CodecDecodeBenchmark();
        bench.payloadSize = payloadSize;
        bench.setUp();
        return bench;
    }
}
