package io.jgnet.bench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Netty's in-place servers, RESP and the minimal HTTP responder, driven through an EmbeddedChannel. */
class NettyInPlaceTest {

    private FlushCounter flushes;
    private final EventLoopGroup dateGroup = new DefaultEventLoopGroup(1);
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        dateGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void resp() {
        flushes = new FlushCounter();
        channel = new EmbeddedChannel(flushes, NettyResp.initializer());
    }

    private void http() {
        flushes = new FlushCounter();
        channel = new EmbeddedChannel(flushes, NettyHttp.minimal(dateGroup));
    }

    @Test
    void respAnswersEveryCommandOfAReadAndFlushesOnce() {
        resp();
        read(command("PING") + command("SET", "k", "v") + command("GET", "k") + command("GET", "nope"));
        assertThat(replies()).containsExactly("+PONG\r\n", "+OK\r\n", "$1\r\nv\r\n", "$-1\r\n");
        assertThat(flushes.count).isEqualTo(1);
    }

    @Test
    void respPipelineSplitAtEveryByteIsAnsweredExactlyOnceInOrder() {
        resp();
        String pipeline = command("SET", "key", "a value") + command("GET", "key") + command("ECHO", "hi")
                + command("DEL", "key", "other") + command("GET", "key") + command("PING", "x") + "*0\r\n";
        for (byte b : pipeline.getBytes(StandardCharsets.ISO_8859_1)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(replies()).containsExactly("+OK\r\n", "$7\r\na value\r\n", "$2\r\nhi\r\n", ":1\r\n", "$-1\r\n", "$1\r\nx\r\n");
    }

    @Test
    void respKeepsAValueArrivingInManyReadsWhole() {
        resp();
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
    void respUnknownCommandsAreErrorsThatKeepTheConnection() {
        resp();
        read(command("FLY", "away") + command("GET") + command("PING"));
        assertThat(replies()).containsExactly("-ERR unknown command or wrong number of arguments for 'FLY'\r\n",
                "-ERR unknown command or wrong number of arguments for 'GET'\r\n", "+PONG\r\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void respMalformedInputAnswersAProtocolErrorAfterEarlierRepliesAndCloses() {
        for (String[] bad : List.of(new String[] {"*1\r\n:1\r\n", "expected '$', got ':'"},
                new String[] {"*1\r\n$4\r\nPINGxx", "expected CRLF after bulk string"},
                new String[] {"*1x\r\n", "invalid multibulk length"},
                new String[] {"*" + (1024 * 1024 + 1) + "\r\n", "invalid multibulk length"},
                new String[] {"*2\r\n$3\r\nGET\r\n$" + (512 * 1024 * 1024 + 1) + "\r\n", "invalid bulk length"},
                new String[] {"GET k\r\n", "expected '*', got 'G'"})) {
            resp();
            read(command("PING") + bad[0]);
            assertThat(replies()).containsExactly("+PONG\r\n", "-ERR Protocol error: " + bad[1] + "\r\n");
            assertThat(channel.isOpen()).as(bad[0]).isFalse();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void everyBufferReadIsReleasedIncludingAnUnfinishedCommandAtClose() {
        resp();
        ByteBuf whole = Unpooled.copiedBuffer(command("PING"), StandardCharsets.ISO_8859_1);
        ByteBuf partial = Unpooled.copiedBuffer("*2\r\n$3\r\nGET\r\n$1\r", StandardCharsets.ISO_8859_1);
        channel.writeInbound(whole);
        channel.writeInbound(partial);
        assertThat(whole.refCnt()).isZero();
        replies();
        channel.finishAndReleaseAll();
        assertThat(partial.refCnt()).isZero();
    }

    @Test
    void httpAnswersPipelinedRequestsSplitAnywhereInOneBufferPerRead() {
        http();
        String request = "GET /plaintext HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
        String twice = request + request.substring(0, 20);
        read(twice);
        read(request.substring(20) + "GET /other HTTP/1.1\r\n\r\n");
        List<String> replies = replies();
        assertThat(replies).hasSize(2);
        assertThat(String.join("", replies).split("HTTP/1.1 ", -1)).hasSize(4);
        assertThat(replies.get(0)).startsWith("HTTP/1.1 200 OK\r\nServer: Netty\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 13\r\nDate: ").endsWith("GMT\r\n\r\nHello, World!");
        assertThat(replies.get(1)).contains("HTTP/1.1 200 OK").contains("HTTP/1.1 404 Not Found");
    }

    @Test
    void httpSkipsARequestBodyAndClosesWhenAsked() {
        http();
        read("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + "GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n");
        String replies = String.join("", replies());
        assertThat(replies).startsWith("HTTP/1.1 404").contains("Connection: close\r\n").endsWith("Hello, World!");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void httpRefusesAHeadWithoutEndAndABadLength() {
        http();
        read("GET / HTTP/1.1\r\nX: " + "y".repeat(9000));
        assertThat(replies()).containsExactly("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        channel.finishAndReleaseAll();
        http();
        read("GET / HTTP/1.1\r\nContent-Length: ten\r\n\r\n");
        assertThat(replies()).first().asString().startsWith("HTTP/1.1 400");
    }

    private static String command(String... words) {
        StringBuilder s = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            s.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        return s.toString();
    }

    private void read(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** The buffers written so far, each as text, released. */
    private List<String> replies() {
        List<String> replies = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            if (b.isReadable()) {
                replies.add(b.toString(StandardCharsets.ISO_8859_1));
            }
            b.release();
        }
        return replies;
    }

    /** Counts the flushes on their way to the channel. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }
}
