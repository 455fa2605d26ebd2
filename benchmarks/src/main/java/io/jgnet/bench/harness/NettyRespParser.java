package io.jgnet.bench.harness;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Reads RESP2 requests straight off a connection's inbound {@link ByteBuf}, without copying or
 * a decoder: arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline commands
 * ({@code GET k\r\n}, split on whitespace; quotes are not interpreted). Each call parses one
 * command starting at the buffer's reader index into argument offsets (relative to that index,
 * so they survive the buffer being copied into a bigger one); a command not yet complete is
 * remembered where it stopped, so the next call, with more bytes after the same start, resumes
 * instead of parsing the same headers again.
 *
 * <h2>Limits</h2>
 * Checked before bytes are waited for, so a connection holds at most one command of
 * {@link #MAX_REQUEST_LENGTH} bytes plus one read:
 * <pre>
 *   "*N" or "$N" header line, or inline command, longer than 64 KiB      -> too big ...
 *   N of "*N" not an integer or over 1M                                   -> invalid multibulk length
 *   N of "$N" not an integer, negative, over 512 MiB, or past 1 GiB       -> invalid bulk length
 *   an element not starting with '$'                                      -> expected '$', got 'c'
 *   a bulk string not followed by CRLF                                    -> expected CRLF after bulk string
 * </pre>
 * Redis's limits and messages (proto-max-bulk-len, client-query-buffer-limit,
 * PROTO_INLINE_MAX_SIZE); {@code *0} and {@code *-1} are empty requests, answered with nothing.
 *
 * <p>Owned by one connection, hence one loop thread. Public so that the JMH benchmarks
 * (io.jgnet.bench.jmh.RespParseBenchmark) measure the parser this Netty server really runs.
 */
public final class NettyRespParser {
    static final int MAX_BULK_LENGTH = 512 * 1024 * 1024;
    static final int MAX_ARRAY_LENGTH = 1024 * 1024;
    static final int MAX_INLINE_LENGTH = 64 * 1024;
    static final int MAX_REQUEST_LENGTH = 1024 * 1024 * 1024;
    /** More digits than any allowed length has; stops an overflow before it happens. */
    private static final int MAX_DIGITS = 18;
    /** An argument table grown past this (a huge DEL) is dropped after its command, not kept per connection. */
    private static final int KEPT_ARGUMENTS = 1024;

    /** Elements the current array announced, or -1 before its header is parsed (or for inline). */
    private int elements = -1;
    /** Bytes of the current command already parsed (array) or searched for a newline (inline). */
    private int scanned;
    /** The bytes the current command needs at least, as far as its headers tell. */
    private long wanted;
    /** Pairs (offset from the command's start, length), one per argument. */
    private int[] arguments = new int[16];
    private int count;

    /**
     * Parses the command starting at {@code in.readerIndex()}; the bytes available end at
     * {@code in.writerIndex()}. Returns the command's length in bytes, its arguments in
     * {@link #count()} and {@link #offset(int)}/{@link #length(int)} (possibly none: an empty
     * request, to be skipped), or 0 if more bytes are needed. Consumes nothing.
     *
     * @throws ProtocolError if the stream is not RESP or breaks a limit: the connection must close
     */
    public int parse(ByteBuf in) throws ProtocolError {
        int start = in.readerIndex();
        int end = in.writerIndex();
        if (start >= end) {
            return 0;
        }
        return in.getByte(start) == '*' ? array(in, start, end) : inline(in, start, end);
    }

    /** Arguments of the command last parsed. */
    public int count() {
        return count;
    }

    /** Where argument {@code i} starts, relative to the command's first byte. */
    public int offset(int i) {
        return arguments[2 * i];
    }

    int length(int i) {
        return arguments[2 * i + 1];
    }

    /** The least number of bytes the unfinished command needs, so a caller can size its buffer once. */
    long wanted() {
        return wanted;
    }

