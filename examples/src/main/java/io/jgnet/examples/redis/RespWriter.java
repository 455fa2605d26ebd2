package io.jgnet.examples.redis;

import io.jgnet.Conn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes RESP2 replies into a small per-connection array and hands it to the connection in
 * one {@link Conn#write} per batch of pipelined replies (the engine then sends each loop
 * iteration's output with one system call). A large value skips the array and goes to the
 * connection directly, so the array stays around {@link #FLUSH_AT} bytes whatever the replies.
 *
 * <p>Owned by one connection, hence one loop thread.
 */
final class RespWriter {
    /** Replies collected beyond this go to the connection before more are encoded. */
    private static final int FLUSH_AT = 16 * 1024;
    /** A bulk string larger than this is written to the connection, not copied into the array first. */
    private static final int DIRECT_AT = 4 * 1024;
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] LONG_MIN = ascii(Long.toString(Long.MIN_VALUE));

    private final Conn conn;
    private byte[] buffer = new byte[256];
    private int size;

    RespWriter(Conn conn) {
        this.conn = conn;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a reply prepared as bytes, such as {@code +OK\r\n}. */
    void raw(byte[] reply) {
        put(reply, 0, reply.length);
    }

    /** {@code -message\r\n}; CR and LF in the message become spaces, as in Redis, to keep the framing. */
    void error(String message) {
        byte[] text = ("-" + message).getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\r' || text[i] == '\n') {
                text[i] = ' ';
            }
        }
        raw(text);
        raw(CRLF);
    }

    /** {@code :n\r\n} */
    void integer(long value) {
        prefixed((byte) ':', value);
    }

    /** {@code *n\r\n}, the header of an array of n replies. */
    void array(int count) {
        prefixed((byte) '*', count);
    }

    /** {@code $-1\r\n}, the null reply of a missing key. */
    void nullBulk() {
        raw(NULL_BULK);
    }

    /** A bulk string holding {@code value}, or the null reply for {@code null}. */
    void bulk(byte[] value) {
        if (value == null) {
            nullBulk();
            return;
        }
        prefixed((byte) '$', value.length);
        if (value.length > DIRECT_AT) {
            flush();
            if (conn.isOpen()) {
                conn.write(value);
            }
        } else {
            put(value, 0, value.length);
        }
        raw(CRLF);
    }

    /** A bulk string holding {@code in[index, index + length)} (an argument echoed back). */
    void bulk(ByteBuffer in, int index, int length) {
        prefixed((byte) '$', length);
        if (length > DIRECT_AT) {
            flush();
            if (conn.isOpen()) {
                conn.write(in.slice(index, length)); // a slice: the read view itself must not move
            }
        } else {
            ensure(length);
            in.get(index, buffer, size, length);
            size += length;
        }
        raw(CRLF);
    }

    /**
     * Hands the collected replies to the connection. If it is closing (a reply went past the
     * engine's write cap, which closes it with that reason), they are dropped: writing would
     * only throw, and replace the reason with a less useful one.
     */
    void flush() {
        if (size > 0 && conn.isOpen()) {
            conn.write(buffer, 0, size);
        }
        size = 0;
    }

    /**
     * Hands the collected replies to the connection, then a reply computed off the loop by
     * {@code task}: the connection writes it after them and before any reply collected later.
     */
    void offload(java.util.concurrent.Callable<byte[]> task) {
        flush();
        conn.offload(task);
    }

    private void prefixed(byte type, long value) {
        ensure(1 + 20 + 2);
        buffer[size++] = type;
        if (value == Long.MIN_VALUE) {
            put(LONG_MIN, 0, LONG_MIN.length);
        } else {
            if (value < 0) {
                buffer[size++] = '-';
                value = -value;
            }
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            for (int i = size + digits - 1; i >= size; i--) {
                buffer[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            size += digits;
        }
        buffer[size++] = '\r';
        buffer[size++] = '\n';
    }

    private void put(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more <= buffer.length) {
            return;
        }
        if (size >= FLUSH_AT) {
            flush();
            if (more <= buffer.length) {
                return;
            }
        }
        buffer = Arrays.copyOf(buffer, Math.max(size + more, 2 * buffer.length));
    }
}
