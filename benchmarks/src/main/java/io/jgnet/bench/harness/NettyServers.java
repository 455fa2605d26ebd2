package io.jgnet.bench.harness;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's side of {@link BenchServers}: its echo, HTTP ({@link NettyHttpServer}) and RESP
 * ({@link NettyRespServer}) servers on the nio, native epoll or native io_uring transport.
 *
 * <p>One {@code MultiThreadIoEventLoopGroup(1)} is both boss and worker group, so one thread
 * accepts and serves, the closest match to jgnet's one loop (whose acceptor is idle once the
 * connections are in). Buffers come from Netty's default allocator (adaptive, pooled, direct
 * for I/O in 4.2), as in any Netty deployment that does not tune it away.
 *
 * <p>Threading: {@link #start} and {@link #facts} from any thread.
 */
final class NettyServers {

    /** How long a stopping group may take; quiet period none, the process is going away. */
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 2;

    private NettyServers() {
    }

    /** A Netty transport: its I/O handler and its server channel. */
    private record Transport(String name, IoHandlerFactory io, Class<? extends ServerChannel> channel) {
    }

    /**
     * Starts {@code protocol} on Netty's {@code transport} ("nio", "epoll" or "io_uring") at
     * 127.0.0.1:{@code port}.
     *
     * @throws BenchServers.Unavailable if a native transport cannot run here: failing loudly
     *                                  rather than turning into a second nio run
     */
    static BenchServers.Running start(String protocol, String transport, int port)
            throws BenchServers.Unavailable, IOException, InterruptedException {
        Transport t = transport(transport);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, t.io());
        try {
            Channel server = new ServerBootstrap()
                    .group(group, group)
                    .channel(t.channel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(childHandler(protocol, group))
                    .bind("127.0.0.1", port).sync().channel();
            List<EventExecutor> loops = new ArrayList<>();
            group.forEach(loops::add);
            List<Thread> threads = BenchServers.loopThreads(loops);
            CompletableFuture<Void> terminated = new CompletableFuture<>();
            group.terminationFuture().addListener(f -> terminated.complete(null));
            int bound = ((InetSocketAddress) server.localAddress()).getPort();
            String description = "netty transport=" + t.name() + " channel=" + t.channel().getSimpleName()
                    + " loops=" + loops.size() + " unsafe=" + PlatformDependent.hasUnsafe()
                    + " allocator=" + ByteBufAllocator.DEFAULT.getClass().getSimpleName();
            return new BenchServers.Running(bound, description, threads, () -> {
                server.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                stop(group);
            }, terminated);
        } catch (InterruptedException | IOException | RuntimeException e) {
            stop(group);
            throw e;
        }
    }

    private static void stop(EventLoopGroup group) {
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(2 * SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static Transport transport(String name) throws BenchServers.Unavailable {
        return switch (name) {
            case "nio" -> new Transport(name, NioIoHandler.newFactory(), NioServerSocketChannel.class);
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new BenchServers.Unavailable("netty epoll: " + Epoll.unavailabilityCause());
                }
                yield new Transport(name, EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
            }
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    throw new BenchServers.Unavailable("netty io_uring: " + IoUring.unavailabilityCause());
                }
                yield new Transport(name, IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class);
            }
            default -> throw new IllegalArgumentException("unknown netty transport " + name);
        };
    }

    private static ChannelHandler childHandler(String protocol, EventLoopGroup group) {
        return switch (protocol) {
            case "echo" -> Echo.INSTANCE;
            case "http" -> new NettyHttpServer(group).initializer();
            case "resp" -> new NettyRespServer().initializer();
            default -> throw new IllegalArgumentException("unknown protocol " + protocol);
        };
    }

    /**
     * Whether Netty runs as tuned in this JVM: its native transports and Unsafe, with the
     * reason for each that is missing. Keys as in {@link BenchServers}' check.
     */
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
        if (!PlatformDependent.hasUnsafe()) {
            facts.put("netty.unsafe.cause", String.valueOf(PlatformDependent.getUnsafeUnavailabilityCause()));
        }
        facts.put("netty.allocator", ByteBufAllocator.DEFAULT.getClass().getSimpleName());
        return facts;
    }

    /** Netty's idiomatic echo: queue each read, flush once per read batch. Stateless, shared. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // The void promise spares a promise object per message: Netty as tuned for speed.
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
