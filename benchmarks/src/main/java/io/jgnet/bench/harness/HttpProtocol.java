package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HTTP plaintext, the TechEmpower shape: {@code GET /plaintext HTTP/1.1} with a Host header, on
 * a kept-alive connection; each response must be 200 with the body {@code Hello, World!}. A
 * batch is {@code pipeline} identical requests back to back, built once and shared by every
 * connection through its own view.
 *
 * <p>Immutable; its conversations are single-threaded (see {@link LoadProtocol}).
 */
final class HttpProtocol implements LoadProtocol {

    static final String PATH = "/plaintext";
    static final byte[] EXPECTED_BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private final ByteBuffer batch;

    /** {@code hostHeader} is the Host header's value, host:port. */
    HttpProtocol(int pipeline, String hostHeader) {
        byte[] request = ("GET " + PATH + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer bytes = ByteBuffer.allocateDirect(Math.multiplyExact(pipeline, request.length));
        for (int i = 0; i < pipeline; i++) {
            bytes.put(request);
        }
        this.batch = bytes.flip().asReadOnlyBuffer();
    }

    @Override
    public Conversation open(int connection) {
        ByteBuffer view = batch.duplicate(); // own position, shared bytes
        HttpResponseScanner scanner = new HttpResponseScanner(EXPECTED_BODY);
        return Conversation.of(view::rewind, scanner);
    }
}
