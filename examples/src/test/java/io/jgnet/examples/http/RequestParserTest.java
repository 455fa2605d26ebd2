package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The parser on its own, over buffers shaped like the connection's views: direct, and with the
 * request starting at a position that is not 0.
 */
class RequestParserTest {
    private static final String JUNK = "junk!";
    private final RequestParser parser = new RequestParser(HttpConfig.defaults());

    @Test
    void readsARequestAtANonZeroPositionWithoutMovingTheBuffer() {
        ByteBuffer in = view("POST /echo?a=1&b HTTP/1.1\r\nHost: t\r\nX-Twice: 1\r\nx-twice:  2 \r\n"
                + "Content-Length: 3\r\n\r\nabcGET");
        assertThat(parser.parse(in, in.position())).isEqualTo(RequestParser.COMPLETE);
        assertThat(in.position()).isEqualTo(JUNK.length());
        assertThat(parser.end()).isEqualTo(in.limit() - "GET".length());
        HttpRequest request = parser.toRequest(in);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/echo");
        assertThat(request.query()).isEqualTo("a=1&b");
        assertThat(request.header("X-TWICE")).isEqualTo("1, 2");
        assertThat(request.header("host")).isEqualTo("t");
        assertThat(request.body()).asString(StandardCharsets.US_ASCII).isEqualTo("abc");
        assertThat(parser.keepAlive()).isTrue();
    }

    @Test
    void needsMoreForEveryProperPrefixOfAChunkedRequest() {
        String request = "\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: z\r\n\r\n";
        for (int length = 0; length < request.length(); length++) {
            ByteBuffer prefix = view(request.substring(0, length));
            assertThat(parser.parse(prefix, prefix.position())).as("prefix of %d bytes", length)
                    .isEqualTo(RequestParser.NEED_MORE);
        }
        ByteBuffer in = view(request);
        assertThat(parser.parse(in, in.position())).isEqualTo(RequestParser.COMPLETE);
        assertThat(parser.end()).isEqualTo(in.limit());
        assertThat(parser.toRequest(in).body()).asString(StandardCharsets.US_ASCII).isEqualTo("abc0123456789abcdef");
    }

    @Test
    void aChunkedRequestWhoseFramingPassesTheRequestLimitIsRefusedEvenWhenItArrivesInOneRead() {
        // Found by the fuzz target's cut-versus-whole check: trailers are not body bytes, yet they count.
        RequestParser small = new RequestParser(new HttpConfig(256, 512)); // maxRequestBytes 1024
        String request = "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                + ("X-Trailer: " + "v".repeat(40) + "\r\n").repeat(30) + "\r\n";
        ByteBuffer whole = view(request);
        assertThat(small.parse(whole, whole.position())).isEqualTo(413);
        ByteBuffer partial = view(request.substring(0, 1100));
        assertThat(small.parse(partial, partial.position())).as("as it was in pieces").isEqualTo(413);
    }

    @Test
    void asksFor100ContinueOnlyOnceTheHeadIsComplete() {
        String head = "PUT /x HTTP/1.1\r\nHost: t\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n";
        ByteBuffer partial = view(head.substring(0, head.length() - 1));
        assertThat(parser.parse(partial, partial.position())).isEqualTo(RequestParser.NEED_MORE);
        assertThat(parser.wantsContinue()).isFalse();
        ByteBuffer whole = view(head);
        assertThat(parser.parse(whole, whole.position())).isEqualTo(RequestParser.NEED_MORE);
        assertThat(parser.wantsContinue()).isTrue();
        parser.continueSent(true);
        assertThat(parser.parse(whole, whole.position())).isEqualTo(RequestParser.NEED_MORE);
        assertThat(parser.wantsContinue()).as("sent once").isFalse();
    }

    @Test
    void rejectsAnUnfinishedHeadOverTheLimitWith431() {
        String head = "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpConfig.DEFAULT_MAX_HEADER_BYTES);
        ByteBuffer in = view(head);
        assertThat(parser.parse(in, in.position())).isEqualTo(431);
    }

    @Test
    void decidesKeepAliveByVersionAndConnectionOptions() {
        assertThat(keepAlive("HTTP/1.1", "")).isTrue();
        assertThat(keepAlive("HTTP/1.1", "Connection: Close\r\n")).isFalse();
        assertThat(keepAlive("HTTP/1.1", "Connection: TE, close\r\n")).isFalse();
        assertThat(keepAlive("HTTP/1.0", "")).isFalse();
        assertThat(keepAlive("HTTP/1.0", "Connection: keep-alive\r\n")).isTrue();
        assertThat(keepAlive("HTTP/1.0", "Connection: keep-alive, close\r\n")).isFalse();
    }

    @Test
    void readsAMinorVersionAbove1AsHttp11() {
        assertThat(keepAlive("HTTP/1.7", "")).isTrue();
        assertThat(parser.http10()).isFalse();
    }

    private boolean keepAlive(String version, String headers) {
        ByteBuffer in = view("GET / " + version + "\r\nHost: t\r\n" + headers + "\r\n");
        assertThat(parser.parse(in, in.position())).isEqualTo(RequestParser.COMPLETE);
        return parser.keepAlive();
    }

    /** A direct buffer holding junk, then {@code text}, positioned after the junk as a connection view may be. */
    private static ByteBuffer view(String text) {
        byte[] bytes = (JUNK + text).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 7);
        buffer.put(bytes).flip();
        return buffer.position(JUNK.length());
    }
}
