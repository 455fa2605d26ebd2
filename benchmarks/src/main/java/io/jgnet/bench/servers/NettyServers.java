package io.jgnet.bench.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Netty 4.2's side of {@link BenchServers} on the nio, native epoll or native io_uring transport:
 * its idiomatic echo, the framed echoes through the pipelines a Netty user writes
 * (LengthFieldBasedFrameDecoder + LengthFieldPrepender, LineBasedFrameDecoder + a newline
 * appender), {@link NettyHttp} and {@link NettyResp}, each also behind an SslHandler (JDK
 * provider, {@link BenchTls}'s certificate and suite). One {@code MultiThreadIoEventLoopGroup(1)}
 * is boss and worker, as jgnet's one loop; buffers come from Netty's default allocator.
 * Threading: {@link #start} and {@link #facts} from any thread.
 */
final class NettyServers {

    private static final long SHUTDOWN_SECONDS = 2;

    private NettyServers() {
    }

    private record Transport(IoHandlerFactory io, Class<? extends ServerChannel> channel) {
    }

    /** Starts {@code protocol} on Netty's {@code transport}; a native transport that cannot load is Unavailable. */
    static BenchServers.Running start(String protocol, String transport, int port)
            throws BenchServers.Unavailable, IOException, InterruptedException {
        Transport t = switch (transport) {
            case "nio" -> new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class);
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new BenchServers.Unavailable("netty epoll: " + Epoll.unavailabilityCause());
                }
                yield new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
            }
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    throw new BenchServers.Unavailable("netty io_uring: " + IoUring.unavailabilityCause());
                }
                yield new Transport(IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
            }
            default -> throw new IllegalArgumentException("unknown netty transport " + transport);
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, t.io());
        Runnable stop = () -> group.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        try {
            Channel server = new ServerBootstrap().group(group, group).channel(t.channel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(childHandler(protocol, group))
                    .bind("127.0.0.1", port).sync().channel();
            String description = "netty transport=" + transport + " channel=" + t.channel().getSimpleName()
                    + " unsafe=" + PlatformDependent.hasUnsafe() + " allocator=" + ByteBufAllocator.DEFAULT.getClass().getSimpleName();
            return new BenchServers.Running(((InetSocketAddress) server.localAddress()).getPort(), description,
                    List.of(BenchServers.loopThread(group.next())), stop);
        } catch (InterruptedException | IOException | RuntimeException e) {
            stop.run();
            throw e;
        }
    }

    private static ChannelHandler childHandler(String protocol, EventLoopGroup group) throws IOException {
        String served = BenchTls.served(protocol);
        if (!served.equals(protocol)) {
            // The same server behind an SslHandler on the JDK's provider, with jgnet's certificate and suite.
            SslContext ssl = BenchTls.netty();
            ChannelHandler inner = childHandler(served, group);
            return perChannel(ch -> {
                SslHandler handler = ssl.newHandler(ch.alloc());
                handler.setHandshakeTimeoutMillis(BenchTls.HANDSHAKE_TIMEOUT.toMillis());
                return List.of(handler, inner);
            });
        }
        return switch (protocol) {
            case "echo" -> Echo.INSTANCE;
            case "http" -> NettyHttp.minimal(group);
            case "http-codec" -> NettyHttp.codec(group);
            case "resp" -> NettyResp.initializer();
            case "frame-length" -> perChannel(ch -> List.of(
                    new LengthFieldBasedFrameDecoder(JgnetServers.MAX_FRAME, 0, 4, 0, 4), LENGTH_PREPENDER, Echo.INSTANCE));
            case "frame-line" -> perChannel(ch -> List.of(
                    new LineBasedFrameDecoder(JgnetServers.MAX_FRAME, true, false), LineAppender.INSTANCE, Echo.INSTANCE));
            default -> throw new IllegalArgumentException("netty serves no " + protocol);
        };
    }

    /** The prepender keeps no state: one instance serves every channel. */
    private static final LengthFieldPrepender LENGTH_PREPENDER = new LengthFieldPrepender(4);

    /** A child initializer adding a fresh set of handlers (decoders and parsers keep state) to each channel. */
    static ChannelInitializer<Channel> perChannel(Function<Channel, List<ChannelHandler>> handlers) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(handlers.apply(ch).toArray(ChannelHandler[]::new));
            }
        };
    }

    /** Whether Netty runs as tuned in this JVM: its native transports and Unsafe, with reasons. */
    static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("netty.epoll.available", Boolean.toString(Epoll.isAvailable()));
        if (!Epoll.isAvailable()) {
            facts.put("netty.epoll.cause", String.valueOf(Epoll.unavailabilityCause()));
        }
        facts.put("netty.io_uring.available", Boolean.toString(IoUring.isAvailable()));
        if (!IoUring.isAvailable()) {
            facts.put("netty.io_uring.cause", String.valueOf(IoUring.unavailabilityCause()));
        }
        facts.put("netty.unsafe", Boolean.toString(PlatformDependent.hasUnsafe()));
        facts.put("netty.allocator", ByteBufAllocator.DEFAULT.getClass().getSimpleName());
        return facts;
    }

    /** A handler that writes with the void promise and flushes once per read batch, as Netty tuned for speed does. */
    abstract static class BatchWriter extends ChannelInboundHandlerAdapter {
        @Override
        public final void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Netty's idiomatic echo: each message written back as it is read. Stateless, shared. */
    @ChannelHandler.Sharable
    static final class Echo extends BatchWriter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }
    }

    /** The encoder half of a line protocol (Netty ships none for bytes): the frame and a shared newline, no copy. Shared. */
    @ChannelHandler.Sharable
    static final class LineAppender extends MessageToMessageEncoder<ByteBuf> {
        static final LineAppender INSTANCE = new LineAppender();
        private static final ByteBuf NEWLINE = Unpooled.unreleasableBuffer(Unpooled.directBuffer(1).writeByte('\n'));

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            out.add(frame.retain());
            out.add(NEWLINE.duplicate());
        }
    }
}
