package io.jgnet.examples.http;

import java.time.Duration;

/**
 * The limits of the HTTP/1.1 server: how large a request's head and body may be, and how long a
 * client may take. A request over a size limit is answered with 431 (head) or 413 (body) and its
 * connection is closed, so no connection ever buffers more than {@link #maxRequestBytes()}
 * inbound bytes. A request head not complete within {@link #headTimeout()} gets 408 and the
 * connection closes (a slowloris client trickling header bytes is cut off), and a keep-alive
 * connection that stays silent between requests for {@link #keepAliveTimeout()} is closed.
 *
 * <p>An immutable record: safe to share between threads and engines.
 *
 * @param maxHeaderBytes the most bytes of a request line plus headers plus the empty line that
 *                       ends them (default 8 KiB); a larger head gets 431
 * @param maxBodyBytes   the most bytes of a request body after chunked decoding (default 1 MiB);
 *                       a larger body gets 413
 * @param headTimeout    the longest a request head may take to arrive, from its first byte (or
 *                       from the connection's opening, for the first request); default 60 s as
 *                       nginx's {@code client_header_timeout}; zero for none
 * @param keepAliveTimeout how long a connection may stay silent both ways, between requests or
 *                       anywhere else; default 75 s as nginx's {@code keepalive_timeout}; zero
 *                       for none
 */
public record HttpConfig(int maxHeaderBytes, int maxBodyBytes, Duration headTimeout, Duration keepAliveTimeout) {
    /** The head limit most servers use (nginx, Netty's default line and header sizes). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(75);
    /** Below this not even a request line with a few ordinary headers fits. */
    private static final int MIN_HEADER_BYTES = 256;
    /** Every connection may buffer one whole request, so keep the worst case well below a heap. */
    private static final int MAX_LIMIT = 256 * 1024 * 1024;

    /** Checks both limits. */
    public HttpConfig {
        if (maxHeaderBytes < MIN_HEADER_BYTES || maxHeaderBytes > MAX_LIMIT) {
            throw new IllegalArgumentException("maxHeaderBytes must be between " + MIN_HEADER_BYTES
                    + " and " + MAX_LIMIT + ", was " + maxHeaderBytes);
        }
        if (maxBodyBytes < 0 || maxBodyBytes > MAX_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be between 0 and " + MAX_LIMIT + ", was " + maxBodyBytes);
        }
        if (headTimeout == null || headTimeout.isNegative() || keepAliveTimeout == null || keepAliveTimeout.isNegative()) {
            throw new IllegalArgumentException("headTimeout and keepAliveTimeout must be zero (none) or positive, were "
                    + headTimeout + " and " + keepAliveTimeout);
        }
    }

    /** The size limits given, with the default timeouts. */
    public HttpConfig(int maxHeaderBytes, int maxBodyBytes) {
        this(maxHeaderBytes, maxBodyBytes, DEFAULT_HEAD_TIMEOUT, DEFAULT_KEEP_ALIVE_TIMEOUT);
    }

    /** 8 KiB of head, 1 MiB of body, 60 s for a head, 75 s of keep-alive. */
    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    /** These limits with other timeouts (zero turns one off). */
    public HttpConfig withTimeouts(Duration headTimeout, Duration keepAliveTimeout) {
        return new HttpConfig(maxHeaderBytes, maxBodyBytes, headTimeout, keepAliveTimeout);
    }

    /**
     * The most bytes one unfinished request may hold in the inbound buffer: the head, the body,
     * and as much again as the head limit for chunked framing (size lines and trailers). Past it
     * the server answers 413 instead of buffering more.
     */
    public int maxRequestBytes() {
        return 2 * maxHeaderBytes + maxBodyBytes;
    }
}
