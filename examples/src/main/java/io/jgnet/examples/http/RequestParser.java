package io.jgnet.examples.http;

import static io.jgnet.examples.http.HttpSyntax.MALFORMED;
import static io.jgnet.examples.http.HttpSyntax.TOO_BIG;
import static io.jgnet.examples.http.HttpSyntax.bytesEqual;
import static io.jgnet.examples.http.HttpSyntax.chunkSize;
import static io.jgnet.examples.http.HttpSyntax.equalsIgnoreCase;
import static io.jgnet.examples.http.HttpSyntax.isDigit;
import static io.jgnet.examples.http.HttpSyntax.isOws;
import static io.jgnet.examples.http.HttpSyntax.lineEnd;
import static io.jgnet.examples.http.HttpSyntax.skipOws;
import static io.jgnet.examples.http.HttpSyntax.skipTokens;
import static io.jgnet.examples.http.HttpSyntax.string;


import io.jgnet.Scheduled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds one HTTP/1.1 request (RFC 9112) in a connection's buffered bytes without copying them:
 * {@link #parse} reads the buffer with absolute indexes and leaves behind where the parts are,
 * so a fixed route is answered without building a single string.
 *
 * <p>It keeps no state between calls but whether 100 Continue was sent: an unfinished request
 * is parsed again from its first byte when more bytes arrive. That costs a rescan of at most
 * one head (bounded by the head limit) and of the chunk size lines, and spares a resumable state
 * machine.
 *
 * <p>Supported: origin-form targets (and {@code *}), HTTP/1.0 and 1.1, Content-Length and
 * chunked bodies (extensions and trailers are skipped), CRLF line endings only. One instance per
 * connection, used on its loop thread only.
 *
 * <p>Public only so that the benchmarks module can measure it (parse, end, keepAlive, methodIs,
 * pathIs); the rest is the example's own.
 */
public final class RequestParser {
    /** {@link #parse} found a whole request. */
    public static final int COMPLETE = 0;
    /** {@link #parse} needs more bytes; any other result is the status to reject with. */
    public static final int NEED_MORE = -1;

    private static final byte[] HEAD = "HEAD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_NAME = "HTTP/".getBytes(StandardCharsets.US_ASCII);

    private final int maxHeaderBytes;
    private final int maxBodyBytes;
    private final int maxRequestBytes;

    // Where the last parse found things: absolute indexes into the buffer it was given.
    private int start;
    private int methodEnd;
    private int targetStart;
    private int pathEnd;
    private int targetEnd;
    private int headersStart;
    private int headEnd;
    private int end;
    private boolean head;
    private boolean http10;
    private boolean headComplete;
    private boolean chunked;
    private long contentLength;
    private long bodyLength;
    private int hosts;
    private boolean unsupportedCoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean expectContinue;
    private boolean continueSent;
    /**
     * The server's timer for the head being received, while one is incomplete: the connection's
     * state lives in its parser, the connection's context.
     */
    Scheduled headDeadline;

    /** A parser enforcing {@code config}'s limits. */
    public RequestParser(HttpConfig config) {
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxRequestBytes = config.maxRequestBytes();
    }

    /**
     * Parses the request that starts at {@code in[from]} and ends at most at {@code in.limit()}.
     * Reads with absolute indexes only; the buffer's position and limit are left alone.
     *
     * @return {@link #COMPLETE}, {@link #NEED_MORE}, or the status to reject the request with
     *         (400, 413, 431, 501, 505), after which the connection must close
     */
    public int parse(ByteBuffer in, int from) {
        int limit = in.limit();
        reset();
        int p = from;
        // RFC 9112 section 2.2: skip empty lines before a request line (some clients send a CRLF after a body).
        while (limit - p >= 2 && in.get(p) == '\r' && in.get(p + 1) == '\n') {
            p += 2;
        }
        start = p;
        int eol = lineEnd(in, p, limit);
        if (eol < 0) {
            return eol == MALFORMED ? 400 : needMoreHead(limit - from);
        }
        int verdict = requestLine(in, p, eol);
        if (verdict != COMPLETE) {
            return verdict;
        }
        p = headersStart = eol + 2;
        while ((eol = lineEnd(in, p, limit)) != p) {
            if (eol < 0) {
                return eol == MALFORMED ? 400 : needMoreHead(limit - from);
            }
            if (eol + 2 - from > maxHeaderBytes) {
                return 431;
            }
            verdict = header(in, p, eol);
            if (verdict != COMPLETE) {
                return verdict;
            }
            p = eol + 2;
        }
        headEnd = p + 2;
        if (headEnd - from > maxHeaderBytes) {
            return 431;
        }
        headComplete = true;
        verdict = checkHead();
        if (verdict != COMPLETE) {
            return verdict;
        }
        return chunked ? chunkedBody(in, from, limit) : fixedBody(limit);
    }

    private void reset() {
        headComplete = chunked = unsupportedCoding = false;
        connectionClose = connectionKeepAlive = expectContinue = false;
        contentLength = -1;
        bodyLength = 0;
        hosts = 0;
    }

    private int needMoreHead(int buffered) {
        return buffered > maxHeaderBytes ? 431 : NEED_MORE;
    }

    /** method SP request-target SP HTTP-version, in {@code [p, eol)}. */
    private int requestLine(ByteBuffer in, int p, int eol) {
        int i = skipTokens(in, p, eol);
        if (i == p || i >= eol || in.get(i) != ' ') {
            return 400;
        }
        methodEnd = i;
        targetStart = ++i;
        pathEnd = -1;
        for (byte b; i < eol && (b = in.get(i)) > 0x20 && b < 0x7F; i++) {
            if (b == '?' && pathEnd < 0) {
                pathEnd = i;
            }
        }
        if (i == targetStart || i >= eol || in.get(i) != ' ') {
            return 400;
        }
        targetEnd = i;
        if (pathEnd < 0) {
            pathEnd = i;
        }
        byte first = in.get(targetStart);
        if (first != '/' && !(first == '*' && targetEnd == targetStart + 1)) {
            return 400;
        }
        head = bytesEqual(in, start, methodEnd, HEAD);
        return version(in, i + 1, eol);
    }

    /** "HTTP/" DIGIT "." DIGIT: 1.0 and 1.x are served (1.2 and up read as 1.1, per RFC 9110 section 2.5). */
    private int version(ByteBuffer in, int i, int eol) {
        if (eol - i != 8 || !bytesEqual(in, i, i + 5, HTTP_NAME) || in.get(i + 6) != '.'
                || !isDigit(in.get(i + 5)) || !isDigit(in.get(i + 7))) {
            return 400;
        }
        if (in.get(i + 5) != '1') {
            return 505;
        }
        http10 = in.get(i + 7) == '0';
        return COMPLETE;
    }

    /** field-name ":" OWS field-value OWS, in {@code [p, eol)}; notes the headers that frame the request. */
    private int header(ByteBuffer in, int p, int eol) {
        int nameEnd = skipTokens(in, p, eol);
        // Also rejects obs-fold (a line starting with SP) and a space before the colon (RFC 9112 section 5.1).
        if (nameEnd == p || nameEnd >= eol || in.get(nameEnd) != ':') {
            return 400;
        }
        int from = skipOws(in, nameEnd + 1, eol);
        int to = eol;
        while (to > from && isOws(in.get(to - 1))) {
            to--;
        }
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (b != '\t' && b >= 0 && (b < 0x20 || b == 0x7F)) {
                return 400;
            }
        }
        int nameLength = nameEnd - p;
        if (nameLength == 4 && equalsIgnoreCase(in, p, "host")) {
            hosts++;
        } else if (nameLength == 14 && equalsIgnoreCase(in, p, "content-length")) {
            return contentLength(in, from, to);
        } else if (nameLength == 17 && equalsIgnoreCase(in, p, "transfer-encoding")) {
            // Only a single "chunked" is understood; gzip, chunked and the like get 501.
            unsupportedCoding |= chunked || to - from != 7 || !equalsIgnoreCase(in, from, "chunked");
            chunked = true;
        } else if (nameLength == 10 && equalsIgnoreCase(in, p, "connection")) {
            connectionOptions(in, from, to);
        } else if (nameLength == 6 && equalsIgnoreCase(in, p, "expect")) {
            expectContinue = to - from == 12 && equalsIgnoreCase(in, from, "100-continue");
        }
        return COMPLETE;
    }

    private int contentLength(ByteBuffer in, int from, int to) {
        long value = 0;
        if (from == to) {
            return 400;
        }
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (!isDigit(b)) {
                return 400;
            }
            value = Math.min(value * 10 + (b - '0'), TOO_BIG);
        }
        // Two different lengths are a classic request smuggling vector (RFC 9112 section 6.3).
        if (contentLength >= 0 && contentLength != value) {
            return 400;
        }
        contentLength = value;
        return COMPLETE;
    }

    /** The comma-separated options of Connection: only close and keep-alive matter here. */
    private void connectionOptions(ByteBuffer in, int from, int to) {
        int i = from;
        while (i < to) {
            int comma = i;
            while (comma < to && in.get(comma) != ',') {
                comma++;
            }
            int tokenEnd = comma;
            while (tokenEnd > i && isOws(in.get(tokenEnd - 1))) {
                tokenEnd--;
            }
            int length = tokenEnd - i;
            connectionClose |= length == 5 && equalsIgnoreCase(in, i, "close");
            connectionKeepAlive |= length == 10 && equalsIgnoreCase(in, i, "keep-alive");
            i = skipOws(in, comma + 1, to);
        }
    }

    /** What can be judged once the head is complete, before any body byte. */
    private int checkHead() {
        if (unsupportedCoding) {
            return 501;
        }
        // Both framings at once is how requests are smuggled: refuse (RFC 9112 section 6.3).
        if (chunked && contentLength >= 0) {
            return 400;
        }
        if (hosts > 1 || hosts == 0 && !http10) {
            return 400;
        }
        if (contentLength > maxBodyBytes) {
            return 413;
        }
        return COMPLETE;
    }

    private int fixedBody(int limit) {
        bodyLength = Math.max(contentLength, 0);
        if (limit - headEnd < bodyLength) {
            return NEED_MORE;
        }
        end = headEnd + (int) bodyLength;
        return COMPLETE;
    }

    /** chunk-size [chunk-ext] CRLF chunk-data CRLF ... last-chunk trailer-section CRLF. */
    private int chunkedBody(ByteBuffer in, int from, int limit) {
        int p = headEnd;
        long total = 0;
        long size;
        do {
            int eol = lineEnd(in, p, limit);
            if (eol < 0) {
                return eol == MALFORMED ? 400 : needMoreBody(limit - from);
            }
            size = chunkSize(in, p, eol);
            if (size < 0) {
                return 400;
            }
            total += size;
            if (total > maxBodyBytes) {
                return 413;
            }
            p = eol + 2;
            if (size > 0) {
                if (limit - p < size + 2) {
                    return needMoreBody(limit - from);
                }
                p += (int) size;
                if (in.get(p) != '\r' || in.get(p + 1) != '\n') {
                    return 400;
                }
                p += 2;
            }
        } while (size > 0);
        // The trailer section is ignored: only its line ends are checked, and its size counts toward the bound.
        int eol;
        while ((eol = lineEnd(in, p, limit)) != p) {
            if (eol < 0) {
                return eol == MALFORMED ? 400 : needMoreBody(limit - from);
            }
            p = eol + 2;
        }
        end = p + 2;
        // The framing (size lines, extensions, trailers) counts too: a request bigger than the
        // limit is refused whether it arrived in pieces (needMoreBody) or in one read.
        if (end - from > maxRequestBytes) {
            return 413;
        }
        bodyLength = total;
        return COMPLETE;
    }

    private int needMoreBody(int buffered) {
        return buffered > maxRequestBytes ? 413 : NEED_MORE;
    }

    // ----------------------------------------------------------- results of the last parse

    /** Whether the last parse got past the head (its empty line); false while a head is incomplete. */
    boolean headComplete() {
        return headComplete;
    }

    /** The first byte after the request (valid after {@link #COMPLETE}). */
    public int end() {
        return end;
    }

    /** Whether the connection may serve another request after this one. */
    public boolean keepAlive() {
        // An HTTP/1.0 request with Transfer-Encoding has faulty framing: close after it (RFC 9112 section 6.1).
        return http10 ? connectionKeepAlive && !connectionClose && !chunked : !connectionClose;
    }

    boolean http10() {
        return http10;
    }

    boolean isHead() {
        return head;
    }

    /** After {@link #NEED_MORE}: the head asked for 100 Continue, the body is missing, and none was sent. */
    boolean wantsContinue() {
        return headComplete && expectContinue && !http10 && !continueSent;
    }

    /** Records that 100 Continue was sent, or with {@code false} that the request is done. */
    void continueSent(boolean sent) {
        continueSent = sent;
    }

    /** Whether the method bytes equal {@code method} (ASCII, case-sensitive as methods are). */
    public boolean methodIs(ByteBuffer in, byte[] method) {
        return bytesEqual(in, start, methodEnd, method);
    }

    /** Whether the path (the target up to {@code ?}) equals {@code path}. */
    public boolean pathIs(ByteBuffer in, byte[] path) {
        return bytesEqual(in, targetStart, pathEnd, path);
    }

    /** Copies the request out of the buffer for a {@link HttpHandler}. Valid after {@link #COMPLETE}. */
    HttpRequest toRequest(ByteBuffer in) {
        String query = pathEnd < targetEnd ? string(in, pathEnd + 1, targetEnd) : "";
        return new HttpRequest(string(in, start, methodEnd), string(in, targetStart, pathEnd), query,
                headers(in), body(in));
    }

    private Map<String, String> headers(ByteBuffer in) {
        Map<String, String> headers = new HashMap<>();
        // Every line was validated by parse; here only the split matters.
        for (int p = headersStart, eol; (eol = lineEnd(in, p, headEnd)) != p; p = eol + 2) {
            int colon = skipTokens(in, p, eol);
            int from = skipOws(in, colon + 1, eol);
            int to = eol;
            while (to > from && isOws(in.get(to - 1))) {
                to--;
            }
            headers.merge(string(in, p, colon).toLowerCase(Locale.ROOT), string(in, from, to), (a, b) -> a + ", " + b);
        }
        return headers;
    }

    private byte[] body(ByteBuffer in) {
        byte[] body = new byte[(int) bodyLength];
        if (!chunked) {
            in.get(headEnd, body);
            return body;
        }
        // The framing was validated by parse: walk it again and copy the chunks' data.
        int p = headEnd;
        int copied = 0;
        for (int size; (size = (int) chunkSize(in, p, lineEnd(in, p, end))) > 0; p += size + 2) {
            p = lineEnd(in, p, end) + 2;
            in.get(p, body, copied, size);
            copied += size;
        }
        return body;
    }
}
