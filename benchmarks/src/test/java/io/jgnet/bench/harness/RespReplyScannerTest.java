package io.jgnet.bench.harness;

import static io.jgnet.bench.harness.Feed.ascii;
import static io.jgnet.bench.harness.Feed.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RespReplyScannerTest {

    // Replies as redis-server 7 sends them (captured), for PING, SET, GET and a GET before any SET.
    static final byte[] PONG = ascii("+PONG\r\n");
    static final byte[] OK = ascii("+OK\r\n");
    static final byte[] VALUE = ascii("$9\r\nvalue:0:0\r\n");
    static final byte[] NULL = ascii("$-1\r\n");
    static final byte[] UNKNOWN_COMMAND = ascii("-ERR unknown command 'NOPE', with args beginning with: \r\n");
    static final byte[] ONE = ascii(":1\r\n");

    /** The mix cycle: PING, SET, GET. */
    private static RespReplyScanner mix() {
        return new RespReplyScanner(List.of(List.of(PONG), List.of(OK), List.of(VALUE)));
    }

    @Test
    void countsEveryReplyWhereverTheStreamIsCutInTwoOrThree() throws Exception {
        byte[] stream = concat(PONG, OK, VALUE, PONG, OK, VALUE);
        for (int first = 0; first <= stream.length; first++) {
            for (int second = first; second <= stream.length; second++) {
                RespReplyScanner scanner = mix();
                assertThat(Feed.inPieces(scanner::consume, stream, first, second)).isEqualTo(6);
                assertThat(scanner.mismatches()).as("cut at %d and %d", first, second).isZero();
            }
        }
    }

    @Test
    void countsEveryReplyFedInRandomPiecesOrByteByByte() throws Exception {
        byte[] stream = concat(PONG, OK, VALUE, PONG, OK, ascii("$9\r\nvalue:0:1\r\n"), PONG, UNKNOWN_COMMAND, VALUE);
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 2_000; trial++) {
            RespReplyScanner scanner = mix();
            assertThat(Feed.inPieces(scanner::consume, stream, Feed.randomCuts(random, stream.length, 20))).isEqualTo(9);
            assertThat(scanner.mismatches()).isEqualTo(2);
        }
        RespReplyScanner scanner = mix();
        assertThat(Feed.inPieces(scanner::consume, stream, Feed.everyByte(stream.length))).isEqualTo(9);
        assertThat(scanner.mismatches()).isEqualTo(2);
    }

    @Test
    void countsErrorsIntegersAndWrongValuesAsMismatchesAndKeepsFraming() throws Exception {
        byte[] stream = concat(
                UNKNOWN_COMMAND, OK, VALUE,              // an error where +PONG was due
                PONG, ONE, VALUE,                        // an integer where +OK was due
                PONG, OK, ascii("$10\r\nvalue:0:00\r\n"), // a longer value
                PONG, OK, ascii("$1\r\nv\r\n"),          // a shorter one
                PONG, OK, NULL,                          // nothing, where the value was set
                PONG, ascii("+OKAY\r\n"), VALUE,         // a longer simple string
                PONG, OK, VALUE);
        for (int cut = 0; cut <= stream.length; cut++) {
            RespReplyScanner scanner = mix();
            assertThat(Feed.inPieces(scanner::consume, stream, cut)).isEqualTo(21);
            assertThat(scanner.mismatches()).as("cut at %d", cut).isEqualTo(6);
        }
    }

    @Test
    void countsAnyChangedByteOfAReplyAsOneMismatch() throws Exception {
        byte[] replies = concat(PONG, OK, VALUE);
        for (int at = 0; at < replies.length; at++) {
            byte[] corrupted = replies.clone();
            boolean content = Character.isLetterOrDigit(corrupted[at]) || corrupted[at] == ':';
            boolean bulkLength = at > 0 && replies[at - 1] == '$';
            if (!content || bulkLength) {
                continue; // type bytes, lengths and line ends change the framing; see the framing tests
            }
            corrupted[at] ^= 0x01; // a letter stays a letter, a digit a digit, ':' becomes ';'
            RespReplyScanner scanner = mix();
            assertThat(Feed.inPieces(scanner::consume, concat(corrupted, replies), at)).as("byte %d", at).isEqualTo(6);
            assertThat(scanner.mismatches()).as("byte %d changed", at).isEqualTo(1);
        }
    }

    @Test
    void acceptsAnyOfSeveralEncodingsForOneReply() throws Exception {
        byte[] stream = concat(NULL, VALUE, NULL, ascii("$-1\r\n"), ascii("$9\r\nvalue:0:9\r\n"), ascii("$0\r\n\r\n"));
        for (int cut = 0; cut <= stream.length; cut++) {
            RespReplyScanner get = new RespReplyScanner(List.of(List.of(VALUE, NULL)));
            assertThat(Feed.inPieces(get::consume, stream, cut)).isEqualTo(6);
            assertThat(get.mismatches()).isEqualTo(2);
        }
    }

    @Test
    void acceptsAnIntegerWhenOneIsExpected() throws Exception {
        RespReplyScanner incr = new RespReplyScanner(List.of(List.of(ONE)));
        assertThat(incr.consume(ByteBuffer.wrap(concat(ONE, ascii(":2\r\n"))))).isEqualTo(2);
        assertThat(incr.mismatches()).isEqualTo(1);
    }

    @Test
    void refusesRepliesItCannotFrame() {
        assertUnframeable("*1\r\n+PONG\r\n", "unexpected RESP type");
        assertUnframeable("PONG\r\n", "unexpected RESP type");
        assertUnframeable("$x\r\n", "bad byte");
        assertUnframeable("$\r\n", "without a length");
        assertUnframeable("$-2\r\n", "length -2");
        assertUnframeable("$--1\r\n", "bad byte");
        assertUnframeable("$99999999999\r\n", "longer than");
        assertUnframeable("+" + "x".repeat(70_000) + "\r\n", "longer than");
    }

    private static void assertUnframeable(String reply, String reason) {
        assertThatThrownBy(() -> mix().consume(ByteBuffer.wrap(ascii(reply))))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining(reason);
    }
}
