package io.jgnet.bench.harness;

import static io.jgnet.bench.harness.BenchServersRespTest.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NettyRespServer}'s parsing and replies, driven through an {@link EmbeddedChannel}, so
 * every way of splitting the input into reads can be tried deterministically.
 */
class NettyRespServerTest {

    private FlushCounter flushes;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        flushes = new FlushCounter();
        // The counter sits between the head and the server, so it sees every write and flush the server makes.
        channel = new EmbeddedChannel(flushes, new NettyRespServer().initializer());
    }

    @Test
    void answersEveryCommandOfAReadAndFlushesOnce() {
        read(command("PING") + command("SET", "k", "v") + command("GET", "k") + "PING\r\n" + command("GET", "nope"));
        assertThat(replies()).containsExactly("+PONG\r\n", "+OK\r\n", "$1\r\nv\r\n", "+PONG\r\n", "$-1\r\n");
        assertThat(flushes.count).isEqualTo(1);
    }

    @Test
    void aPipelineSplitAtEveryByteIsAnsweredExactlyOnceInOrder() {
        String pipeline = command("SET", "key", "a value") + "GET key\r\n" + command("ECHO", "hi") + command("DEL", "key")
                + command("GET", "key");
        for (byte b : pipeline.getBytes(StandardCharsets.ISO_8859_1)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(replies()).containsExactly("+OK\r\n", "$7\r\na value\r\n", "$2\r\nhi\r\n", ":1\r\n", "$-1\r\n");
    }

    @Test
    void aValueArrivingInManyReadsIsStoredWhole() {
        byte[] value = new byte[1 << 20];
        Arrays.fill(value, (byte) 'x');
        byte[] request = command("SET", "big", new String(value, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at < request.length; at += 10_000) {
            channel.writeInbound(Unpooled.wrappedBuffer(request, at, Math.min(10_000, request.length - at)));
        }
        read(command("GET", "big"));
        assertThat(replies()).containsExactly("+OK\r\n", "$" + value.length + "\r\n" + "x".repeat(value.length) + "\r\n");
    }

    @Test
    void pingEchoAndDelFollowRedis() {
        read(command("PING", "hello") + command("ECHO", "") + command("SET", "a", "1") + command("SET", "b", "2")
                + command("DEL", "a", "b", "c") + "ping\r\n" + command("get", "a"));
        assertThat(replies()).containsExactly("$5\r\nhello\r\n", "$0\r\n\r\n", "+OK\r\n", "+OK\r\n", ":2\r\n",
                "+PONG\r\n", "$-1\r\n");
    }

    @Test
    void emptyRequestsGetNoReply() {
        read("\r\n" + "*0\r\n" + "*-1\r\n" + "   \r\n" + command("PING"));
        assertThat(replies()).containsExactly("+PONG\r\n");
    }

    @Test
    void unknownCommandsAndWrongArgumentsAreErrorsThatKeepTheConnection() {
        read(command("FLY", "away") + command("GET") + command("SET", "k", "v", "EX", "10") + command("PING", "a", "b")
                + command("PING"));
        assertThat(replies()).containsExactly("-ERR unknown command 'FLY'\r\n",
                "-ERR wrong number of arguments for 'get' command\r\n", "-ERR syntax error\r\n",
                "-ERR wrong number of arguments for 'ping' command\r\n", "+PONG\r\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aBulkLongerThan512MiBIsAProtocolErrorBeforeItsBytesArrive() {
        assertProtocolError("*2\r\n$3\r\nGET\r\n$" + (512 * 1024 * 1024 + 1) + "\r\n", "invalid bulk length");
    }

    @Test
    void anArrayOfMoreThanAMillionElementsIsAProtocolError() {
        assertProtocolError("*" + (1024 * 1024 + 1) + "\r\n", "invalid multibulk length");
    }

    @Test
    void malformedInputIsAProtocolError() {
        assertProtocolError("*1\r\n:1\r\n", "expected '$', got ':'");
        open();
        assertProtocolError("*1\r\n$4\r\nPINGxx", "expected CRLF after bulk string");
        open();
        assertProtocolError("*1x\r\n", "invalid multibulk length");
        open();
        assertProtocolError("*1\r\n$-1\r\n", "invalid bulk length");
        open();
        assertProtocolError("GET " + "k".repeat(64 * 1024) + "", "too big inline request");
    }

    @Test
    void repliesBeforeAProtocolErrorAreSentFirst() {
        read(command("PING") + "*1\r\n:1\r\n" + command("PING"));
        assertThat(replies()).containsExactly("+PONG\r\n", "-ERR Protocol error: expected '$', got ':'\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void everyBufferReadIsReleasedIncludingAnUnfinishedCommandAtClose() {
        ByteBuf whole = Unpooled.copiedBuffer(command("PING") + command("SET", "k", "v"), StandardCharsets.ISO_8859_1);
        ByteBuf partial = Unpooled.copiedBuffer("*2\r\n$3\r\nGET\r\n$1\r", StandardCharsets.ISO_8859_1);
        channel.writeInbound(whole);
        channel.writeInbound(partial);
        assertThat(whole.refCnt()).isZero();
        replies();
        channel.finishAndReleaseAll();
        assertThat(partial.refCnt()).isZero();
    }

    private void assertProtocolError(String input, String message) {
        read(input);
        assertThat(replies()).containsExactly("-ERR Protocol error: " + message + "\r\n");
        assertThat(channel.isOpen()).as("closed after a protocol error").isFalse();
    }

    private void read(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** The replies written so far, each as text; their buffers are released. */
    private List<String> replies() {
        List<String> replies = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            replies.add(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return replies;
    }

    /** Counts the flushes that pass on their way to the channel. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }
}
