package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The RESP servers of every kind answer PING, SET and GET, pipelined, over a real socket. */
class BenchServersRespTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void pingAnswersPongAsArrayAndInline(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("resp", kind);
             Socket socket = TestServers.connect(server)) {
            send(socket, command("PING"));
            assertThat(reply(socket)).isEqualTo("+PONG");
            send(socket, "PING\r\n");
            assertThat(reply(socket)).isEqualTo("+PONG");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void setThenGetReturnsTheValueAndAMissingKeyIsNull(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("resp", kind);
             Socket socket = TestServers.connect(server)) {
            send(socket, command("GET", "key:1"));
            assertThat(reply(socket)).isEqualTo("$-1");
            send(socket, command("SET", "key:1", "value\r\nwith binary \0 bytes"));
            assertThat(reply(socket)).isEqualTo("+OK");
            send(socket, command("GET", "key:1"));
            assertThat(reply(socket)).isEqualTo("$value\r\nwith binary \0 bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void sixteenPipelinedCommandsInOneWriteGetSixteenRepliesInOrder(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("resp", kind);
             Socket socket = TestServers.connect(server)) {
            StringBuilder batch = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                switch (i % 4) { // the load generator's mix, and inline commands among the arrays
                    case 0 -> batch.append(command("PING"));
                    case 1 -> batch.append(command("SET", "key:" + i, "value" + i));
                    case 2 -> batch.append(command("GET", "key:" + (i - 1)));
                    default -> batch.append("GET key:").append(i - 2).append("\r\n");
                }
                expected.add(switch (i % 4) {
                    case 0 -> "+PONG";
                    case 1 -> "+OK";
                    default -> "$value" + (i % 4 == 2 ? i - 1 : i - 2);
                });
            }
            send(socket, batch.toString());
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                replies.add(reply(socket));
            }
            assertThat(replies).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void aMalformedRequestClosesOnlyItsOwnConnection(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("resp", kind);
             Socket bad = TestServers.connect(server);
             Socket good = TestServers.connect(server)) {
            send(good, command("PING"));
            assertThat(reply(good)).isEqualTo("+PONG");
            send(bad, "*x\r\n");
            assertThat(reply(bad)).startsWith("-ERR Protocol error");
            assertThat(endOfStream(bad.getInputStream())).as("the bad connection is closed").isTrue();
            send(good, command("PING"));
            assertThat(reply(good)).isEqualTo("+PONG");
        }
    }

    /** A RESP2 array of bulk strings. */
    static String command(String... words) {
        StringBuilder s = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            s.append('$').append(w.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(w).append("\r\n");
        }
        return s.toString();
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One reply: simple strings, errors and integers as their line, a bulk string as "$" + its bytes, null as "$-1". */
    private static String reply(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String line = TestServers.readLine(in);
        if (line == null) {
            throw new IOException("connection closed before a reply");
        }
        if (line.startsWith("$") && !line.equals("$-1")) {
            int length = Integer.parseInt(line.substring(1));
            String value = new String(TestServers.readExactly(in, length), StandardCharsets.ISO_8859_1);
            assertThat(TestServers.readLine(in)).as("CRLF after a bulk string").isEmpty();
            return "$" + value;
        }
        return line;
    }

    /** Whether the peer has closed: end of stream, or a reset (the close may race our last write). */
    private static boolean endOfStream(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }
}
