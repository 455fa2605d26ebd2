package io.jgnet.bench.jmh;

import io.jgnet.bench.servers.NettyResp;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.Request;
import io.jgnet.examples.redis.RespParser;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing RESP commands as redis-benchmark sends them ({@code PING}, {@code SET key:000000000042
 * xxx}, {@code GET key:000000000042}): the example Redis server's {@link RespParser} next to the
 * parser the matrix's Netty RESP server runs ({@link NettyResp#parser()}), each command's argument
 * count and the first byte of its name then read, as a dispatcher would. Like for like: both
 * parse in place into argument offsets with the same limits, called as each server's read handler
 * calls them (jgnet's from an index; Netty's from the reader index, then skipped past the command);
 * neither includes its framework's per-read work, which the matrix measures. Netty's general
 * decoder (RedisDecoder and two aggregators) is not what a fast Netty server runs.
 */
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled"})
public class RespParseBenchmark extends ParseBenchmark {
    /** redis-benchmark's key (key:__rand_int__ with a 12-digit number) and its default 3-byte value. */
    static final String KEY = "key:000000000042";
    static final String VALUE = "xxx";

    @Param({"PING", "SET", "GET"})
    String command;

    Request request;
    private RespParser parser;
    NettyResp.Connection nettyParser;

    @Override
    byte[] setUpParsers() {
        request = new Request();
        parser = new RespParser(RedisConfig.defaults(), request);
        nettyParser = NettyResp.parser();
        return encode(arguments(command));
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

    /** Returns how many commands were parsed. */
    @Override
    int parse(ByteBuffer input, Blackhole hole) {
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
    @Override
    int parse(ByteBuf input, Blackhole hole) {
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
