package io.jgnet.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The load's conversations: what they send, and how they frame and check the answers, in any pieces. */
class ConversationTest {

    /** Feeds {@code stream} in random pieces (1 to {@code maxPiece} bytes) after stale bytes, as the load loop does. */
    static int feed(Conversation c, byte[] stream, int maxPiece, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buffer = ByteBuffer.allocateDirect(stream.length + 3);
        int completed = 0;
        for (int from = 0; from < stream.length; ) {
            int to = Math.min(stream.length, from + random.nextInt(1, maxPiece + 1));
            buffer.clear().put(new byte[] {'$', '\n', '+'}).put(stream, from, to - from).flip().position(3);
            completed += c.consume(buffer);
            assertThat(buffer.hasRemaining()).isFalse();
            from = to;
        }
        return completed;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] repeat(byte[] b, int times) {
        ByteBuffer all = ByteBuffer.allocate(b.length * times);
        for (int i = 0; i < times; i++) {
            all.put(b);
        }
        return all.array();
    }

    @Test
    void echoExpectsItsRequestsBackAndCountsEachWrongOneOnce() throws IOException {
        Conversation c = Conversation.of("echo", 0, 4, 64, "h");
        byte[] batch = bytes(c.nextBatch());
        assertThat(batch).hasSize(4 * 64);
        assertThat(feed(c, repeat(batch, 3), 50, 1)).isEqualTo(12);
        assertThat(c.mismatches()).isZero();
        batch[70] ^= 1;
        batch[71] ^= 1;
        assertThat(feed(c, batch, 7, 2)).isEqualTo(4);
        assertThat(c.mismatches()).isEqualTo(1);
    }

    @Test
    void framedRequestsAreOneFrameEach() {
        ByteBuffer length = Conversation.of("frame-length", 0, 2, 64, "h").nextBatch();
        assertThat(length.remaining()).isEqualTo(2 * 68);
        assertThat(length.getInt(0)).isEqualTo(64);
        assertThat(length.getInt(68)).isEqualTo(64);
        byte[] lines = bytes(Conversation.of("frame-line", 0, 3, 1024, "h").nextBatch());
        assertThat(new String(lines, StandardCharsets.US_ASCII).split("\n", -1)).hasSize(4).allSatisfy(l -> assertThat(l.length())
                .isIn(0, 1024));
    }

    @Test
    void respCyclesPingSetGetOverTheConnectionsOwnKeysAcrossBatches() throws IOException {
        Conversation c = Conversation.of("resp", 7, 16, 0, "h");
        StringBuilder sent = new StringBuilder();
        for (int b = 0; b < 3; b++) { // 48 commands: two cycles of 24
            sent.append(new String(bytes(c.nextBatch()), StandardCharsets.US_ASCII));
        }
        assertThat(sent.toString()).startsWith("*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$7\r\nkey:7:0\r\n$9\r\nvalue:7:0\r\n"
                + "*2\r\n$3\r\nGET\r\n$7\r\nkey:7:0\r\n").contains("key:7:7").doesNotContain("key:7:8");
        List<byte[]> replies = new ArrayList<>();
        for (Conversation.Step s : Conversation.respScript(7)) {
            replies.add(s.reply());
        }
        byte[] cycle = replies.stream().reduce(new byte[0], (a, b) -> {
            byte[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, ab, a.length, b.length);
            return ab;
        });
        assertThat(feed(c, repeat(cycle, 2), 5, 3)).isEqualTo(48);
        assertThat(c.mismatches()).isZero();
        byte[] wrong = cycle.clone();
        wrong[1] = 'X'; // +PONG -> +XONG
        assertThat(feed(c, wrong, 100, 4)).isEqualTo(24);
        assertThat(c.mismatches()).isEqualTo(1);
    }

    @Test
    void httpFramesByContentLengthAndChecksStatusAndBody() throws IOException {
        Conversation c = Conversation.of("http", 0, 2, 0, "127.0.0.1:80");
        assertThat(new String(bytes(c.nextBatch()), StandardCharsets.US_ASCII))
                .isEqualTo("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n".repeat(2));
        String ok = "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-LENGTH: 13\r\nDate: today\r\n\r\nHello, World!";
        String notFound = "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nNot Found\n";
        String wrongBody = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!";
        String empty = "HTTP/1.1 200 OK\nContent-Length: 0\n\n";
        byte[] stream = (ok + notFound + ok + wrongBody + empty).getBytes(StandardCharsets.US_ASCII);
        assertThat(feed(c, stream, 1, 5)).isEqualTo(5);
        assertThat(c.mismatches()).isEqualTo(3);
        assertThat(feed(c, ok.getBytes(StandardCharsets.US_ASCII), 1000, 6)).isEqualTo(1);
        assertThat(c.mismatches()).isEqualTo(3);
    }

    @Test
    void httpWithoutContentLengthCannotBeFramed() {
        Conversation c = Conversation.of("http", 0, 1, 0, "h");
        assertThatThrownBy(() -> feed(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                10, 7)).hasMessageContaining("without Content-Length");
        Conversation d = Conversation.of("http", 0, 1, 0, "h");
        assertThatThrownBy(() -> feed(d, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                10, 7)).hasMessageContaining("not a small number");
    }
}
