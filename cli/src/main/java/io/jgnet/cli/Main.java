package io.jgnet.cli;

import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.cli.Flags.UsageException;
import io.jgnet.examples.ChatServer;
import io.jgnet.examples.EchoServer;
import io.jgnet.examples.RpcEchoServer;
import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.HttpServer;
import io.jgnet.examples.proxy.TcpProxy;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.RedisServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The launcher's subcommands: {@code ./jgnet demo}, {@code ./jgnet echo}, {@code ./jgnet chat},
 * {@code ./jgnet rpc-echo}, {@code ./jgnet proxy}, {@code ./jgnet redis}, {@code ./jgnet http}, {@code ./jgnet help}.
 * ({@code ./jgnet test} and {@code ./jgnet bench} are handled by the launcher script itself.)
 * Each subcommand runs one of the example servers of {@code io.jgnet.examples} with options
 * taken from its flags; the examples themselves know nothing of this command line.
 *
 * <p>Exit codes: 0 done, 1 failed (the server could not start, or the demo saw a wrong echo or
 * a failed connection), 2 bad command line.
 *
 * <p>Runs on the thread that calls {@link #main}; the servers it starts run on their own loops
 * and are stopped by a shutdown hook (Ctrl-C, SIGTERM).
 */
public final class Main {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** How long a stop may take to send output already written before connections are cut. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** The most loops a flag may ask for; {@link Options} allows no more. */
    private static final int MAX_LOOPS = 1024;
    private static final int MAX_CONNECTIONS = 10_000;
    private static final int MAX_SECONDS = 3600;

    static final String USAGE_TEXT = """
            usage: ./jgnet <command> [flags]

            commands:
              demo   start an echo server on a free port, drive it with a short built-in load,
                     check every echoed byte and print what happened (exit 1 on any mismatch)
                       --connections N   client connections (default 50)
                       --seconds N       how long the clients send (default 3)
                       --loops N         server event loops, 0 = one per core (default 1)
                       --transport T     auto, nio, epoll or io_uring (default auto)
              echo   run an echo server until Ctrl-C or SIGTERM: streams and datagrams alike
                       --host H          address to listen on (default 127.0.0.1)
                       --port N          port to listen on, 0 = any free one (default 9000)
                       --listen LIST     comma-separated addresses to serve instead of --host/--port,
                                         e.g. tcp://127.0.0.1:9000,udp://127.0.0.1:9000,unix:///tmp/e.sock
                                         (tcp, tcp4, tcp6, udp, udp4, udp6, unix, unixgram)
                       --loops N         event loops, 0 = one per core (default 1)
                       --transport T     auto, nio, epoll or io_uring (default auto)
                       --tls             serve TLS with a self-signed certificate for localhost and
                                         127.0.0.1 made at start (its SHA-256 fingerprint and a PEM
                                         copy for clients are printed)
                       --tls-cert FILE --tls-key FILE   serve TLS with this PEM chain and PKCS#8 key
              chat   run the line-based chat server (FrameHandler + line codec) until stopped;
                     same flags as echo, default port 9001; try: nc 127.0.0.1 9001
              rpc-echo  run the length-field RPC echo (4-byte length + body) until stopped;
                     same flags as echo, default port 9002
              proxy  run a TCP proxy until stopped: each client is relayed to a backend dialed on its
                     own loop, with backpressure and half-close passed on
                       --listen LIST     the addresses to serve (default tcp://127.0.0.1:8000)
                       --backend LIST    comma-separated tcp://host:port (default tcp://127.0.0.1:9000)
                       --balance B       round-robin or least-connections (default round-robin)
                       --tls, --tls-cert FILE --tls-key FILE   terminate TLS on the listen side
                       --backend-trust FILE  PEM certificates to verify tls:// backends with
                                         (default: the JDK's trust store); a tls:// backend is
                                         dialed with TLS
                       --idle-timeout S  close a pair silent both ways for S seconds, 0 = never (default 600)
                       --connect-timeout S  give up on a backend after S seconds, 0 = the kernel's (default 10)
                       --loops N, --transport T  as for echo
              redis  run the Redis-compatible server (strings, expiry, pipelining; RESP2) until
                     stopped; same flags as echo, default port 6380; try: redis-cli -p 6380 ping
                     (with --tls: redis-cli --tls --cacert PEM -p 6380 ping)
                       --timeout S       close a client idle for S seconds, 0 = never (default 0, as redis)
              http   run the HTTP/1.1 example server until stopped: GET /plaintext, GET /json,
                     POST /echo; same flags as echo, default port 8080;
                     try: curl -i http://127.0.0.1:8080/plaintext
                     (with --tls: curl --cacert PEM https://localhost:8080/plaintext; ALPN http/1.1)
                       --head-timeout S  408 and close when a request head takes S seconds (default 60)
                       --keepalive-timeout S  close a connection silent for S seconds (default 75)
                       --root DIR        also serve the files under DIR (GET/HEAD, ranges,
                                         If-Modified-Since), sent with sendfile
                       --metrics         also serve GET /metrics: the engine's stats per loop in
                                         the Prometheus text format
              soak   every example server at once (echo, http, redis, proxy, chat) under a mixed,
                     seeded load checking every reply; samples descriptors, RSS, heap, direct and
                     pooled memory and loop lag every 10 s; prints the table and a verdict
                     (exit 1 on a wrong reply, a failed scenario or growth that does not level off)
                       --minutes N       how long (default 1)
                       --seconds N       how long in seconds instead, for short checks (default 0: use --minutes)
                       --seed N          the load's random seed (default 1)
                       --loops N, --transport T  each server's, as for echo (default 2 loops)
              bench  run the benchmark matrix (a few minutes): jgnet against Netty on every transport,
                     tables with ratios to Netty's best, an HTML report with charts under
                     benchmarks/results (launcher only; ./jgnet bench --help for its flags)
              test   run every module's tests: ./mvnw -B verify (launcher only)
              docs   build core's Javadoc and print where its index.html is (launcher only)
              fuzz   fuzz every parser a peer reaches (codecs, HTTP, RESP) with Jazzer; --minutes N
                     in all (default 2), findings in target/fuzz-findings (launcher only)
              release  build, sign (key from MAVEN_GPG_KEY) and stage a release in target/staging,
                     ready to upload (launcher only; ./jgnet release --help for its flags)
              help   print this text

            A flag is written --name value or --name=value.
            Exit codes: 0 done, 1 failed, 2 bad command line.
            """;

    private static final Map<String, String> SERVER_FLAGS = Map.of("loops", "1", "transport", "auto");
    private static final Map<String, String> TLS_SERVER_FLAGS = with(SERVER_FLAGS, TlsFlags.FLAGS);
    /** Flags of the servers that listen on --host/--port unless --listen names addresses. */
    private static final Map<String, String> LISTEN_FLAGS = with(SERVER_FLAGS, Map.of("listen", ""));
    private static final Map<String, String> TLS_LISTEN_FLAGS = with(TLS_SERVER_FLAGS, Map.of("listen", ""));
    private static final Map<String, String> ECHO_FLAGS = with(TLS_LISTEN_FLAGS, Map.of("host", "127.0.0.1", "port", "9000"));
    private static final Map<String, String> CHAT_FLAGS = with(LISTEN_FLAGS, Map.of("host", "127.0.0.1", "port", "9001"));
    private static final Map<String, String> RPC_FLAGS = with(LISTEN_FLAGS, Map.of("host", "127.0.0.1", "port", "9002"));
    private static final Map<String, String> PROXY_FLAGS = with(TLS_SERVER_FLAGS, Map.of("listen", "tcp://127.0.0.1:8000",
            "backend", "tcp://127.0.0.1:9000", "balance", "round-robin", "backend-trust", "",
            "idle-timeout", "600", "connect-timeout", "10"));
    private static final Map<String, String> REDIS_FLAGS = with(TLS_LISTEN_FLAGS,
            Map.of("host", "127.0.0.1", "port", "6380", "timeout", "0"));
    private static final Map<String, String> HTTP_FLAGS = with(TLS_LISTEN_FLAGS, Map.of("host", "127.0.0.1", "port", "8080",
            "root", "", "metrics", "false", "head-timeout", "60", "keepalive-timeout", "75"));
    private static final Map<String, String> SOAK_FLAGS = with(SERVER_FLAGS,
            Map.of("loops", "2", "minutes", "1", "seconds", "0", "seed", "1"));
    private static final Map<String, String> DEMO_FLAGS = with(SERVER_FLAGS, Map.of("connections", "50", "seconds", "3"));

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        int code = run(List.of(args), System.out, System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Runs one subcommand and returns its exit code. {@code echo} blocks until the server stops. */
    static int run(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.isEmpty()) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(USAGE_TEXT);
            return OK;
        }
        try {
            return switch (command) {
                case "demo" -> demo(Flags.parse(command, DEMO_FLAGS, rest), out, err);
                case "echo" -> serve("echo", new EchoServer(), Flags.parse(command, ECHO_FLAGS, rest), out, err);
                case "chat" -> serve("chat", new ChatServer(), Flags.parse(command, CHAT_FLAGS, rest), out, err);
                case "rpc-echo" -> serve("rpc-echo", new RpcEchoServer(), Flags.parse(command, RPC_FLAGS, rest), out, err);
                case "proxy" -> {
                    Flags flags = Flags.parse(command, PROXY_FLAGS, rest);
                    // With --tls the proxy terminates TLS in front of its (plaintext) backends.
                    List<String> listen = TlsFlags.wanted(flags) ? overTls(flags.list("listen")) : flags.list("listen");
                    Options options = TcpProxy.options(serverOptions(flags), seconds(flags, "idle-timeout"),
                            seconds(flags, "connect-timeout")).toBuilder().tls(TlsFlags.settings(flags, out)).build();
                    yield serve("proxy", proxy(flags), listen, options, out, err);
                }
                case "redis" -> {
                    Flags flags = Flags.parse(command, REDIS_FLAGS, rest);
                    RedisServer redis = new RedisServer(RedisConfig.defaults());
                    Duration timeout = seconds(flags, "timeout");
                    Options base = serverOptions(flags).toBuilder().timeouts(t -> t.idle(timeout)).build();
                    yield serve("redis", redis, flags, redis.options(base), out, err);
                }
                case "http" -> {
                    Flags flags = Flags.parse(command, HTTP_FLAGS, rest);
                    HttpConfig config = HttpConfig.defaults().withTimeouts(seconds(flags, "head-timeout"),
                            seconds(flags, "keepalive-timeout"));
                    Options options = serverOptions(flags).toBuilder().tls(TlsFlags.settings(flags, out, "http/1.1")).build();
                    yield serve("http", httpHandler(config, flags.string("root"), flags.bool("metrics")), flags,
                            HttpServer.options(config, options), out, err);
                }
                case "soak" -> soak(Flags.parse(command, SOAK_FLAGS, rest), out, err);
                case "help", "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    yield OK;
                }
                case "test" -> throw new UsageException("test is run by the launcher script: ./jgnet test");
                case "bench" -> throw new UsageException("bench is run by the launcher script: ./jgnet bench");
                case "docs" -> throw new UsageException("docs is run by the launcher script: ./jgnet docs");
                case "fuzz" -> throw new UsageException("fuzz is run by the launcher script: ./jgnet fuzz");
                case "release" -> throw new UsageException("release is run by the launcher script: ./jgnet release");
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            err.println("jgnet: " + e.getMessage());
            err.println();
            err.print(USAGE_TEXT);
            return USAGE;
        }
    }

    /** The HTTP example, serving the files under {@code root} too unless it is empty. */
    private static EventHandler httpHandler(HttpConfig config, String root, boolean metrics) throws UsageException {
        try {
            return HttpServer.handler(config, root.isEmpty() ? null : Path.of(root), metrics);
        } catch (IOException | InvalidPathException e) {
            throw new UsageException("bad value for --root: '" + root + "' (" + e.getMessage() + ")");
        }
    }

    private static TcpProxy proxy(Flags flags) throws UsageException {
        List<String> backends = List.of(flags.string("backend").split(","));
        for (String backend : backends) {
            if (!backend.strip().startsWith("tcp") && !backend.strip().startsWith("tls")) {
                throw new UsageException("bad value for --backend: '" + backend
                        + "' (expected tcp://host:port or tls://host:port[,...])");
            }
        }
        TcpProxy.Balancing balancing = switch (flags.string("balance")) {
            case "round-robin" -> TcpProxy.Balancing.ROUND_ROBIN;
            case "least-connections" -> TcpProxy.Balancing.LEAST_CONNECTIONS;
            default -> throw new UsageException("bad value for --balance: '" + flags.string("balance")
                    + "' (expected round-robin or least-connections)");
        };
        return new TcpProxy(backends.stream().map(String::strip).toList(), balancing);
    }

    /** Runs one of the example servers until Ctrl-C or SIGTERM. */
    private static int serve(String what, EventHandler handler, Flags flags, PrintStream out, PrintStream err)
            throws UsageException, InterruptedException {
        return serve(what, handler, flags, serverOptions(flags), out, err);
    }

    /** Like {@link #serve(String, EventHandler, Flags, PrintStream, PrintStream)} with options the server chose. */
    private static int serve(String what, EventHandler handler, Flags flags, Options options, PrintStream out,
            PrintStream err) throws UsageException, InterruptedException {
        List<String> addresses = flags.string("listen").isBlank()
                ? List.of("tcp://" + flags.host("host") + ":" + flags.integer("port", 0, 65535))
                : flags.list("listen");
        if (TlsFlags.wanted(flags)) {
            addresses = overTls(addresses);
            if (options.tls() == null) {
                options = options.toBuilder().tls(TlsFlags.settings(flags, out)).build();
            }
        }
        return serve(what, handler, addresses, options, out, err);
    }

    /** The same addresses with TLS on every TCP one: tcp://h:p becomes tls://h:p. */
    private static List<String> overTls(List<String> addresses) {
        return addresses.stream().map(a -> a.regionMatches(true, 0, "tcp", 0, 3) ? "tls" + a.substring(3) : a).toList();
    }

    /** Serves {@code addresses} (any jgnet addresses) with {@code handler} until Ctrl-C or SIGTERM. */
    private static int serve(String what, EventHandler handler, List<String> addresses, Options options,
            PrintStream out, PrintStream err) throws InterruptedException {
        Engine engine;
        try {
            engine = Jgnet.start(handler, addresses, options);
        } catch (IOException | RuntimeException e) {
            err.println("jgnet: cannot start the " + what + " server on " + String.join(",", addresses) + ": "
                    + e.getMessage());
            return FAILED;
        }
        // Ctrl-C and SIGTERM run shutdown hooks: stop gracefully there, so clients get what was
        // already echoed before their connections close.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("jgnet-" + what + "-stop").unstarted(() -> {
            try {
                boolean clean = engine.stop(STOP_TIMEOUT);
                out.println("jgnet " + what + " server stopped" + (clean ? "" : " (some output was cut at the deadline)"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        out.println("jgnet " + what + " server listening on " + describe(engine, addresses));
        engine.awaitTermination();
        return OK;
    }

    private static int demo(Flags flags, PrintStream out, PrintStream err) throws UsageException, InterruptedException {
        int connections = flags.integer("connections", 1, MAX_CONNECTIONS);
        Duration duration = Duration.ofSeconds(flags.integer("seconds", 1, MAX_SECONDS));
        Options options = serverOptions(flags);
        Engine engine;
        try {
            engine = Jgnet.start(new EchoServer(), "tcp://127.0.0.1:0", options);
        } catch (IOException | RuntimeException e) {
            err.println("jgnet demo: cannot start the echo server: " + e.getMessage());
            return FAILED;
        }
        EchoLoad.Report report;
        try {
            out.println("jgnet demo: echo server listening on " + describe(engine, List.of("tcp://127.0.0.1:0")));
            out.printf(Locale.ROOT, "jgnet demo: %d connections send payloads of 1 B to %d KiB for %d s,"
                    + " each echo checked byte by byte%n", connections, EchoLoad.MAX_PAYLOAD / 1024, duration.toSeconds());
            report = EchoLoad.run((InetSocketAddress) engine.listenAddresses().getFirst(), connections, duration);
        } finally {
            boolean clean = engine.stop(STOP_TIMEOUT);
            if (!clean) {
                err.println("jgnet demo: the server had to cut connections at the stop deadline");
            }
        }
        print(report, out);
        if (!report.ok()) {
            out.printf(Locale.ROOT, "jgnet demo: FAILED: %d of %d connections opened, %d mismatches, %d errors%n",
                    report.connections(), connections, report.mismatches(), report.errors().size());
            return FAILED;
        }
        out.println("jgnet demo: OK, every byte came back as sent; server stopped");
        return OK;
    }

    private static int soak(Flags flags, PrintStream out, PrintStream err) throws UsageException, InterruptedException {
        int seconds = flags.integer("seconds", 0, MAX_SECONDS * 24);
        Duration duration = seconds > 0 ? Duration.ofSeconds(seconds)
                : Duration.ofMinutes(flags.integer("minutes", 1, MAX_SECONDS / 60 * 24));
        Duration every = seconds > 0 && seconds < 30 ? Duration.ofSeconds(Math.max(1, seconds / 6)) : Soak.SAMPLE_EVERY;
        long seed = flags.integer("seed", 0, Integer.MAX_VALUE);
        Soak.Result result;
        try {
            result = Soak.run(duration, every, seed, serverOptions(flags), out);
        } catch (IOException e) {
            err.println("jgnet soak: cannot start the servers: " + e.getMessage());
            return FAILED;
        }
        result.firstErrors().forEach(line -> out.println("  " + line));
        if (!result.passed()) {
            out.println("jgnet soak: FAILED: " + String.join("; ", result.failures()));
            return FAILED;
        }
        out.println("jgnet soak: OK, every reply as expected" + (result.samples().size() >= Soak.MIN_SAMPLES_TO_JUDGE
                ? ", and descriptors, RSS, heap, direct and pooled memory levelled off" : " (too short to judge growth)"));
        return OK;
    }

    private static void print(EchoLoad.Report report, PrintStream out) {
        out.printf(Locale.ROOT, "  connections  %,d%n", report.connections());
        out.printf(Locale.ROOT, "  messages     %,d  (%,.0f msgs/s)%n", report.messages(), report.messagesPerSecond());
        out.printf(Locale.ROOT, "  bytes        %,d each way  (%,.1f MiB/s)%n", report.bytes(),
                report.bytesPerSecond() / (1024 * 1024));
        out.printf(Locale.ROOT, "  mismatches   %,d%n", report.mismatches());
        out.printf(Locale.ROOT, "  errors       %,d%n", report.errors().size());
        int shown = 5;
        report.errors().stream().limit(shown).forEach(line -> out.println("    " + line));
        if (report.errors().size() > shown) {
            out.println("    ... and " + (report.errors().size() - shown) + " more");
        }
    }

    /** A timeout flag in whole seconds, 0 for none. */
    private static Duration seconds(Flags flags, String name) throws UsageException {
        return Duration.ofSeconds(flags.integer(name, 0, MAX_SECONDS * 24));
    }

    private static Options serverOptions(Flags flags) throws UsageException {
        int loops = flags.integer("loops", 0, MAX_LOOPS);
        return Options.builder()
                .loops(loops)
                .multicore(loops == 0)
                .transport(flags.transport("transport"))
                .build();
    }

    /**
     * "tcp://127.0.0.1:9000, udp://127.0.0.1:9000 (transport nio, 1 loop)": each address as
     * bound (a port 0 resolved), with the scheme it was asked with.
     */
    static String describe(Engine engine, List<String> asked) {
        int loops = engine.eventLoops().size();
        List<SocketAddress> bound = engine.listenAddresses();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bound.size(); i++) {
            String scheme = asked.get(i).substring(0, asked.get(i).indexOf("://")).toLowerCase(Locale.ROOT);
            text.append(i == 0 ? "" : ", ").append(address(scheme, bound.get(i)));
        }
        return text + " (transport " + engine.transport() + ", " + loops + (loops == 1 ? " loop)" : " loops)");
    }

    private static String address(String scheme, SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return scheme + "://" + address;
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        var all = new HashMap<>(a);
        all.putAll(b);
        return Map.copyOf(all);
    }
}
