package io.jgnet.bench.servers;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.HttpServer;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.RedisServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * jgnet's side of {@link BenchServers}, each on one event loop: an echo handler, the example HTTP
 * and Redis servers, and {@link FrameHandler} echoes over the length-field and line codecs (the
 * framing of Netty's LengthFieldBasedFrameDecoder and LineBasedFrameDecoder). With
 * {@value BenchServers#TIMEOUTS_PROPERTY}={@code on}, every connection also gets idle, read and
 * write timeouts of 10 minutes, so none expires in a run. Threading: {@link #start} from any
 * thread but a jgnet loop's.
 */
public final class JgnetServers {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /** The longest frame either codec accepts, as in the Netty pipelines. */
    static final int MAX_FRAME = 1024 * 1024;
    private static final Duration BENCH_TIMEOUT = Duration.ofMinutes(10);

    private JgnetServers() {
    }

    /** Starts {@code protocol} on jgnet's {@code transport} ("nio", "epoll" or "io_uring"). */
    static BenchServers.Running start(String protocol, String transport, int port)
            throws BenchServers.Unavailable, IOException, InterruptedException {
        TransportKind kind = switch (transport) {
            case "nio" -> TransportKind.NIO;
            case "epoll" -> TransportKind.EPOLL;
            case "io_uring" -> TransportKind.IO_URING;
            default -> throw new IllegalArgumentException("unknown jgnet transport " + transport);
        };
        // One loop does all the I/O, as in the Netty servers; TCP_NODELAY is jgnet's default.
        Options.Builder builder = Options.builder().loops(1).transport(kind);
        if ("on".equals(System.getProperty(BenchServers.TIMEOUTS_PROPERTY))) {
            builder.timeouts(t -> t.idle(BENCH_TIMEOUT).read(BENCH_TIMEOUT).write(BENCH_TIMEOUT));
        }
        // A tls- protocol is the same server behind TLS: Netty's gets the same certificate and suite.
        String served = BenchTls.served(protocol);
        if (!served.equals(protocol)) {
            builder.tls(BenchTls.jgnet());
        }
        Options base = builder.build();
        String address = (served.equals(protocol) ? "tcp" : "tls") + "://127.0.0.1:" + port;
        Engine engine;
        try {
            engine = switch (served) {
                case "echo", "frame-length", "frame-line" -> Jgnet.start(echo(served), address, base);
                case "http" -> {
                    HttpConfig config = HttpConfig.defaults();
                    yield Jgnet.start(HttpServer.handler(config), address, HttpServer.options(config, base));
                }
                case "resp" -> RedisServer.start(RedisConfig.defaults(), address, base);
                case "file" -> {
                    // The HTTP example serving --root: what the matrix's file workload measures.
                    HttpConfig config = HttpConfig.defaults();
                    String root = System.getProperty(BenchServers.FILE_ROOT_PROPERTY);
                    if (root == null) {
                        throw new BenchServers.Unavailable("the file protocol needs -D" + BenchServers.FILE_ROOT_PROPERTY + "=DIR");
                    }
                    yield Jgnet.start(HttpServer.handler(config, java.nio.file.Path.of(root)), address,
                            HttpServer.options(config, base));
                }
                default -> throw new IllegalArgumentException("jgnet serves no " + protocol);
            };
        } catch (UnsupportedOperationException e) {
            throw new BenchServers.Unavailable("jgnet " + transport + ": " + e.getMessage());
        }
        Runnable stop = () -> {
            try {
                engine.stop(STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            var loops = List.of(BenchServers.loopThread(engine.eventLoops().getFirst()::execute));
            int bound = ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
            return new BenchServers.Running(bound, "jgnet transport=" + engine.transport() + " loops="
                    + engine.eventLoops().size(), loops, stop);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop.run();
            throw e;
        }
    }

    /**
     * The handler of the echo protocols: bytes back as read ({@code echo}), or each frame back
     * framed by the same codec ({@code frame-length}, {@code frame-line}). {@code LoopAllocation}
     * measures these same handlers. A new handler per call.
     */
    public static EventHandler echo(String protocol) {
        return switch (protocol) {
            case "echo" -> new Echo();
            case "frame-length" -> new FrameEcho(Codec.lengthField().maxFrameLength(MAX_FRAME).build());
            case "frame-line" -> new FrameEcho(Codec.line(MAX_FRAME, true));
            default -> throw new IllegalArgumentException("no echo speaks " + protocol);
        };
    }

    /** Echoes every byte it reads. Stateless; shared by every connection. */
    private static final class Echo implements EventHandler {
        @Override
        public Action onTraffic(Conn conn) {
            conn.write(conn.next(-1)); // write copies the bytes before the view goes stale
            return Action.NONE;
        }
    }

    /** Sends every decoded frame back, framed again by the same codec. Stateless; shared. */
    private static final class FrameEcho extends FrameHandler {
        FrameEcho(Codec codec) {
            super(codec);
        }

        @Override
        public Action onFrame(Conn conn, ByteBuffer frame) {
            send(conn, frame);
            return Action.NONE;
        }
    }
}
