package io.jgnet.bench.harness;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.HttpServer;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The protocol servers {@link RedisBench} and {@link HttpBench} compare, one per JVM process so
 * that {@code /proc/PID/stat} holds that server's CPU alone. Usage:
 *
 * <pre>
 * ProtocolServers KIND PORT [--watch-stdin]   serve 127.0.0.1:PORT (0 = any free port);
 *                                             prints "READY port ..." like {@link EchoServers}
 * </pre>
 *
 * <p>KIND is one of {@link #KINDS}: {@code jgnet-redis} (the example {@link RedisServer}),
 * {@code jgnet-http} (the example {@link HttpServer}), both on one epoll loop, and
 * {@code netty-http} ({@link NettyHttpServer}, one Netty epoll loop). redis-server, the other
 * Redis, is not a Java program; the orchestrator starts it directly. With {@code --watch-stdin}
 * the server exits when the orchestrator goes away, as the echo servers do.
 */
public final class ProtocolServers {

    /** The server kinds this class can run. */
    public static final List<String> KINDS = List.of("jgnet-redis", "jgnet-http", "netty-http");

    private ProtocolServers() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        boolean watchStdin = args.length == 3 && args[2].equals("--watch-stdin");
        if (args.length < 2 || args.length > 3 || !KINDS.contains(args[0]) || args.length == 3 && !watchStdin) {
            System.err.println("usage: ProtocolServers {" + String.join("|", KINDS) + "} PORT [--watch-stdin]");
            System.exit(2);
        }
        if (watchStdin) {
            EchoServers.exitWhenStdinCloses();
        }
        int port = Integer.parseInt(args[1]);
        // One loop on epoll for both jgnet servers: the same shape as the one-thread references.
        Options base = Options.builder().loops(1).transport(TransportKind.EPOLL).build();
        String address = "tcp://127.0.0.1:" + port;
        switch (args[0]) {
            case "jgnet-redis" -> serve(RedisServer.start(RedisConfig.defaults(), base, address), "jgnet redis");
            case "jgnet-http" -> {
                HttpConfig config = HttpConfig.defaults();
                serve(Jgnet.start(HttpServer.handler(config), HttpServer.options(config, base), address), "jgnet http");
            }
            case "netty-http" -> NettyHttpServer.run(port);
            default -> throw new AssertionError(args[0]);
        }
    }

    private static void serve(Engine engine, String what) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                engine.stop(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int bound = ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
        EchoServers.ready(bound, what + " transport=" + engine.transport() + " loops=" + engine.eventLoops().size());
        engine.awaitTermination();
    }
}
