package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.infra.Blackhole;

class CodecDecodeBenchmarkTest {
    private final Blackhole hole = TestBlackholes.create();

    @ParameterizedTest
    @CsvSource({"64, line", "64, delimiter", "64, fixedLength", "64, lengthField",
            "1024, line", "1024, delimiter", "1024, fixedLength", "1024, lengthField"})
    void jgnetDecodesEveryFrameEveryTime(int payloadSize, String framing) {
        CodecDecodeBenchmark bench = benchmark(payloadSize, framing);

        for (int round = 0; round < 2; round++) {
            assertThat(bench.jgnet(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
        }
        bench.tearDown();
    }

    @ParameterizedTest
    @CsvSource({"64, line", "64, delimiter", "64, fixedLength", "64, lengthField",
            "1024, line", "1024, delimiter", "1024, fixedLength", "1024, lengthField"})
    void nettyDecodesEveryFrameEveryTimeAndLeaksNothing(int payloadSize, String framing) throws Exception {
        CodecDecodeBenchmark bench = benchmark(payloadSize, framing);

        for (int round = 0; round < 2; round++) {
            assertThat(bench.netty(hole)).isEqualTo(CodecDecodeBenchmark.FRAMES);
        }
        assertThat(bench.frames.netty().refCnt()).as("references left on the input").isEqualTo(1);
        bench.tearDown();
    }

    private static CodecDecodeBenchmark benchmark(int payloadSize, String framing) {
        CodecDecodeBenchmark bench = new CodecDecodeBenchmark();
        bench.payloadSize = payloadSize;
        bench.framing = framing;
        bench.setUp();
        return bench;
    }
}
