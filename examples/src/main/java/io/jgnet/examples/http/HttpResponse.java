package io.jgnet.examples.http;

import java.nio.charset.StandardCharsets;

/**
 * A response: status, content type and body. The server adds Server, Date, Content-Length and,
 * when it closes or the client speaks HTTP/1.0, Connection.
 *
 * <p>An immutable value as far as the server is concerned: it never modifies {@code body}.
 *
 * @param status      a final status, 200 to 599, except 204 and 304, which must not carry a
 *                    Content-Length or body and which this small server does not need
 * @param contentType the Content-Type value, e.g. {@code text/plain}
 * @param body        the body bytes
 */
record HttpResponse(int status, String contentType, byte[] body) {

    HttpResponse {
        if (status < 200 || status > 599 || status == 204 || status == 304) {
            throw new IllegalArgumentException("status must be 200-599 and not 204 or 304, was " + status);
        }
        // A CR or LF here would let a handler inject headers.
        if (contentType.isEmpty() || !contentType.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("content type must be printable ASCII: " + contentType);
        }
    }

    static HttpResponse text(String body) {
        return new HttpResponse(200, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse json(String body) {
        return new HttpResponse(200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }
}
