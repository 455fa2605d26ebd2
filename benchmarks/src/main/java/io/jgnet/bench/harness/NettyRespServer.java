package io.jgnet.bench.harness;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Netty 4.2's RESP server for {@link BenchServers}, written by hand as a Netty user after speed
 * would write it, the reference jgnet's example Redis server is compared with: RESP2 arrays of
 * bulk strings and inline commands; PING [message], ECHO message, SET key value, GET key and
 * DEL key...; one keyspace shared by every connection.
 *
 * <h2>How a read is served</h2>
 * No decoder and no message objects: {@code channelRead} parses every complete command in the
 * bytes read ({@link NettyRespParser}, straight off the ByteBuf) and writes each reply with the
 * void promise; {@code channelReadComplete} flushes once, so the replies to a pipelined batch
 * leave in one write. A partial command stays in a buffer for the next read. Fixed replies
 * (+PONG, +OK, $-1) are duplicates of shared direct buffers; the others are pooled direct
 * buffers filled without building Strings. A protocol error answers {@code -ERR Protocol error:
 * ...} and closes that connection only. A client that does not read its replies stops being
 * read (auto-read off) until its output drains below Netty's low watermark.
 *
 * <p>Threading: one instance per server; each connection's handler runs on its channel's loop,
 * and the keyspace is a ConcurrentHashMap, so any number of loops may share it.
 */
final class NettyRespServer {

    private static final ByteBuf PONG = constant("+PONG\r\n");
    private static final ByteBuf OK = constant("+OK\r\n");
    private static final ByteBuf NULL_BULK = constant("$-1\r\n");
    private static final byte[] GET = ascii("GET");
    private static final byte[] SET = ascii("SET");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[] PING = ascii("PING");
    private static final byte[] ECHO = ascii("ECHO");
    /** Room for a bulk or integer reply's type byte, up to 19 digits and two CRLFs. */
    private static final int HEADER_ROOM = 24;
    /** How much of an unknown command's name its error quotes, as Redis bounds it too. */
    private static final int QUOTED_NAME = 128;

    private final ConcurrentHashMap<RespKey, byte[]> keyspace = new ConcurrentHashMap<>();

