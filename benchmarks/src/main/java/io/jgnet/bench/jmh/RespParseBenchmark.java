package io.jgnet.bench.jmh;

import io.jgnet.bench.servers.NettyResp;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.Request;
import io.jgnet.examples.redis.RespParser;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing RESP commands as redis-benchmark sends them ({@code PING}, {@code SET key:000000000042
 * xxx}, {@code GET key:000000000042}, each an array of bulk strings): the example Redis server's
 * {@link RespParser} next to the parser the benchmark matrix's Netty RESP server runs
 * ({@link NettyResp.Parser}), on the same bytes in direct memory. One command, or
 * {@value #PIPELINED} pipelined ({@code *Pipelined}) buffered at once as one read delivers them.
 * One operation is one command parsed, with its argument count and the first byte of its name
 * read, as a dispatcher would.
 *
 * <p>Like for like: both parse in place, into argument offsets, with the same limits, and are
 * called the same way a server's read handler calls them (parse until more bytes are needed;
 * jgnet's from an index, Netty's from the reader index, which is then skipped past the command).
 * Neither side includes the framework's own work per read (jgnet's onTraffic, Netty's pipeline
 * hop): the matrix measures that. Netty's general decoder ({@code RedisDecoder} with its two
 * aggregators, a message object per argument) is not what a fast Netty server runs, so it is
 * not the comparison.
 */
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled"})
public class RespParseBenchmark extends NettyComparison {
    static final int PIPELINED = 16;
    /** redis-benchmark's key (key:__rand_int__ with a 12-digit number) and its default 3-byte value. */
    static final String KEY = "key:000000000042";
    static final String VALUE = "xxx";

    @Param({"PING", "SET", "GET"})
    String command;

    private ByteBuffer single;
    private ByteBuffer pipelined;
    ByteBuf nettySingle;
    ByteBuf nettyPipelined;
    Request request;
    private RespParser parser;
    NettyResp.Parser nettyParser;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = encode(arguments(command));
        single = repeated(bytes, 1);
        pipelined = repeated(bytes, PIPELINED);
        nettySingle = nettyCopy(single);
        nettyPipelined = nettyCopy(pipelined);
        request = new Request();
        parser = new RespParser(RedisConfig.defaults(), request);
        nettyParser = new NettyResp.Parser();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettySingle.release();
        nettyPipelined.release();
    }

    /** Returns how many commands were parsed (1). */
    @Benchmark
    public int jgnet(Blackhole hole) {
        return parse(single, hole);
    }

    /** Returns how many commands were parsed ({@value #PIPELINED}). */
    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public int jgnetPipelined(Blackhole hole) {
        return parse(pipelined, hole);
    }

    /** Returns how many commands were parsed (1). */
    @Benchmark
    public int netty(Blackhole hole) {
        return parse(nettySingle, hole);
    }

    /** Returns how many commands were parsed ({@value #PIPELINED}). */
    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public int nettyPipelined(Blackhole hole) {
        return parse(nettyPipelined, hole);
    }

    /** The arguments of the command named {@code name}. */
    static String[] arguments(String name) {
        return switch (name) {
            case "PING" -> new String[]{"PING"};
            case "SET" -> new String[]{"SET", KEY, VALUE};
            case "GET" -> new String[]{"GET", KEY};
            default -> throw new IllegalArgumentException("no such command: " + name);
        };
    }

    private static byte[] encode(String[] arguments) {
        StringBuilder resp = new StringBuilder().append('*').append(arguments.length).append("\r\n");
        for (String argument : arguments) {
            resp.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private int parse(ByteBuffer input, Blackhole hole) {
        int commands = 0;
        int at = input.position();
        int length;
        while ((length = parser.parse(input, at)) > 0) {
            at += length;
            commands++;
            hole.consume(request.count());
            hole.consume(input.get(request.index(0)));
        }
        if (at != input.limit()) {
            throw new IllegalStateException("parsed " + at + " of " + input.limit() + " bytes");
        }
        return commands;
    }

    /** As NettyResp's serve: parse at the reader index, then skip the command. */
    private int parse(ByteBuf input, Blackhole hole) {
        input.readerIndex(0);
        int commands = 0;
        int length;
        while (input.isReadable() && (length = nettyParser.parse(input)) > 0) {
            commands++;
            hole.consume(nettyParser.count());
            hole.consume(input.getByte(input.readerIndex() + nettyParser.offset(0)));
            input.skipBytes(length);
        }
        if (input.isReadable()) {
            throw new IllegalStateException("parsed " + input.readerIndex() + " of " + input.writerIndex() + " bytes");
        }
        return commands;
    }
}
