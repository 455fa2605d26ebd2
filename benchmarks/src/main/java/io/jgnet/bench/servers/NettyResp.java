package io.jgnet.bench.servers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Netty 4.2's RESP server, written as a Netty user after speed would and doing the work jgnet's
 * example Redis server does: RESP2 arrays of bulk strings parsed straight off the ByteBuf (no
 * decoder, aggregator or message objects); PING [msg], ECHO msg, SET key value, GET key, DEL
 * key...; one keyspace in which SET keeps copies of the key and value. Fixed replies are
 * duplicates of shared buffers, the others pooled buffers. Redis's limits and errors: {@code *N}
 * at most 1M, {@code $N} at most 512 MiB, header lines at most 64 KiB; anything else, inline
 * commands included, is {@code -ERR Protocol error: ...} and closes that connection.
 *
 * <p>Threading: each connection's handler runs on its loop; the keyspace is a ConcurrentHashMap
 * keyed by heap ByteBuffers (a per-connection probe looks keys up without allocating), shared by
 * any number of loops.
 */
public final class NettyResp {

    private static final ByteBuf PONG = constant("+PONG\r\n");
    private static final ByteBuf OK = constant("+OK\r\n");
    private static final ByteBuf NULL_BULK = constant("$-1\r\n");
    private static final byte[] GET = ascii("GET");
    private static final byte[] SET = ascii("SET");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[] PING = ascii("PING");
    private static final byte[] ECHO = ascii("ECHO");
    static final int MAX_BULK = 512 * 1024 * 1024;
    static final int MAX_ARRAY = 1024 * 1024;
    static final int MAX_LINE = 64 * 1024;
    /** Room for a reply's type byte, up to 19 digits and two CRLFs. */
    private static final int HEADER_ROOM = 24;
    /** Keys longer than this are copied to look up, so a probe never pins a huge array. */
    private static final int MAX_PROBE = 256;

    private NettyResp() {
    }

    /** The child initializer: one {@link Connection} per channel over one shared keyspace. */
    static ChannelInitializer<Channel> initializer() {
        ConcurrentHashMap<ByteBuffer, byte[]> keyspace = new ConcurrentHashMap<>();
        return NettyServers.perChannel(ch -> List.of(new Connection(keyspace)));
    }

    /** A connection with a keyspace of its own, for RespParseBenchmark to run this server's parser alone. One thread. */
    public static Connection parser() {
        return new Connection(new ConcurrentHashMap<>());
    }

    /** One connection: its argument table and its lookup probe. Loop thread only. */
    public static final class Connection extends InPlaceHandler {
        private final ConcurrentHashMap<ByteBuffer, byte[]> keyspace;
        private final ByteBuffer probe = ByteBuffer.allocate(MAX_PROBE);
        /** Pairs (offset from the command's start, length), one per argument of the command parsed last. */
        private int[] arguments = new int[16];
        private int count;
        private long wanted;

        Connection(ConcurrentHashMap<ByteBuffer, byte[]> keyspace) {
            this.keyspace = keyspace;
        }

        @Override
        long wanted() {
            return wanted;
        }

        @Override
        void serve(ChannelHandlerContext ctx, ByteBuf in) throws ProtocolError {
            int length;
            while (in.isReadable() && (length = parse(in)) > 0) {
                if (count > 0) {
                    ctx.write(execute(ctx, in, in.readerIndex()), ctx.voidPromise());
                }
                in.skipBytes(length);
            }
        }

        /** The length of the command at the reader index (arguments in the table), 0 for more bytes; a ProtocolError if not RESP. */
        public int parse(ByteBuf in) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            if (in.getByte(start) != '*') {
                throw error("expected '*', got '" + (char) (in.getByte(start) & 0xff) + "'");
            }
            int cr = lineEnd(in, start + 1, end);
            if (cr < 0) {
                return 0;
            }
            long n = integer(in, start + 1, cr, "invalid multibulk length");
            if (n > MAX_ARRAY) {
                throw error("invalid multibulk length");
            }
            count = 0;
            int at = cr + 2;
            for (int i = 0; i < n; i++) {
                if (at >= end) {
                    return 0;
                }
                if (in.getByte(at) != '$') {
                    throw error("expected '$', got '" + (char) (in.getByte(at) & 0xff) + "'");
                }
                cr = lineEnd(in, at + 1, end);
                if (cr < 0) {
                    return 0;
                }
                long size = integer(in, at + 1, cr, "invalid bulk length");
                if (size < 0 || size > MAX_BULK) {
                    throw error("invalid bulk length");
                }
                int payload = cr + 2;
                wanted = payload - start + size + 2;
                if (end - payload < size + 2) {
                    return 0;
                }
                if (in.getByte(payload + (int) size) != '\r' || in.getByte(payload + (int) size + 1) != '\n') {
                    throw error("expected CRLF after bulk string");
                }
                if (2 * count == arguments.length) {
                    arguments = Arrays.copyOf(arguments, 2 * arguments.length);
                }
                arguments[2 * count] = payload - start;
                arguments[2 * count + 1] = (int) size;
                count++;
                at = payload + (int) size + 2;
            }
            wanted = 0;
            return at - start;
        }

