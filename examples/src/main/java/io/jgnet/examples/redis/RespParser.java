package io.jgnet.examples.redis;

import java.nio.ByteBuffer;

/**
 * Reads RESP2 requests from a connection's inbound bytes without copying them: arrays of bulk
 * strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline commands ({@code GET k\r\n}, split
 * on whitespace; quotes are not interpreted). Each call parses one command into the
 * {@link Request}; a command not yet complete is remembered where it stopped, so the next call
 * (with more bytes after the same first byte) resumes instead of starting over.
 *
 * <h2>Limits</h2>
 * Checked before bytes are waited for, so a connection never holds more than one command of
 * {@link RedisConfig#maxRequestLength()} bytes plus a header line, plus one read:
 * <pre>
 *   header line ("*N", "$N") or inline command longer than maxInlineLength -> too big ... / too big inline request
 *   N of "*N" not an integer or over maxArrayLength                        -> invalid multibulk length
 *   N of "$N" not an integer, negative, over maxBulkLength, or ending past
 *     maxRequestLength from the command's start                           -> invalid bulk length
 *   an element not starting with '$'                                      -> expected '$', got 'c'
 *   a bulk string not followed by CRLF                                     -> expected CRLF after bulk string
 * </pre>
 * The messages are Redis's, except the last: Redis skips two bytes unchecked, we refuse to guess.
 * Like Redis, {@code *0} and {@code *-1} are empty requests and are skipped.
 *
 * <p>Owned by one connection, hence one loop thread. Public only so that the benchmarks module
 * can measure it.
 */
public final class RespParser {
    private final RedisConfig config;
    private final Request request;
    /** Elements the current array announced, or -1 before its header is parsed (or for inline). */
    private int elements = -1;
    /** Bytes of the current command already parsed (array) or searched for a newline (inline). */
    private int scanned;

    /** A parser enforcing {@code config}'s limits that fills {@code request}. */
    public RespParser(RedisConfig config, Request request) {
        this.config = config;
        this.request = request;
    }

    /**
     * Parses the command starting at {@code in[start]}; the bytes available end at
     * {@code in.limit()}. Returns the command's length in bytes, its arguments in the request
     * (possibly none: an empty request), or 0 if more bytes are needed.
     *
     * @throws RedisError a protocol error: the connection must be closed
     */
    public int parse(ByteBuffer in, int start) {
        int end = in.limit();
        if (start >= end) {
            return 0;
        }
        request.bind(in, start);
        return in.get(start) == '*' ? array(in, start, end) : inline(in, start, end);
    }

    private int array(ByteBuffer in, int start, int end) {
        if (elements < 0) {
            int cr = lineEnd(in, start + 1, end, "too big mbulk count string");
            if (cr < 0) {
                return 0;
            }
            long count = length(in, start + 1, cr, "invalid multibulk length");
            if (count > config.maxArrayLength()) {
                throw RedisError.protocol("invalid multibulk length");
            }
            request.clear();
            scanned = cr + 2 - start;
            if (count <= 0) {
                return complete();
            }
            elements = (int) count;
        }
        while (request.count() < elements) {
            int at = start + scanned;
            if (at >= end) {
                return 0;
            }
            byte type = in.get(at);
            if (type != '$') {
                throw RedisError.protocol("expected '$', got '" + (char) (type & 0xff) + "'");
            }
            int cr = lineEnd(in, at + 1, end, "too big bulk count string");
            if (cr < 0) {
                return 0;
            }
            long length = length(in, at + 1, cr, "invalid bulk length");
            int payload = cr + 2;
            if (length < 0 || length > config.maxBulkLength()
                    || payload - start + length + 2 > config.maxRequestLength()) {
                throw RedisError.protocol("invalid bulk length");
            }
            if (end - payload < length + 2) {
                return 0; // this header is parsed again next time: a few bytes, not worth a state
            }
            int after = payload + (int) length;
            if (in.get(after) != '\r' || in.get(after + 1) != '\n') {
                throw RedisError.protocol("expected CRLF after bulk string");
            }
            request.add(payload - start, (int) length);
            scanned = after + 2 - start;
        }
        return complete();
    }

    private int inline(ByteBuffer in, int start, int end) {
        int limit = Math.min(end, start + config.maxInlineLength() + 1);
        int newline = -1;
        for (int i = start + scanned; i < limit; i++) {
            if (in.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            if (end - start > config.maxInlineLength()) {
                throw RedisError.protocol("too big inline request");
            }
            scanned = end - start;
            return 0;
        }
        request.clear();
        int lineEnd = newline > start && in.get(newline - 1) == '\r' ? newline - 1 : newline;
        int argStart = -1;
        for (int i = start; i <= lineEnd; i++) {
            boolean space = i == lineEnd || isSpace(in.get(i));
            if (space && argStart >= 0) {
                request.add(argStart - start, i - argStart);
                argStart = -1;
            } else if (!space && argStart < 0) {
                argStart = i;
            }
        }
        return complete(newline + 1 - start);
    }

    private int complete() {
        return complete(scanned);
    }

    private int complete(int length) {
        elements = -1;
        scanned = 0;
        return length;
    }

    /**
     * The index of the '\r' ending the header line that starts at {@code from}, or -1 if it has
     * not arrived yet; a line longer than the inline limit is a protocol error {@code tooBig}.
     */
    private int lineEnd(ByteBuffer in, int from, int end, String tooBig) {
        // The '\r' may sit at most maxInlineLength bytes in, and needs one more byte for its '\n'.
        int limit = Math.min(end - 1, from + config.maxInlineLength() + 1);
        for (int i = from; i < limit; i++) {
            if (in.get(i) == '\r') {
                return i;
            }
        }
        if (end - from > config.maxInlineLength() + 1) {
            throw RedisError.protocol(tooBig);
        }
        return -1;
    }

    /** The integer of a header line, which must end with CRLF. */
    private static long length(ByteBuffer in, int from, int cr, String invalid) {
        if (in.get(cr + 1) != '\n') {
            throw RedisError.protocol(invalid);
        }
        try {
            return Ints.parse(in, from, cr - from);
        } catch (RedisError notAnInteger) {
            throw RedisError.protocol(invalid);
        }
    }

    /** Whitespace as C's isspace, which Redis splits inline commands on. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == '\f';
    }
}
