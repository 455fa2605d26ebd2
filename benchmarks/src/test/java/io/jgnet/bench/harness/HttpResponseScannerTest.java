package io.jgnet.bench.harness;

import static io.jgnet.bench.harness.Feed.ascii;
import static io.jgnet.bench.harness.Feed.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HttpResponseScannerTest {

    // Captured from the example jgnet HTTP server and NettyHttpServer (GET /plaintext, GET /nope).
    static final byte[] JGNET_200 = ascii("HTTP/1.1 200 OK\r\nServer: jgnet\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 13\r\nDate: Tue, 24 Nov 2026 19:39:32 GMT\r\n\r\nHello, World!");
    static final byte[] NETTY_200 = ascii("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nserver: Netty\r\n"
            + "date: Tue, 24 Nov 2026 19:39:32 GMT\r\ncontent-length: 13\r\n\r\nHello, World!");
    static final byte[] JGNET_404 = ascii("HTTP/1.1 404 Not Found\r\nServer: jgnet\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 10\r\nDate: Tue, 24 Nov 2026 19:39:32 GMT\r\n\r\nNot Found\n");
    static final byte[] NETTY_404 = ascii("HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\nserver: Netty\r\n"
            + "date: Tue, 24 Nov 2026 19:39:32 GMT\r\ncontent-length: 0\r\n\r\n");

    private static HttpResponseScanner scanner() {
        return new HttpResponseScanner(HttpProtocol.EXPECTED_BODY);
    }

    @Test
    void countsEveryResponseWhereverTheStreamIsCutInTwo() throws Exception {
        byte[] stream = concat(JGNET_200, NETTY_200, JGNET_200);
        for (int cut = 0; cut <= stream.length; cut++) {
            HttpResponseScanner scanner = scanner();
            assertThat(Feed.inPieces(scanner::consume, stream, cut)).as("cut at %d", cut).isEqualTo(3);
            assertThat(scanner.mismatches()).as("cut at %d", cut).isZero();
        }
    }

    @Test
    void countsEveryResponseWhereverTheStreamIsCutInThree() throws Exception {
        byte[] stream = concat(NETTY_200, JGNET_200);
        for (int first = 0; first <= stream.length; first++) {
            for (int second = first; second <= stream.length; second++) {
                HttpResponseScanner scanner = scanner();
                assertThat(Feed.inPieces(scanner::consume, stream, first, second)).isEqualTo(2);
                assertThat(scanner.mismatches()).isZero();
            }
        }
    }

    @Test
    void countsEveryResponseFedInRandomPiecesOrByteByByte() throws Exception {
        byte[] stream = concat(JGNET_200, NETTY_200, JGNET_404, NETTY_404, JGNET_200);
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 2_000; trial++) {
            HttpResponseScanner scanner = scanner();
            assertThat(Feed.inPieces(scanner::consume, stream, Feed.randomCuts(random, stream.length, 40))).isEqualTo(5);
            assertThat(scanner.mismatches()).isEqualTo(2);
        }
        HttpResponseScanner scanner = scanner();
        assertThat(Feed.inPieces(scanner::consume, stream, Feed.everyByte(stream.length))).isEqualTo(5);
        assertThat(scanner.mismatches()).isEqualTo(2);
    }

    @Test
    void countsOtherStatusesAsMismatchesAndKeepsFramingAfterThem() throws Exception {
        byte[] stream = concat(JGNET_404, JGNET_200, NETTY_404, NETTY_200);
        for (int cut = 0; cut <= stream.length; cut++) {
            HttpResponseScanner scanner = scanner();
            assertThat(Feed.inPieces(scanner::consume, stream, cut)).isEqualTo(4);
            assertThat(scanner.mismatches()).isEqualTo(2);
        }
    }

    @Test
    void countsAnyChangedByteOfTheStatusCodeOrBodyAsOneMismatch() throws Exception {
        String text = new String(JGNET_200, java.nio.charset.StandardCharsets.US_ASCII);
        int code = text.indexOf("200");
        int body = text.indexOf("Hello");
        for (int at = 0; at < JGNET_200.length; at++) {
            if (!(at >= code && at < code + 3) && at < body) {
                continue;
            }
            byte[] corrupted = JGNET_200.clone();
            corrupted[at] ^= 0x04; // stays a digit or a letter-ish byte, never CR or LF here
            HttpResponseScanner scanner = scanner();
            assertThat(Feed.inPieces(scanner::consume, concat(corrupted, NETTY_200), at)).isEqualTo(2);
            assertThat(scanner.mismatches()).as("byte %d changed", at).isEqualTo(1);
        }
    }

    @Test
    void countsABodyOfAnotherLengthAsAMismatch() throws Exception {
        byte[] shorter = ascii("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello, World");
        byte[] longer = ascii("HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\nHello, World!!");
        byte[] empty = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        HttpResponseScanner scanner = scanner();
        assertThat(Feed.inPieces(scanner::consume, concat(shorter, JGNET_200, longer, empty, NETTY_200))).isEqualTo(5);
        assertThat(scanner.mismatches()).isEqualTo(3);
    }

    @Test
    void acceptsAnyHeaderCaseAMissingReasonHttp10AndBareLineFeeds() throws Exception {
        byte[] upper = ascii("HTTP/1.1 200 OK\r\nCONTENT-LENGTH:13\r\n\r\nHello, World!");
        byte[] noReason = ascii("HTTP/1.1 200\r\nContent-Length: \t13 \r\n\r\nHello, World!");
        byte[] http10 = ascii("HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!");
        byte[] bareLf = ascii("HTTP/1.1 200 OK\nContent-Length: 13\n\nHello, World!");
        HttpResponseScanner scanner = scanner();
        assertThat(Feed.inPieces(scanner::consume, concat(upper, noReason, http10, bareLf))).isEqualTo(4);
        assertThat(scanner.mismatches()).isZero();
    }

    @Test
    void doesNotTakeA2000OrAnotherProtocolFor200() throws Exception {
        byte[] longCode = ascii("HTTP/1.1 2000 OK\r\nContent-Length: 13\r\n\r\nHello, World!");
        byte[] otherProtocol = ascii("HTTP/2.0 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!");
        HttpResponseScanner scanner = scanner();
        assertThat(Feed.inPieces(scanner::consume, concat(longCode, otherProtocol))).isEqualTo(2);
        assertThat(scanner.mismatches()).isEqualTo(2);
    }

    @Test
    void refusesResponsesItCannotFrame() {
        assertUnframeable("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nHello, World!", "without Content-Length");
        assertUnframeable("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nd\r\nHello, World!\r\n0\r\n\r\n",
                "Transfer-Encoding");
        assertUnframeable("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "not a number");
        assertUnframeable("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", "empty Content-Length");
        assertUnframeable("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Length: 14\r\n\r\n", "two different");
        assertUnframeable("HTTP/1.1 200 OK\r\nX: " + "y".repeat(70_000) + "\r\n", "head longer");
    }

    private static void assertUnframeable(String response, String reason) {
        assertThatThrownBy(() -> scanner().consume(java.nio.ByteBuffer.wrap(ascii(response))))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining(reason);
    }
}
