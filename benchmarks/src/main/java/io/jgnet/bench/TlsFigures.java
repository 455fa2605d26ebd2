package io.jgnet.bench;

import com.sun.management.ThreadMXBean;
import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.TransportKind;
import io.jgnet.bench.servers.JgnetServers;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * TLS figures, jgnet against Netty 4.2's SslHandler (JDK provider, TLS 1.3, same certificate
 * and so the same cipher suite), each server on one event-loop thread in this JVM while the
 * clients run in a child JVM:
 * <ul>
 *   <li>echo-64 over TLS: loop-thread CPU and bytes allocated per request (handshakes excluded:
 *       measured after a warm-up on connections already up);</li>
 *   <li>handshake rate: new TLS connections per second with one request each (sessions not
 *       resumed) and loop-thread CPU per handshake;</li>
 *   <li>memory per idle connection (heap and direct memory after GC), next to plaintext jgnet.</li>
 * </ul>
 * Not part of the matrix: a first measurement, noisy on a shared machine; read the CPU and
 * allocation columns first.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * io.jgnet.bench.TlsFigures [nio|epoll|io_uring] [seconds] [servers, e.g. netty-tls,jgnet-tls,jgnet-plain]}
 */
public final class TlsFigures {
    static final String PASSWORD = "bench-only";
    private static final int CONNECTIONS = 16;
    private static final int IDLE = 2000;

    private TlsFigures() {
    }

    /** A server under test: its port, the thread that does its I/O, and how to stop it. */
    private interface Server extends AutoCloseable {
        int port();

