package io.jgnet.examples.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing RESP commands as redis-benchmark sends them ({@code PING}, {@code SET key:000000000042
 * xxx}, {@code GET key:000000000042}, each an array of bulk strings): the example Redis server's
 * {@link RespParser} next to Netty's RESP decoding, on the same bytes in direct memory. One
 * command, or {@value #PIPELINED} pipelined ({@code *Pipelined}) buffered at once as one read
 * delivers them. One operation is one command parsed, with its argument count and the first byte
 * of its name read, as a dispatcher would.
 *
 * <p>jgnet: {@code parse} until it asks for more bytes, as the server's onTraffic does; the
 * arguments are offsets into the buffer. Netty: the pipeline a Netty Redis server runs,
 * {@link RedisDecoder}, {@link RedisBulkStringAggregator}, {@link RedisArrayAggregator}, then a
 * handler that reads and releases each {@link ArrayRedisMessage}; the bulk-string aggregator is
 * needed because RedisDecoder emits each bulk string as a header and a content part, which the
 * array aggregator would otherwise count as two elements. Netty's RESP classes are final, so
 * they are driven through an {@link EmbeddedChannel}'s pipeline (fireChannelRead then
 * fireChannelReadComplete, as a read does): that includes ByteToMessageDecoder's per-read work
 * and the handler hops, which a Netty server pays too.
 *
 * <p>This class sits in the example's package to reach its package-private parser: on the
 * class path (the shaded jar) that is one package.
 *
 * <p>Netty runs as in a server: with leak detection off, as the load harness runs it
 * (EchoBench.SERVER_JVM; its default samples one buffer in 128 and records a stack trace), and
 * on a FastThreadLocalThread, as its event loops do ({@link io.jgnet.bench.NettyThreadExecutor}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RespParseBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.jgnet.bench.NettyThreadExecutor"})
public class RespParseBenchmark {
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
    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    CommandReader reader;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = encode(arguments(command));
        single = repeat(bytes, 1);
        pipelined = repeat(bytes, PIPELINED);
        nettySingle = Unpooled.directBuffer(single.capacity()).writeBytes(single.duplicate());
        nettyPipelined = Unpooled.directBuffer(pipelined.capacity()).writeBytes(pipelined.duplicate());
        request = new Request();
        parser = new RespParser(RedisConfig.defaults(), request);
        reader = new CommandReader();
        channel = new EmbeddedChannel(new RedisDecoder(), new RedisBulkStringAggregator(), new RedisArrayAggregator(),
                reader);
        pipeline = channel.pipeline();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
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

    /** Returns how many commands were decoded (1). */
    @Benchmark
    public int netty(Blackhole hole) {
        return decode(nettySingle, hole);
    }

    /** Returns how many commands were decoded ({@value #PIPELINED}). */
    @Benchmark
    @OperationsPerInvocation(PIPELINED)
    public int nettyPipelined(Blackhole hole) {
        return decode(nettyPipelined, hole);
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

    private static ByteBuffer repeat(byte[] command, int count) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(count * command.length);
        for (int i = 0; i < count; i++) {
            bytes.put(command);
        }
        return bytes.flip();
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

    private int decode(ByteBuf input, Blackhole hole) {
        reader.start(hole);
        // The decoder releases what it is given once it has read it all: give it its own reference.
        pipeline.fireChannelRead(input.retainedDuplicate());
        pipeline.fireChannelReadComplete();
        channel.checkException();
        return reader.commands;
    }

    /** The last handler: reads what a dispatcher would of each command, then releases it. */
    static final class CommandReader extends ChannelInboundHandlerAdapter {
        private Blackhole hole;
        int commands;
        /** The argument count of the last command. */
        int arguments;

        void start(Blackhole hole) {
            this.hole = hole;
            commands = 0;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (message instanceof ArrayRedisMessage array) {
                    commands++;
                    arguments = array.children().size();
                    ByteBuf name = ((FullBulkStringRedisMessage) array.children().get(0)).content();
                    hole.consume(arguments);
                    hole.consume(name.getByte(name.readerIndex()));
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }
}
