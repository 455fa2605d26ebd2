package io.jgnet.bench.jmh;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A parser of jgnet's beside Netty's, on the same bytes in direct memory: one message, or
 * {@value #PIPELINED} pipelined ({@code *Pipelined}) buffered at once as one read delivers them,
 * parsed one after another. One operation is one message parsed; each subclass says what else
 * its two sides do per message. JMH state: its thread only.
 */
public abstract class ParseBenchmark extends NettyComparison {
    static final int PIPELINED = 16;

    ByteBuffer single;
    ByteBuffer pipelined;
    ByteBuf nettySingle;
    ByteBuf nettyPipelined;

    /** Makes both sides' parsers and returns one message's bytes; once per trial. */
    abstract byte[] setUpParsers();

    /** jgnet's side: parses every message in {@code input}, returns how many it found. */
    abstract int parse(ByteBuffer input, Blackhole hole);

    /** Netty's side: parses every message in {@code input}, returns how many it found. */
    abstract int parse(ByteBuf input, Blackhole hole) throws Exception;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] message = setUpParsers();
        single = repeated(message, 1);
        pipelined = repeated(message, PIPELINED);
        nettySingle = nettyCopy(single);
        nettyPipelined = nettyCopy(pipelined);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettySingle.release();
        nettyPipelined.release();
    }

    @Benchmark
    public int jgnet(Blackhole hole) {
        return parse(single, hole);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public int jgnetPipelined(Blackhole hole) {
        return parse(pipelined, hole);
    }

    @Benchmark
    public int netty(Blackhole hole) throws Exception {
        return parse(nettySingle, hole);
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public int nettyPipelined(Blackhole hole) throws Exception {
        return parse(nettyPipelined, hole);
    }
}
