package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

class RespParseBenchmarkTest {
    private final Blackhole hole = TestBlackholes.create();

    @ParameterizedTest
    @ValueSource(strings = {"PING", "SET", "GET"})
    void jgnetParsesEveryCommandWithAllItsArguments(String command) {
        RespParseBenchmark bench = benchmark(command);
        int arguments = RespParseBenchmark.arguments(command).length;

        for (int round = 0; round < 2; round++) {
            assertThat(bench.jgnet(hole)).isEqualTo(1);
            assertThat(bench.request.count()).isEqualTo(arguments);
            assertThat(bench.jgnetPipelined(hole)).isEqualTo(RespParseBenchmark.PIPELINED);
            assertThat(bench.request.count()).isEqualTo(arguments);
        }
        bench.tearDown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PING", "SET", "GET"})
    void nettyParsesEveryCommandWithAllItsArgumentsAndLeaksNothing(String command) throws Exception {
        RespParseBenchmark bench = benchmark(command);
        int arguments = RespParseBenchmark.arguments(command).length;

        for (int round = 0; round < 2; round++) {
            assertThat(bench.netty(hole)).isEqualTo(1);
            assertThat(bench.nettyParser.count()).isEqualTo(arguments);
            assertThat(bench.nettyPipelined(hole)).isEqualTo(RespParseBenchmark.PIPELINED);
            assertThat(bench.nettyParser.count()).isEqualTo(arguments);
        }
        assertThat(bench.nettySingle.refCnt()).as("references left on the input").isEqualTo(1);
        assertThat(bench.nettyPipelined.refCnt()).as("references left on the input").isEqualTo(1);
        bench.tearDown();
    }

    private static RespParseBenchmark benchmark(String command) {
        RespParseBenchmark bench = new RespParseBenchmark();
        bench.command = command;
        bench.setUp();
        return bench;
    }
}