        Thread loop();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("client")) {
            Clients.main(args);
            return;
        }
        Path store = selfSigned();
        if (args.length > 0 && args[0].equals("engine")) {
            System.out.printf(Locale.ROOT, "SSLEngine alone, bytes per request: %.1f direct sources, %.1f heap sources%n",
                    engineAllocation(store, true), engineAllocation(store, false));
            return;
        }
        TransportKind transport = args.length > 0 ? TransportKind.parse(args[0]) : TransportKind.EPOLL;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "%-18s %12s %12s %14s %12s %14s %16s%n", "server", "echo req/s", "cpu us/req",
                "alloc B/req", "hs/s", "cpu us/hs", "idle B/conn");
        // The first server also warms the JDK's TLS code for the others: an order may be given.
        List<String> kinds = args.length > 2 ? List.of(args[2].split(",")) : List.of("jgnet-tls", "netty-tls", "jgnet-plain");
        for (String kind : kinds) {
            boolean tls = !kind.endsWith("plain");
            try (Server server = start(kind, transport, store)) {
                long[] echo = echo(server, tls, seconds);
                long[] handshakes = tls ? handshakes(server, seconds) : null;
                long idle = idle(server, tls);
                System.out.printf(Locale.ROOT, "%-18s %12.0f %12.2f %14.1f %12s %14s %16d%n", kind,
                        echo[0] / (double) seconds, echo[1] / 1000.0 / echo[0], echo[2] / (double) echo[0],
                        handshakes == null ? "-" : String.format(Locale.ROOT, "%.0f", handshakes[0] / (double) seconds),
                        handshakes == null ? "-" : String.format(Locale.ROOT, "%.1f", handshakes[1] / 1000.0 / handshakes[0]),
                        idle);
            }
        }
        System.out.printf(Locale.ROOT, "%-18s %40.1f   (server unwrap+wrap of one 64-byte request, in memory;"
                + " direct sources as jgnet passes them)%n", "SSLEngine alone", engineAllocation(store, true));
        System.out.printf(Locale.ROOT, "%-18s %40.1f   (the same with heap sources)%n", "SSLEngine alone",
                engineAllocation(store, false));
        System.out.println("(" + transport.name().toLowerCase(Locale.ROOT) + " for jgnet, "
                + (Epoll.isAvailable() ? "epoll" : "nio") + " for Netty; " + CONNECTIONS + " connections, 64-byte"
                + " messages one in flight each; idle: " + IDLE + " connections, heap+direct after GC)");
    }

    /**
     * What the JDK's SSLEngine itself allocates per 64-byte request on the server side (one
     * unwrap, one wrap), engines connected in memory: the floor under any SSLEngine-based server.
     */
    private static double engineAllocation(Path store, boolean directSources) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLSv1.3");
        serverContext.init(factory.getKeyManagers(), null, null);
        javax.net.ssl.SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        javax.net.ssl.SSLEngine client = Clients.trustingAll().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        java.nio.ByteBuffer toServer = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer toClient = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer scratch = java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer empty = java.nio.ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 1000 && (toServer.position() > 0 || toClient.position() > 0 || i < 10
                || client.getHandshakeStatus() != javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                || server.getHandshakeStatus() != javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING); i++) {
            pump(client, empty, toServer, toClient, scratch);
            pump(server, empty, toClient, toServer, scratch);
        }
        java.nio.ByteBuffer request = directSources ? java.nio.ByteBuffer.allocateDirect(64) : java.nio.ByteBuffer.allocate(64);
        java.nio.ByteBuffer record = directSources ? java.nio.ByteBuffer.allocateDirect(1 << 16) : java.nio.ByteBuffer.allocate(1 << 16);
        java.nio.ByteBuffer[] one = new java.nio.ByteBuffer[1];
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long serverBytes = 0;
        int n = 200_000;
        for (int i = 0; i < 2 * n; i++) {
            request.clear();
            record.clear();
            client.wrap(request, record);
            record.flip();
            long before = threads.getCurrentThreadAllocatedBytes();
            scratch.clear();
            one[0] = scratch;
            server.unwrap(record, one, 0, 1);
            scratch.flip();
            java.nio.ByteBuffer reply = directSources ? request.clear() : scratch;
            toClient.clear();
            one[0] = reply;
            server.wrap(one, 0, 1, toClient);
            long after = threads.getCurrentThreadAllocatedBytes();
            if (i >= n) {
                serverBytes += after - before;
            }
            toClient.flip();
            scratch.clear();
            client.unwrap(toClient, scratch);
        }
        return serverBytes / (double) n;
    }

    /** One step of an in-memory handshake: runs tasks, wraps what the engine owes, unwraps what came. */
    private static void pump(javax.net.ssl.SSLEngine engine, java.nio.ByteBuffer empty, java.nio.ByteBuffer out,
            java.nio.ByteBuffer in, java.nio.ByteBuffer scratch) throws IOException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        if (engine.getHandshakeStatus() == javax.net.ssl.SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            engine.wrap(empty, out);
        } else if (in.position() > 0) {
            in.flip();
            scratch.clear();
            engine.unwrap(in, scratch);
            in.compact();
        }
    }

    // -------------------------------------------------------------------------- servers

    private static Server start(String kind, TransportKind transport, Path store) throws Exception {
        return switch (kind) {
            case "jgnet-tls", "jgnet-plain" -> {
                Options.Builder options = Options.builder().transport(transport).loops(1);
                String address = "tcp://127.0.0.1:0";
                if (kind.equals("jgnet-tls")) {
                    options.tls(Tls.builder().keyStore(store, PASSWORD.toCharArray()).protocols("TLSv1.3").build());
                    address = "tls://127.0.0.1:0";
                }
                Engine engine = Jgnet.start(JgnetServers.echo("echo"), List.of(address), options.build());
                Thread loop = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("jgnet-loop-0")).findFirst().orElseThrow();
                yield new Server() {
                    public int port() {
                        return ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
                    }

                    public Thread loop() {
                        return loop;
                    }

                    public void close() throws InterruptedException {
                        engine.stop(Duration.ofSeconds(5));
                    }
                };
            }
            case "netty-tls" -> netty(store);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Server netty(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SslContext ssl = SslContextBuilder.forServer(factory).sslProvider(SslProvider.JDK).protocols("TLSv1.3").build();
        Thread[] loop = new Thread[1];
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            loop[0] = new Thread(r, "netty-tls-loop");
            return loop[0];
        }, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Channel channel = new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.write(msg);
                            }

                            @Override
                            public void channelReadComplete(ChannelHandlerContext ctx) {
                                ctx.flush();
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return new Server() {
            public int port() {
                return ((InetSocketAddress) channel.localAddress()).getPort();
            }

            public Thread loop() {
                return loop[0];
            }

            public void close() throws InterruptedException {
                channel.close().sync();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        };
    }

    // ------------------------------------------------------------------------ measurements

    /** {requests, loop CPU ns, loop bytes allocated} over the measured window. */
    private static long[] echo(Server server, boolean tls, int seconds) throws Exception {
        return window(server, "echo", tls, seconds);
    }

    /** {handshakes, loop CPU ns, loop bytes allocated}. */
    private static long[] handshakes(Server server, int seconds) throws Exception {
        return window(server, "handshakes", true, seconds);
    }

    private static long[] window(Server server, String mode, boolean tls, int seconds) throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = server.loop().threadId();
        Process child = client(mode, server.port(), tls, seconds);
        try (BufferedReader out = child.inputReader(StandardCharsets.UTF_8)) {
            expect(out, "measuring");
            long cpu = threads.getThreadCpuTime(id);
            long allocated = threads.getThreadAllocatedBytes(id);
            String done = expect(out, "done");
            long count = Long.parseLong(done.substring("done ".length()).strip());
            return new long[] {count, threads.getThreadCpuTime(id) - cpu, threads.getThreadAllocatedBytes(id) - allocated};
        } finally {
            child.waitFor(30, TimeUnit.SECONDS);
            child.destroyForcibly();
        }
    }

    /** Bytes of heap and direct memory per idle connection, after GC, with {@link #IDLE} open. */
    private static long idle(Server server, boolean tls) throws Exception {
        long before = retained();
        Process child = client("idle", server.port(), tls, 0);
        try (BufferedReader out = child.inputReader(StandardCharsets.UTF_8)) {
            expect(out, "measuring");
            long after = retained();
            child.getOutputStream().close(); // lets the child close its connections and end
            expect(out, "done");
            return (after - before) / IDLE;
        } finally {
            child.waitFor(30, TimeUnit.SECONDS);
            child.destroyForcibly();
        }
    }

    private static long retained() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // lets the loops settle between collections; a measurement, not a test
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        return heap + direct;
    }

    private static Process client(String mode, int port, boolean tls, int seconds) throws IOException {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), TlsFigures.class.getName(), "client", mode,
                String.valueOf(port), String.valueOf(tls), String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String expect(BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("the client ended before saying " + prefix);
    }

    /** A PKCS#12 store with a self-signed EC certificate for localhost, made by the JDK's keytool. */
    static Path selfSigned() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jgnet-bench-tls-");
        Path store = dir.resolve("bench.p12");
        store.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD).redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed");
        }
        return store;
    }

    // --------------------------------------------------------------------------- clients

    /** The child JVM: blocking clients (SSLSocket or Socket) that trust anything, as load only. */
    static final class Clients {
        public static void main(String[] args) throws Exception {
            String mode = args[1];
            int port = Integer.parseInt(args[2]);
            boolean tls = Boolean.parseBoolean(args[3]);
            int seconds = Integer.parseInt(args[4]);
            SSLContext context = trustingAll();
            switch (mode) {
                case "echo" -> echo(context, port, tls, seconds);
                case "handshakes" -> handshakes(context, port, seconds);
                case "idle" -> idle(context, port, tls);
                default -> throw new IllegalArgumentException(mode);
            }
        }

        /** A client context that trusts any server: load generation only, never for real use. */
        static SSLContext trustingAll() throws Exception {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
                }

                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
                }

                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return context;
        }

        private static Socket open(SSLContext context, int port, boolean tls) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            if (!tls) {
                return socket;
            }
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", port, true);
            ssl.startHandshake();
            return ssl;
        }

        private static void roundTrip(Socket socket, byte[] message) throws IOException {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(message);
            out.flush();
            if (in.readNBytes(message.length).length != message.length) {
                throw new IOException("closed");
            }
        }

        private static void echo(SSLContext context, int port, boolean tls, int seconds) throws Exception {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                sockets.add(open(context, port, tls));
            }
            byte[] message = new byte[64];
            AtomicLong count = new AtomicLong();
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            List<Thread> threads = new ArrayList<>();
            for (Socket socket : sockets) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            roundTrip(socket, message);
                            if (System.nanoTime() >= warmEnd) {
                                count.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmEnd - System.nanoTime()));
            System.out.println("measuring");
            for (Thread thread : threads) {
                thread.join();
            }
            System.out.println("done " + count.get());
            for (Socket socket : sockets) {
                socket.close();
            }
        }

        private static void handshakes(SSLContext context, int port, int seconds) throws Exception {
            byte[] message = new byte[64];
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            boolean measuring = false;
            long count = 0;
            while (System.nanoTime() < end) {
                if (!measuring && System.nanoTime() >= warmEnd) {
                    System.out.println("measuring");
                    measuring = true;
                }
                try (Socket socket = open(context, port, true)) {
                    roundTrip(socket, message);
                    ((SSLSocket) socket).getSession().invalidate(); // a full handshake every time
                }
                if (measuring) {
                    count++;
                }
            }
            System.out.println("done " + count);
        }

        private static void idle(SSLContext context, int port, boolean tls) throws Exception {
            byte[] message = new byte[64];
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < IDLE; i++) {
                Socket socket = open(context, port, tls);
                roundTrip(socket, message);
                sockets.add(socket);
            }
            System.out.println("measuring");
            System.in.read(); // until the parent closes our stdin
            for (Socket socket : sockets) {
                socket.close();
            }
            System.out.println("done");
        }
    }
}
