package io.jgnet.examples.redis;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RESP over plain sockets: inline commands, pipelines cut anywhere, malformed and oversized requests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisRawProtocolTest {
    /** Small limits, so that going past them costs the test little. */
    private static final RedisConfig SMALL = new RedisConfig(1024, 4096, 16, 64, Duration.ofMillis(100), 100);

    @Test
    void inlineCommandsAreSplitOnWhitespaceAndBlankLinesIgnored() throws Exception {
        try (TestRedis redis = TestRedis.start(); Socket socket = connect(redis)) {
            send(socket, "PING\r\nSET k  v\nGET k\r\n\r\n   \r\nECHO\thi\r\n*0\r\nping\r\n");
            expect(socket, "+PONG\r\n+OK\r\n$1\r\nv\r\n$2\r\nhi\r\n+PONG\r\n");
        }
    }

    static Stream<Arguments> seedsAndTransports() {
        return Stream.of(1L, 2L, 3L).flatMap(seed -> Stream.of(TransportKind.NIO, TransportKind.AUTO)
                .map(transport -> Arguments.of(seed, transport)));
    }

    @ParameterizedTest
    @MethodSource("seedsAndTransports")
    void pipelinedCommandsSplitAtRandomPointsGetEveryReplyInOrder(long seed, TransportKind transport) throws Exception {
        Random random = new Random(seed);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        Map<String, byte[]> model = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            String key = "key" + random.nextInt(20);
            switch (random.nextInt(6)) {
                case 0 -> {
                    byte[] value = new byte[random.nextInt(random.nextBoolean() ? 50 : 9000)];
                    random.nextBytes(value);
                    requests.writeBytes(command("SET".getBytes(ISO_8859_1), key.getBytes(ISO_8859_1), value));
                    replies.writeBytes(ascii("+OK\r\n"));
                    model.put(key, value);
                }
                case 1 -> {
                    requests.writeBytes(command("GET", key));
                    replies.writeBytes(bulk(model.get(key)));
                }
                case 2 -> {
                    String counter = "counter" + random.nextInt(3);
                    requests.writeBytes(command("INCR", counter));
                    long next = model.containsKey(counter) ? Long.parseLong(new String(model.get(counter), ISO_8859_1)) + 1 : 1;
                    model.put(counter, ascii(Long.toString(next)));
                    replies.writeBytes(ascii(":" + next + "\r\n"));
                }
                case 3 -> {
                    requests.writeBytes(ascii("ECHO word" + i + "\r\n")); // inline among the arrays
                    replies.writeBytes(bulk(ascii("word" + i)));
                }
                case 4 -> {
                    requests.writeBytes(command("DEL", key));
                    replies.writeBytes(ascii(":" + (model.remove(key) != null ? 1 : 0) + "\r\n"));
                }
                default -> {
                    String other = "key" + random.nextInt(20);
                    requests.writeBytes(command("MGET", key, other));
                    replies.writeBytes(ascii("*2\r\n"));
                    replies.writeBytes(bulk(model.get(key)));
                    replies.writeBytes(bulk(model.get(other)));
                }
            }
        }
        byte[] stream = requests.toByteArray();
        try (TestRedis redis = TestRedis.start(transport); Socket socket = connect(redis)) {
            // Write from another thread, so that the replies are read while requests still go out.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int at = 0; at < stream.length; ) {
                        int chunk = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 3000));
                        out.write(stream, at, chunk);
                        out.flush();
                        at += chunk;
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            expect(socket, replies.toByteArray());
            writer.join();
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n"),
                Arguments.of("*1x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"),
                Arguments.of("*1\r\n+PING\r\n", "-ERR Protocol error: expected '$', got '+'\r\n"),
                Arguments.of("*1\r\n$x\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
                Arguments.of("*1\r\n$-1\r\n", "-ERR Protocol error: invalid bulk length\r\n"),
                Arguments.of("*1\r\n$4\r\nPINGxx", "-ERR Protocol error: expected CRLF after bulk string\r\n"),
                Arguments.of("PING\r\n*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n*1\r\n:1\r\n",
                        "+PONG\r\n$-1\r\n-ERR Protocol error: expected '$', got ':'\r\n"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedInputIsAnsweredWithAProtocolErrorThenTheConnectionCloses(String request, String reply) throws Exception {
        try (TestRedis redis = TestRedis.start(); Socket socket = connect(redis)) {
            send(socket, request + "PING\r\n");
            expect(socket, reply);
            expectClosed(socket);
        }
    }

    static Stream<Arguments> overLimits() {
        return Stream.of(
                // The header alone is enough: the payload is refused before it is waited for.
                Arguments.of("*2\r\n$3\r\nGET\r\n$1025\r\n", "invalid bulk length"),
                // Each value within maxBulkLength, but the fourth would end the request past maxRequestLength.
                Arguments.of("*9\r\n$4\r\nMSET\r\n" + ("$1\r\nk\r\n$1020\r\n" + "v".repeat(1020) + "\r\n").repeat(3)
                        + "$1\r\nk\r\n$1020\r\n", "invalid bulk length"),
                Arguments.of("*17\r\n", "invalid multibulk length"),
                Arguments.of("SET k " + "v".repeat(100), "too big inline request"),
                Arguments.of("*" + "1".repeat(100), "too big mbulk count string"),
                Arguments.of("*1\r\n$" + "1".repeat(100), "too big bulk count string"));
    }

    @ParameterizedTest
    @MethodSource("overLimits")
    void aRequestPastALimitClosesOnlyItsOwnConnection(String request, String error) throws Exception {
        try (TestRedis redis = TestRedis.start(SMALL); Socket bystander = connect(redis); Socket offender = connect(redis)) {
            send(bystander, "SET before 1\r\n");
            expect(bystander, "+OK\r\n");
            send(offender, request);
            byte[] reply = ascii("-ERR Protocol error: " + error + "\r\n");
            expect(offender, reply);
            expectClosed(offender);
            send(bystander, "GET before\r\n");
            expect(bystander, "$1\r\n1\r\n");
        }
    }

    @Test
    void aBulkStringAtTheLimitIsAccepted() throws Exception {
        try (TestRedis redis = TestRedis.start(SMALL); Socket socket = connect(redis)) {
            byte[] value = ascii("x".repeat(SMALL.maxBulkLength()));
            socket.getOutputStream().write(command(ascii("SET"), ascii("k"), value));
            socket.getOutputStream().write(command("GET", "k"));
            expect(socket, "+OK\r\n$1024\r\n" + "x".repeat(1024) + "\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void repliesToAClientThatDoesNotReadArePacedNotPiledUp(boolean halfClose) throws Exception {
        int gets = 64;
        byte[] value = new byte[256 * 1024];
        new Random(7).nextBytes(value);
        try (TestRedis redis = TestRedis.start(); Socket socket = connect(redis)) {
            OutputStream out = socket.getOutputStream();
            out.write(command(ascii("SET"), ascii("big"), value));
            expect(socket, "+OK\r\n");
            // 16 MiB of replies asked for at once: the server pauses at its high watermark and
            // goes on as we read; with a half-close, it answers everything and then closes.
            for (int i = 0; i < gets; i++) {
                out.write(command("GET", "big"));
            }
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            byte[] header = ascii("$" + value.length + "\r\n");
            InputStream in = socket.getInputStream();
            for (int i = 0; i < gets; i++) {
                assertThat(in.readNBytes(header.length)).isEqualTo(header);
                assertThat(in.readNBytes(value.length)).isEqualTo(value);
                assertThat(in.readNBytes(2)).isEqualTo(ascii("\r\n"));
            }
            if (halfClose) {
                expectClosed(socket);
            }
        }
    }

    @Test
    void aReplyPastTheWriteCapClosesOnlyThatConnection() throws Exception {
        // A 128 KiB write cap (SMALL's limits ask for less), and 200 keys of 1000 bytes: KEYS *
        // answers about 200 KB in one go, which no pacing between commands can split.
        Options base = Options.builder().loops(2).writeBufferCap(128 * 1024).build();
        try (TestRedis redis = TestRedis.start(SMALL, base); Socket bystander = connect(redis); Socket greedy = connect(redis)) {
            OutputStream out = bystander.getOutputStream();
            for (int i = 0; i < 200; i++) {
                out.write(command("SET", String.format("%03d", i) + "k".repeat(997), "v"));
            }
            expect(bystander, "+OK\r\n".repeat(200));
            send(greedy, "KEYS *\r\n");
            // The engine drops what it held and closes: the reply arrives cut short, if at all.
            byte[] got = greedy.getInputStream().readAllBytes();
            assertThat(got.length).isLessThan(200 * 1000);
            send(bystander, "DBSIZE\r\n");
            expect(bystander, ":200\r\n");
        }
    }

    @Test
    void quitAnswersOkAndIgnoresWhatFollows() throws Exception {
        try (TestRedis redis = TestRedis.start(); Socket socket = connect(redis)) {
            send(socket, "PING\r\nQUIT\r\nPING\r\n");
            expect(socket, "+PONG\r\n+OK\r\n");
            expectClosed(socket);
        }
    }

    @Test
    void helloAnswersAResp2MapOrNoproto() throws Exception {
        try (TestRedis redis = TestRedis.start(); Socket socket = connect(redis)) {
            send(socket, "HELLO 3\r\nHELLO 2 SETNAME app\r\nCLIENT GETNAME\r\n");
            expect(socket, "-NOPROTO unsupported protocol version\r\n*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n"
                    + "$5\r\n7.0.0\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
                    + "$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n$3\r\napp\r\n");
        }
    }

    @Test
    void anUnknownCommandIsQuotedWithLineBreaksBlankedSoTheReplyStaysOneLine() throws Exception {
        try (TestRedis redis = TestRedis.start(); Socket socket = connect(redis)) {
            send(socket, "*3\r\n$5\r\nFO\r\nO\r\n$1\r\na\r\n$200\r\n" + "b".repeat(200) + "\r\n");
            expect(socket, "-ERR unknown command 'FO  O', with args beginning with: 'a' '" + "b".repeat(123) + "' \r\n");
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private static Socket connect(TestRedis redis) throws IOException {
        Socket socket = new Socket(redis.address().getAddress(), redis.port());
        socket.setSoTimeout(30_000); // a missing reply fails the read rather than hanging the test
        return socket;
    }

    /** A request as an array of bulk strings. */
    static byte[] command(byte[]... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + words.length + "\r\n"));
        for (byte[] word : words) {
            out.writeBytes(bulk(word));
        }
        return out.toByteArray();
    }

    static byte[] command(String... words) {
        return command(Stream.of(words).map(RedisRawProtocolTest::ascii).toArray(byte[][]::new));
    }

    private static byte[] bulk(byte[] value) {
        if (value == null) {
            return ascii("$-1\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("$" + value.length + "\r\n"));
        out.writeBytes(value);
        out.writeBytes(ascii("\r\n"));
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(ISO_8859_1);
    }

    private static void send(Socket socket, String bytes) throws IOException {
        socket.getOutputStream().write(ascii(bytes));
        socket.getOutputStream().flush();
    }

    private static void expect(Socket socket, String reply) throws IOException {
        expect(socket, ascii(reply));
    }

    private static void expect(Socket socket, byte[] reply) throws IOException {
        byte[] got = socket.getInputStream().readNBytes(reply.length);
        assertThat(new String(got, ISO_8859_1)).isEqualTo(new String(reply, ISO_8859_1));
    }

    private static void expectClosed(Socket socket) throws IOException {
        assertThat(socket.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
    }
}