    private int array(ByteBuf in, int start, int end) throws ProtocolError {
        if (elements < 0) {
            int cr = lineEnd(in, start + 1, end, "too big mbulk count string");
            if (cr < 0) {
                return 0;
            }
            long n = integer(in, start + 1, cr, "invalid multibulk length");
            if (n > MAX_ARRAY_LENGTH) {
                throw new ProtocolError("invalid multibulk length");
            }
            count = 0;
            scanned = cr + 2 - start;
            if (n <= 0) {
                return complete();
            }
            elements = (int) n;
        }
        while (count < elements) {
            int at = start + scanned;
            if (at >= end) {
                return 0;
            }
            byte type = in.getByte(at);
            if (type != '$') {
                throw new ProtocolError("expected '$', got '" + (char) (type & 0xff) + "'");
            }
            int cr = lineEnd(in, at + 1, end, "too big bulk count string");
            if (cr < 0) {
                return 0;
            }
            long length = integer(in, at + 1, cr, "invalid bulk length");
            int payload = cr + 2;
            wanted = payload - start + length + 2;
            if (length < 0 || length > MAX_BULK_LENGTH || wanted > MAX_REQUEST_LENGTH) {
                throw new ProtocolError("invalid bulk length");
            }
            if (end - payload < length + 2) {
                return 0; // this header is parsed again next time: a few bytes, not worth a state
            }
            int after = payload + (int) length;
            if (in.getByte(after) != '\r' || in.getByte(after + 1) != '\n') {
                throw new ProtocolError("expected CRLF after bulk string");
            }
            add(payload - start, (int) length);
            scanned = after + 2 - start;
        }
        return complete();
    }

    private int inline(ByteBuf in, int start, int end) throws ProtocolError {
        int limit = Math.min(end, start + MAX_INLINE_LENGTH + 1);
        // indexOf searches backwards when from > to: never let it.
        int newline = start + scanned < limit ? in.indexOf(start + scanned, limit, (byte) '\n') : -1;
        if (newline < 0) {
            if (end - start > MAX_INLINE_LENGTH) {
                throw new ProtocolError("too big inline request");
            }
            scanned = end - start;
            return 0;
        }
        count = 0;
        int lineEnd = newline > start && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        int argumentStart = -1;
        for (int i = start; i <= lineEnd; i++) {
            boolean space = i == lineEnd || isSpace(in.getByte(i));
            if (space && argumentStart >= 0) {
                add(argumentStart - start, i - argumentStart);
                argumentStart = -1;
            } else if (!space && argumentStart < 0) {
                argumentStart = i;
            }
        }
        scanned = newline + 1 - start;
        return complete();
    }

    private void add(int offset, int length) {
        if (2 * count == arguments.length) {
            arguments = Arrays.copyOf(arguments, 2 * arguments.length);
        }
        arguments[2 * count] = offset;
        arguments[2 * count + 1] = length;
        count++;
    }

    /** Ends the current command: its length, and the state reset for the next one. */
    private int complete() {
        int length = scanned;
        elements = -1;
        scanned = 0;
        wanted = 0;
        return length;
    }

    /** Forgets a huge argument table once its command has been answered. */
    void trim() {
        if (arguments.length > 2 * KEPT_ARGUMENTS) {
            arguments = new int[16];
        }
    }

    /**
     * The index of the '\r' ending the header line that starts at {@code from}, or -1 if it has
     * not arrived yet; a line longer than the inline limit is a protocol error {@code tooBig}.
     */
    private static int lineEnd(ByteBuf in, int from, int end, String tooBig) throws ProtocolError {
        // The '\r' may sit at most MAX_INLINE_LENGTH bytes in, and needs one more byte for its '\n'.
        int limit = Math.min(end - 1, from + MAX_INLINE_LENGTH + 1);
        int cr = from < limit ? in.indexOf(from, limit, (byte) '\r') : -1;
        if (cr < 0 && end - from > MAX_INLINE_LENGTH + 1) {
            throw new ProtocolError(tooBig);
        }
        return cr;
    }

    /** The decimal integer in {@code in[from, cr)}, which must be followed by '\n'. */
    private static long integer(ByteBuf in, int from, int cr, String invalid) throws ProtocolError {
        if (in.getByte(cr + 1) != '\n') {
            throw new ProtocolError(invalid);
        }
        boolean negative = cr > from && in.getByte(from) == '-';
        int first = negative ? from + 1 : from;
        if (first == cr || cr - first > MAX_DIGITS) {
            throw new ProtocolError(invalid);
        }
        long value = 0;
        for (int i = first; i < cr; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                throw new ProtocolError(invalid);
            }
            value = 10 * value + digit;
        }
        return negative ? -value : value;
    }

    /** Whitespace as C's isspace, which Redis splits inline commands on. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == '\f';
    }

    /** The stream cannot be read as RESP; the message is the part after "ERR Protocol error: ". */
    public static final class ProtocolError extends Exception {
        ProtocolError(String message) {
            super(message, null, false, false); // no stack trace: it says nothing the message does not
        }
    }
}
