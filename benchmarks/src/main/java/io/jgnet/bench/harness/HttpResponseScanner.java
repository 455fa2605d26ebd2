package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames a stream of HTTP/1.1 responses, byte by byte, and checks each: status 200 and the
 * expected body. Framing is by Content-Length (header names matched case-insensitively), the
 * only framing the benchmark's servers use; a response without it, or with chunked transfer
 * coding, cannot be framed and ends the connection.
 *
 * <pre>
 * STATUS_LINE --LF--> HEADER_LINE --LF--> HEADER_LINE ... --empty line--> BODY --Content-Length bytes--> STATUS_LINE
 * </pre>
 *
 * <p>Only the first {@link #LINE_PREFIX} bytes of each head line are kept: enough to read the
 * status code and a Content-Length, and the per-response work stays a scan with no allocation.
 *
 * <p>Not thread-safe: one scanner per connection, used by the load thread.
 */
final class HttpResponseScanner implements LoadProtocol.ResponseScanner {

    /** Bytes kept of each head line; longer lines are counted, not stored. */
    private static final int LINE_PREFIX = 64;
    /** A head longer than this is not an HTTP response this harness asked for. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    /** A body longer than this is not one of the benchmark's small answers. */
    private static final long MAX_BODY_BYTES = 64L * 1024 * 1024;
    private static final byte[] CONTENT_LENGTH = ascii("content-length:");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding:");
    private static final byte[] HTTP_1 = ascii("HTTP/1.");
    private static final byte[] STATUS_200 = ascii(" 200");

    private enum State { STATUS_LINE, HEADER_LINE, BODY }

    private final byte[] expectedBody;
    private final byte[] line = new byte[LINE_PREFIX];
    private State state = State.STATUS_LINE;
    /** Bytes of the current head line so far, its LF excluded (may exceed what {@link #line} holds). */
    private int lineLength;
    private byte lastByte;
    private int headBytes;
    private long contentLength = -1;
    private long bodyRemaining;
    private int bodyOffset;
    private boolean wrong;
    private long mismatches;

    HttpResponseScanner(byte[] expectedBody) {
        this.expectedBody = expectedBody.clone();
    }

    /**
     * Scans {@code in} from its position to its limit, leaving the position at the limit.
     *
     * @return the responses this call completed
     * @throws MalformedResponseException if the stream cannot be framed
     */
    @Override
    public int consume(ByteBuffer in) throws MalformedResponseException {
        int completed = 0;
        int pos = in.position();
        int limit = in.limit();
        while (pos < limit) {
            if (state == State.BODY) {
                int chunk = (int) Math.min(limit - pos, bodyRemaining);
                checkBody(in, pos, chunk);
                pos += chunk;
                bodyRemaining -= chunk;
                if (bodyRemaining == 0) {
                    completed++;
                    finishResponse();
                }
                continue;
            }
            byte b = in.get(pos++);
            if (++headBytes > MAX_HEAD_BYTES) {
                throw new MalformedResponseException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                if (endOfLine()) {
                    completed++;
                    finishResponse();
                }
            } else {
                if (lineLength < LINE_PREFIX) {
                    line[lineLength] = b;
                }
                lineLength++;
                lastByte = b;
            }
        }
        in.position(limit);
        return completed;
    }

    /** Completed responses so far that were not 200 with the expected body. */
    @Override
    public long mismatches() {
        return mismatches;
    }

    /** Handles a finished head line; true if it completed a response (one with an empty body). */
    private boolean endOfLine() throws MalformedResponseException {
        // The line ends in CRLF; a bare LF is tolerated, as RFC 9112 allows recipients to.
        int length = lineLength > 0 && lastByte == '\r' ? lineLength - 1 : lineLength;
        lineLength = 0;
        lastByte = 0;
        if (state == State.STATUS_LINE) {
            if (!isStatus200(length)) {
                wrong = true;
            }
            state = State.HEADER_LINE;
            return false;
        }
        if (length > 0) {
            header(length);
            return false;
        }
        if (contentLength < 0) {
            throw new MalformedResponseException("response without Content-Length");
        }
        if (contentLength == 0) {
            return true;
        }
        state = State.BODY;
        bodyRemaining = contentLength;
        return false;
    }

    private boolean isStatus200(int length) {
        // "HTTP/1.x 200" then the end of the line or a space before the reason phrase.
        return length >= 12 && length <= LINE_PREFIX
                && startsWith(HTTP_1, 0, length, false) && isDigit(line[7]) && startsWith(STATUS_200, 8, length, false)
                && (length == 12 || line[12] == ' ');
    }

    private void header(int length) throws MalformedResponseException {
        if (startsWith(TRANSFER_ENCODING, 0, length, true)) {
            throw new MalformedResponseException("Transfer-Encoding is not supported; the harness frames by Content-Length");
        }
        if (!startsWith(CONTENT_LENGTH, 0, length, true)) {
            return;
        }
        if (length > LINE_PREFIX) {
            throw new MalformedResponseException("Content-Length line longer than " + LINE_PREFIX + " bytes");
        }
        long value = parseLength(CONTENT_LENGTH.length, length);
        if (contentLength >= 0 && contentLength != value) {
            throw new MalformedResponseException("two different Content-Length values");
        }
        contentLength = value;
    }

    private long parseLength(int from, int to) throws MalformedResponseException {
        int i = from;
        while (i < to && isSpace(line[i])) {
            i++;
        }
        int end = to;
        while (end > i && isSpace(line[end - 1])) {
            end--;
        }
        if (i == end) {
            throw new MalformedResponseException("empty Content-Length");
        }
        long value = 0;
        for (; i < end; i++) {
            if (!isDigit(line[i])) {
                throw new MalformedResponseException("Content-Length is not a number");
            }
            value = value * 10 + (line[i] - '0');
            if (value > MAX_BODY_BYTES) {
                throw new MalformedResponseException("Content-Length over " + MAX_BODY_BYTES);
            }
        }
        return value;
    }

    private void checkBody(ByteBuffer in, int pos, int chunk) {
        for (int i = 0; i < chunk; i++, bodyOffset++) {
            if (bodyOffset >= expectedBody.length || in.get(pos + i) != expectedBody[bodyOffset]) {
                wrong = true;
            }
        }
    }

    private void finishResponse() {
        if (wrong || contentLength != expectedBody.length) {
            mismatches++;
        }
        state = State.STATUS_LINE;
        wrong = false;
        headBytes = 0;
        contentLength = -1;
        bodyOffset = 0;
    }

    /**
     * Whether the line, {@code length} bytes long, holds {@code prefix} at {@code offset}; letters
     * compared without case if asked. Bytes past the line's length are stale, hence the bound.
     */
    private boolean startsWith(byte[] prefix, int offset, int length, boolean ignoreCase) {
        if (offset + prefix.length > Math.min(length, LINE_PREFIX)) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            byte b = line[offset + i];
            if (ignoreCase && b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
