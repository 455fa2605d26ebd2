package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

class HttpParseBenchmarkTest {
    private final HttpParseBenchmark bench = new HttpParseBenchmark();
    private final Blackhole hole = TestBlackholes.create();

    @BeforeEach
    void setUp() {
        bench.setUp();
    }

    @AfterEach
    void tearDown() {
        bench.tearDown();
    }

    @Test
    void jgnetFindsEveryPlaintextRequestEveryTime() {
        for (int round = 0; round < 2; round++) {
            assertThat(bench.jgnet(hole)).isEqualTo(1);
            assertThat(bench.jgnetPipelined(hole)).isEqualTo(HttpParseBenchmark.PIPELINED);
        }
    }

    @Test
    void nettyFindsEveryPlaintextRequestEveryTimeAndLeaksNothing() throws Exception {
        for (int round = 0; round < 2; round++) {
            assertThat(bench.netty(hole)).isEqualTo(1);
            assertThat(bench.nettyPipelined(hole)).isEqualTo(HttpParseBenchmark.PIPELINED);
        }
        assertThat(bench.nettySingle.isReadable()).as("single request read whole").isFalse();
        assertThat(bench.nettyPipelined.isReadable()).as("pipelined requests read whole").isFalse();
        assertThat(bench.nettySingle.refCnt()).isEqualTo(1);
        assertThat(bench.nettyPipelined.refCnt()).isEqualTo(1);
    }
}
