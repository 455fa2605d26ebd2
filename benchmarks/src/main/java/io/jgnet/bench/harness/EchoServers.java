package io.jgnet.bench.harness;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The echo servers the harness compares, one per JVM process so that {@code /proc/PID/stat} holds
 * that server's CPU and nothing else. Usage:
 *
 * <pre>
 * EchoServers KIND PORT [--watch-stdin]
 *                           serve 127.0.0.1:PORT (0 = any free port); prints "READY port ..."
 * EchoServers check         prints whether Netty has native epoll and Unsafe, and whether
 *                           this JVM grants jgnet native access
 * </pre>
 *
 * <p>KIND is one of {@link #KINDS}. Every server runs ONE event-loop thread that does all of the
 * I/O, so CPU per message compares the frameworks' loops and not their thread counts:
 * <ul>
 *   <li>jgnet: {@code loops(1)}; its acceptor is separate but idle once the connections are in.</li>
 *   <li>Netty: a single {@code MultiThreadIoEventLoopGroup(1)} serves as both boss and worker
 *       group, so one thread accepts and echoes, the closest match to jgnet's one loop. The
 *       handler is Netty's idiomatic echo: {@code write} in channelRead with the void promise,
 *       {@code flush} in channelReadComplete, so both frameworks send once per read batch.</li>
 * </ul>
 * Both set TCP_NODELAY (jgnet's default). The server runs until it is killed (SIGTERM stops it)
 * or, with {@code --watch-stdin} (which the orchestrator passes), until its standard input
 * reaches end of file, which happens when the orchestrator dies, so no server outlives a
 * crashed run. Without the flag it can be run by hand, in the background or under nohup.
 */
public final class EchoServers {

    /** The server kinds, in the order the orchestrator runs them by default. */
    public static final List<String> KINDS = List.of("jgnet-nio", "jgnet-epoll", "netty-nio", "netty-epoll");

    private EchoServers() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("check")) {
            check();
            return;
        }
        boolean watchStdin = args.length == 3 && args[2].equals("--watch-stdin");
        if (args.length < 2 || args.length > 3 || !KINDS.contains(args[0]) || args.length == 3 && !watchStdin) {
            System.err.println("usage: EchoServers check | EchoServers {" + String.join("|", KINDS) + "} PORT [--watch-stdin]");
            System.exit(2);
        }
        if (watchStdin) {
            exitWhenStdinCloses();
        }
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        switch (kind) {
            case "jgnet-nio" -> jgnet(TransportKind.NIO, port);
            case "jgnet-epoll" -> jgnet(TransportKind.EPOLL, port);
            case "netty-nio" -> netty(NioIoHandler.newFactory(), NioServerSocketChannel.class, port);
            case "netty-epoll" -> {
                // Fail loudly rather than let a missing native library turn this into a second nio run.
                Epoll.ensureAvailability();
                netty(EpollIoHandler.newFactory(), EpollServerSocketChannel.class, port);
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** One line per fact, "key: value", parsed by {@link EchoBench}. */
    private static void check() {
        System.out.println("netty.epoll.available: " + Epoll.isAvailable());
        if (!Epoll.isAvailable()) {
            System.out.println("netty.epoll.cause: " + Epoll.unavailabilityCause());
        }
        System.out.println("netty.unsafe: " + PlatformDependent.hasUnsafe());
        if (!PlatformDependent.hasUnsafe()) {
            System.out.println("netty.unsafe.cause: " + PlatformDependent.getUnsafeUnavailabilityCause());
        }
        System.out.println("jgnet.native-access: " + EchoServers.class.getModule().isNativeAccessEnabled());
        System.out.println("jvm: " + Runtime.version() + " " + System.getProperty("java.vm.name"));
    }

    private static void jgnet(TransportKind transport, int port) throws IOException, InterruptedException {
        EventHandler echo = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                // next(-1) hands over every buffered byte; write copies them before the view goes stale.
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        };
        Options options = Options.builder().loops(1).transport(transport).build();
        Engine engine = Jgnet.start(echo, options, "tcp://127.0.0.1:" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.stop(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int bound = ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
        ready(bound, "jgnet transport=" + engine.transport() + " loops=" + engine.eventLoops().size());
        engine.awaitTermination();
    }

    private static void netty(IoHandlerFactory io, Class<? extends ServerChannel> channel, int port)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            Channel server = new ServerBootstrap()
                    .group(group, group)
                    .channel(channel)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(NettyEcho.INSTANCE)
                    .bind("127.0.0.1", port).sync().channel();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().syncUninterruptibly();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }));
            int bound = ((InetSocketAddress) server.localAddress()).getPort();
            ready(bound, "netty channel=" + channel.getSimpleName() + " unsafe=" + PlatformDependent.hasUnsafe());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** The line the orchestrator waits for; the port first so it is easy to parse. */
    static void ready(int port, String detail) {
        System.out.println("READY " + port + " " + detail);
        System.out.flush();
    }

    /**
     * The orchestrator holds this process's standard input open; end of file means it has gone,
     * and a server left running would skew every later measurement on this machine.
     */
    static void exitWhenStdinCloses() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // input is ignored; only its end matters
                }
            } catch (IOException e) {
                // treat a broken stdin as the orchestrator gone
            }
            System.exit(0);
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Netty's idiomatic echo: queue each read, flush once per read batch. */
    @ChannelHandler.Sharable
    private static final class NettyEcho extends ChannelInboundHandlerAdapter {
        static final NettyEcho INSTANCE = new NettyEcho();

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