    /** The child pipeline: one handler per connection, nothing else. */
    ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Connection());
            }
        };
    }

    /** A connection's handler: its parser, its lookup probe and its unfinished bytes. Loop thread only. */
    final class Connection extends ChannelInboundHandlerAdapter {
        private final NettyRespParser parser = new NettyRespParser();
        private final RespKey probe = RespKey.newProbe();
        /** Bytes of an unfinished command carried to the next read, or null. */
        private ByteBuf pending;
        /** A protocol error was answered; the channel is closing and input is dropped. */
        private boolean failed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf read)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (failed) {
                read.release();
                return;
            }
            ByteBuf in = cumulate(ctx, read);
            pending = null;
            try {
                int length;
                while (in.isReadable() && (length = parser.parse(in)) > 0) {
                    execute(ctx, in);
                    in.skipBytes(length);
                }
                parser.trim();
            } catch (NettyRespParser.ProtocolError e) {
                failed = true;
                in.release();
                ctx.channel().config().setAutoRead(false);
                // Replies already written go first; then the stream is unreadable, so answer and close.
                ctx.writeAndFlush(error("ERR Protocol error: " + e.getMessage())).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (in.isReadable()) {
                pending = in;
            } else {
                in.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                // A client pipelining without reading: stop reading until its replies drain.
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && !failed) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** {@code read} appended to the unfinished bytes, if any; the result is owned by the caller. */
        private ByteBuf cumulate(ChannelHandlerContext ctx, ByteBuf read) {
            if (pending == null) {
                return read;
            }
            // Size once for what the command's headers announced, not by doubling through a big value.
            long wanted = Math.max(parser.wanted(), (long) pending.readableBytes() + read.readableBytes());
            int extra = (int) Math.min(Integer.MAX_VALUE, wanted - pending.readableBytes());
            ByteBuf into = pending;
            if (pending.refCnt() == 1 && !pending.isReadOnly() && pending.maxCapacity() - pending.readableBytes() >= extra) {
                pending.discardSomeReadBytes();
                pending.ensureWritable(extra);
            } else {
                into = ctx.alloc().ioBuffer(pending.readableBytes() + extra).writeBytes(pending);
                pending.release();
            }
            into.writeBytes(read);
            read.release();
            return into;
        }

        /** Answers the command just parsed, which starts at {@code in.readerIndex()}. */
        private void execute(ChannelHandlerContext ctx, ByteBuf in) {
            int n = parser.count();
            if (n == 0) {
                return; // an empty line or *0: Redis answers nothing
            }
            int base = in.readerIndex();
            int name = base + parser.offset(0);
            int nameLength = parser.length(0);
            ByteBuf reply;
            if (is(in, name, nameLength, GET)) {
                reply = n != 2 ? arity("get") : get(ctx, in, base);
            } else if (is(in, name, nameLength, SET)) {
                reply = n < 3 ? arity("set") : n > 3 ? error("ERR syntax error") : set(in, base);
            } else if (is(in, name, nameLength, PING)) {
                reply = n == 1 ? PONG.duplicate() : n == 2 ? bulk(ctx, in, base + parser.offset(1), parser.length(1)) : arity("ping");
            } else if (is(in, name, nameLength, ECHO)) {
                reply = n != 2 ? arity("echo") : bulk(ctx, in, base + parser.offset(1), parser.length(1));
            } else if (is(in, name, nameLength, DEL)) {
                reply = n < 2 ? arity("del") : del(ctx, in, base, n);
            } else {
                String quoted = in.toString(name, Math.min(nameLength, QUOTED_NAME), StandardCharsets.ISO_8859_1);
                reply = error("ERR unknown command '" + quoted + "'");
            }
            // The void promise spares a promise object per reply: Netty as tuned for speed.
            ctx.write(reply, ctx.voidPromise());
        }

        private ByteBuf get(ChannelHandlerContext ctx, ByteBuf in, int base) {
            byte[] value = keyspace.get(probe.probe(in, base + parser.offset(1), parser.length(1)));
            if (value == null) {
                return NULL_BULK.duplicate();
            }
            ByteBuf out = ctx.alloc().ioBuffer(value.length + HEADER_ROOM);
            writeDecimalLine(out.writeByte('$'), value.length);
            return out.writeBytes(value).writeByte('\r').writeByte('\n');
        }

        private ByteBuf set(ByteBuf in, int base) {
            byte[] value = new byte[parser.length(2)];
            in.getBytes(base + parser.offset(2), value);
            keyspace.put(probe.probe(in, base + parser.offset(1), parser.length(1)).stored(), value);
            return OK.duplicate();
        }

        private ByteBuf del(ChannelHandlerContext ctx, ByteBuf in, int base, int n) {
            long removed = 0;
            for (int i = 1; i < n; i++) {
                if (keyspace.remove(probe.probe(in, base + parser.offset(i), parser.length(i))) != null) {
                    removed++;
                }
            }
            return writeDecimalLine(ctx.alloc().ioBuffer(HEADER_ROOM).writeByte(':'), removed);
        }
    }

    /** A bulk string reply holding {@code in[index, index + length)}. */
    private static ByteBuf bulk(ChannelHandlerContext ctx, ByteBuf in, int index, int length) {
        ByteBuf out = ctx.alloc().ioBuffer(length + HEADER_ROOM);
        writeDecimalLine(out.writeByte('$'), length);
        return out.writeBytes(in, index, length).writeByte('\r').writeByte('\n');
    }

    /** Whether {@code in[index, index + length)} is {@code name} (upper case), ignoring case. */
    private static boolean is(ByteBuf in, int index, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            // Clearing bit 5 upper-cases a letter; the names are letters only, so nothing else matches.
            if ((in.getByte(index + i) & 0xDF) != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code value} (>= 0) in decimal and CRLF, without a String. */
    static ByteBuf writeDecimalLine(ByteBuf out, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits + 2);
        int at = out.writerIndex();
        long v = value;
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        return out.writerIndex(at + digits).writeByte('\r').writeByte('\n');
    }

    private static ByteBuf arity(String command) {
        return error("ERR wrong number of arguments for '" + command + "' command");
    }

    /** An error reply; errors are rare, so a String is fine here. CR and LF would end it early. */
    private static ByteBuf error(String message) {
        return Unpooled.copiedBuffer("-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n", StandardCharsets.ISO_8859_1);
    }

    /** A shared, never freed direct buffer; each reply writes a duplicate with its own indexes. */
    private static ByteBuf constant(String text) {
        byte[] bytes = ascii(text);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
