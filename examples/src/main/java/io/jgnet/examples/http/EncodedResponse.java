package io.jgnet.examples.http;

import java.nio.charset.StandardCharsets;

/**
 * A response turned into bytes, minus the parts that change per request: {@code head} holds the
 * status line and every header but Date and Connection, and lacks the empty line that ends the
 * head. Fixed routes and error answers are encoded once, at startup, so sending them builds
 * nothing.
 *
 * <p>Immutable once built (nobody writes to the arrays): safe to share between loops.
 */
record EncodedResponse(int status, byte[] head, byte[] body) {
    static final String SERVER = "jgnet";

    static EncodedResponse of(HttpResponse response) {
        return of(response.status(), response.contentType(), response.body(), "");
    }

    /** Encodes a response; {@code extraHeaders} is empty or whole header lines ending in CRLF. */
    static EncodedResponse of(int status, String contentType, byte[] body, String extraHeaders) {
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Server: " + SERVER + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + extraHeaders;
        return new EncodedResponse(status, head.getBytes(StandardCharsets.US_ASCII), body);
    }

    /** A text/plain answer whose body is its status line's reason, for errors. */
    static EncodedResponse error(int status, String extraHeaders) {
        return of(status, "text/plain", (reason(status) + "\n").getBytes(StandardCharsets.US_ASCII), extraHeaders);
    }

    /** The reason phrases of RFC 9110 for the statuses this server sends; others get none, which is allowed. */
    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 206 -> "Partial Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