        /** Arguments of the command parsed last. */
        public int count() {
            return count;
        }

        /** Where argument {@code i} starts, relative to the command's first byte. */
        public int offset(int i) {
            return arguments[2 * i];
        }

        private ByteBuf execute(ChannelHandlerContext ctx, ByteBuf in, int base) {
            int name = base + arguments[0];
            int nameLength = arguments[1];
            if (is(in, name, nameLength, GET) && count == 2) {
                byte[] value = keyspace.get(key(in, base, 1, false));
                if (value == null) {
                    return NULL_BULK.duplicate();
                }
                ByteBuf out = decimalLine(ctx.alloc().ioBuffer(value.length + HEADER_ROOM).writeByte('$'), value.length);
                return out.writeBytes(value).writeByte('\r').writeByte('\n');
            } else if (is(in, name, nameLength, SET) && count == 3) {
                byte[] value = new byte[arguments[5]];
                in.getBytes(base + arguments[4], value);
                keyspace.put(key(in, base, 1, true), value);
                return OK.duplicate();
            } else if (is(in, name, nameLength, PING) && count <= 2) {
                return count == 1 ? PONG.duplicate() : bulk(ctx, in, base + arguments[2], arguments[3]);
            } else if (is(in, name, nameLength, ECHO) && count == 2) {
                return bulk(ctx, in, base + arguments[2], arguments[3]);
            } else if (is(in, name, nameLength, DEL) && count >= 2) {
                long removed = 0;
                for (int i = 1; i < count; i++) {
                    removed += keyspace.remove(key(in, base, i, false)) == null ? 0 : 1;
                }
                return decimalLine(ctx.alloc().ioBuffer(HEADER_ROOM).writeByte(':'), removed);
            }
            String command = in.toString(name, Math.min(nameLength, 128), StandardCharsets.ISO_8859_1);
            return Unpooled.copiedBuffer("-ERR unknown command or wrong number of arguments for '"
                    + command.replace('\r', ' ').replace('\n', ' ') + "'\r\n", StandardCharsets.ISO_8859_1);
        }

        /** Argument {@code i} as a key: the probe (valid until the next call) or, to store, a copy. */
        private ByteBuffer key(ByteBuf in, int base, int i, boolean stored) {
            int length = arguments[2 * i + 1];
            if (stored || length > MAX_PROBE) {
                byte[] copy = new byte[length];
                in.getBytes(base + arguments[2 * i], copy);
                return ByteBuffer.wrap(copy);
            }
            in.getBytes(base + arguments[2 * i], probe.array(), 0, length);
            return probe.limit(length).position(0);
        }
    }

    private static ByteBuf bulk(ChannelHandlerContext ctx, ByteBuf from, int index, int length) {
        ByteBuf out = ctx.alloc().ioBuffer(length + HEADER_ROOM);
        decimalLine(out.writeByte('$'), length);
        return out.writeBytes(from, index, length).writeByte('\r').writeByte('\n');
    }

    /** Appends {@code value} (>= 0) in decimal and CRLF, without a String. */
    static ByteBuf decimalLine(ByteBuf out, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits + 2);
        int at = out.writerIndex();
        long v = value;
        for (int i = digits - 1; i >= 0; i--, v /= 10) {
            out.setByte(at + i, (int) ('0' + v % 10));
        }
        return out.writerIndex(at + digits).writeByte('\r').writeByte('\n');
    }

    /** The '\r' ending the header line from {@code from}, or -1 if not here yet; over {@link #MAX_LINE} is an error. */
    private static int lineEnd(ByteBuf in, int from, int end) throws InPlaceHandler.ProtocolError {
        int limit = Math.min(end - 1, from + MAX_LINE + 1);
        int cr = from < limit ? in.indexOf(from, limit, (byte) '\r') : -1;
        if (cr < 0 && end - from > MAX_LINE + 1) {
            throw error("too big count string");
        }
        return cr;
    }

    /** The decimal in {@code in[from, cr)}, followed by '\n'. */
    private static long integer(ByteBuf in, int from, int cr, String invalid) throws InPlaceHandler.ProtocolError {
        boolean negative = cr > from && in.getByte(from) == '-';
        int first = negative ? from + 1 : from;
        if (in.getByte(cr + 1) != '\n' || first == cr || cr - first > 18) {
            throw error(invalid);
        }
        long value = 0;
        for (int i = first; i < cr; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                throw error(invalid);
            }
            value = 10 * value + digit;
        }
        return negative ? -value : value;
    }

    private static InPlaceHandler.ProtocolError error(String message) {
        return new InPlaceHandler.ProtocolError(message, ascii("-ERR Protocol error: " + message + "\r\n"));
    }

    private static ByteBuf constant(String text) {
        byte[] bytes = ascii(text);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
