package io.jgnet.bench.harness;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.HttpServer;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * jgnet's side of {@link BenchServers}: the echo handler, the example HTTP server and the
 * example Redis server, each on one event loop of the chosen transport.
 *
 * <p>Threading: {@link #start} from any thread but a jgnet loop's.
 */
final class JgnetServers {

    /** How long a stopping engine may take to send what it has already been given. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private JgnetServers() {
    }

    /**
     * Starts {@code protocol} on jgnet's {@code transport} ("nio" or "epoll") at
     * 127.0.0.1:{@code port}.
     *
     * @throws BenchServers.Unavailable if the transport cannot run in this JVM (epoll without
     *                                  native access, or not on Linux)
     */
    static BenchServers.Running start(String protocol, String transport, int port)
            throws BenchServers.Unavailable, IOException, InterruptedException {
        TransportKind kind = switch (transport) {
            case "nio" -> TransportKind.NIO;
            case "epoll" -> TransportKind.EPOLL;
            default -> throw new IllegalArgumentException("unknown jgnet transport " + transport);
        };
        // loops(1): one thread does all the I/O, as in the Netty servers; TCP_NODELAY is jgnet's default.
        Options base = Options.builder().loops(1).transport(kind).build();
        String address = "tcp://127.0.0.1:" + port;
        Engine engine;
        try {
            engine = switch (protocol) {
                case "echo" -> Jgnet.start(new Echo(), base, address);
                case "http" -> {
                    HttpConfig config = HttpConfig.defaults();
                    yield Jgnet.start(HttpServer.handler(config), HttpServer.options(config, base), address);
                }
                case "resp" -> RedisServer.start(RedisConfig.defaults(), base, address);
                default -> throw new IllegalArgumentException("unknown protocol " + protocol);
            };
        } catch (UnsupportedOperationException e) {
            // What jgnet throws for a transport it cannot run here, with the reason; no fallback.
            throw new BenchServers.Unavailable("jgnet " + transport + ": " + e.getMessage());
        }
        try {
            List<Thread> loops = BenchServers.loopThreads(engine.eventLoops().stream()
                    .map(loop -> (Executor) loop::execute).toList());
            CompletableFuture<Void> terminated = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("jgnet-termination").start(() -> {
                try {
                    engine.awaitTermination();
                    terminated.complete(null);
                } catch (InterruptedException e) {
                    terminated.completeExceptionally(e);
                }
            });
            int bound = ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
            return new BenchServers.Running(bound, "jgnet transport=" + engine.transport() + " loops="
                    + engine.eventLoops().size(), loops, () -> stop(engine), terminated);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(engine);
            throw e;
        }
    }

    private static void stop(Engine engine) {
        try {
            engine.stop(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Echoes every byte it reads. Stateless; one instance serves every connection. */
    private static final class Echo implements EventHandler {
        @Override
        public Action onTraffic(Conn conn) {
            // next(-1) hands over every buffered byte; write copies them before the view goes stale.
            conn.write(conn.next(-1));
            return Action.NONE;
        }
    }
}
