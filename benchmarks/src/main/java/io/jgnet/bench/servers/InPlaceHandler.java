package io.jgnet.bench.servers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A Netty connection handler that parses requests straight off the inbound ByteBuf, as a Netty
 * user after speed writes one and as jgnet's example servers parse their inbound buffer: no
 * decoder, no message objects. An unfinished request is kept for the next read; a protocol error
 * is answered and closes the connection; a client that does not read its answers is not read
 * until they drain below Netty's low watermark. One per connection, on its loop thread only.
 */
abstract class InPlaceHandler extends ChannelInboundHandlerAdapter {

    /** Bytes of an unfinished request carried to the next read, or null. */
    private ByteBuf pending;
    /** A protocol error was answered; the channel is closing and input is dropped. */
    private boolean failed;

    /**
     * Answers every complete request from {@code in}'s reader index on with {@code ctx.write}
     * (flushed after the read batch), advancing the reader index past them.
     *
     * @throws ProtocolError if the bytes cannot be a request: its reply is sent, then the connection closes
     */
    abstract void serve(ChannelHandlerContext ctx, ByteBuf in);

    /** The bytes the unfinished request needs at least, so its buffer grows once (0: unknown). */
    long wanted() {
        return 0;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf read) || failed) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = pending == null ? read : cumulate(ctx, read);
        pending = null;
        try {
            serve(ctx, in);
        } catch (ProtocolError e) {
            failed = true;
            in.release();
            ctx.channel().config().setAutoRead(false);
            // Answers already written go first; then the stream is unreadable: answer and close.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(e.reply)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (in.isReadable()) {
            pending = in;
        } else {
            in.release();
        }
    }

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false); // a client pipelining without reading
        }
    }

    @Override
    public final void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !failed) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public final void handlerRemoved(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** {@code read} appended to the pending bytes; the result is the caller's. */
    private ByteBuf cumulate(ChannelHandlerContext ctx, ByteBuf read) {
        long wanted = Math.max(wanted(), (long) pending.readableBytes() + read.readableBytes());
        int extra = (int) Math.min(Integer.MAX_VALUE, wanted - pending.readableBytes());
        ByteBuf into = pending;
        if (pending.refCnt() == 1 && pending.maxCapacity() - pending.readableBytes() >= extra) {
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

    /** Whether {@code in[index, index + length)} is {@code name} (upper case), ignoring the case of letters. */
    static boolean is(ByteBuf in, int index, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = in.getByte(index + i);
            if ((b >= 'a' && b <= 'z' ? b - 32 : b) != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** The request stream cannot be read; {@link #reply} is the protocol's error answer. */
    static final class ProtocolError extends RuntimeException {
        final byte[] reply;

        ProtocolError(String message, byte[] reply) {
            super(message, null, false, false); // no stack trace: it says nothing the message does not
            this.reply = reply;
        }
    }
}
