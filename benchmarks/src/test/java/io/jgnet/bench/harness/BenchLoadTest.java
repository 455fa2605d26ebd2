package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BenchLoad end to end against in-process jgnet servers (NIO, so no native access is needed). */
class BenchLoadTest {

    private static final Options ONE_NIO_LOOP = Options.builder().loops(1).transport(TransportKind.NIO).build();
    private static final String ANY_PORT = "tcp://127.0.0.1:0";

    private static Engine echo;
    private static Engine http;
    private static Engine redis;

    @BeforeAll
    static void startServers() throws IOException {
        echo = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        }, ONE_NIO_LOOP, ANY_PORT);
        HttpConfig config = HttpConfig.defaults();
        http = Jgnet.start(HttpServer.handler(config), HttpServer.options(config, ONE_NIO_LOOP), ANY_PORT);
        redis = RedisServer.start(RedisConfig.defaults(), ONE_NIO_LOOP, ANY_PORT);
    }

    @AfterAll
    static void stopServers() throws InterruptedException {
        for (Engine engine : new Engine[] {echo, http, redis}) {
            if (engine != null) {
                engine.stop(Duration.ofSeconds(5));
            }
        }
    }

    static Stream<Arguments> workloads() {
        return Stream.of(
                Arguments.of("echo", "echo --size 64 --pipeline 1"),
                Arguments.of("echo", "echo --size 4096 --pipeline 16"),
                Arguments.of("http", "http --pipeline 1"),
                Arguments.of("http", "http --pipeline 16"),
                Arguments.of("redis", "resp --command mix --pipeline 1"),
                Arguments.of("redis", "resp --command mix --pipeline 16"),
                Arguments.of("redis", "resp --command ping --pipeline 3"),
                Arguments.of("redis", "resp --command set --pipeline 16"),
                Arguments.of("redis", "resp --command get --pipeline 1"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("workloads")
    void measuresAShortRunWithEveryResponseCorrect(String server, String workload) {
        Engine engine = switch (server) {
            case "echo" -> echo;
            case "http" -> http;
            default -> redis;
        };
        Run run = load(("--protocol " + workload + " --port " + port(engine)
                + " --connections 4 --warmup-seconds 0 --seconds 1").split(" "));

        assertThat(run.lines()).as(run.err()).hasSize(4);
        assertThat(run.lines().subList(0, 3)).containsExactly("CONNECTED 4", "MEASURE_START", "MEASURE_END");
        Map<String, String> result = run.result();
        assertThat(Long.parseLong(result.get("requests"))).isPositive();
        assertThat(result.get("errors")).as(run.err()).isEqualTo("0");
        assertThat(result.get("mismatches")).isEqualTo("0");
        assertThat(Double.parseDouble(result.get("seconds"))).isBetween(0.9, 5.0);
        assertThat(Double.parseDouble(result.get("p50_us"))).isPositive()
                .isLessThanOrEqualTo(Double.parseDouble(result.get("p99_us")));
        assertThat(result).containsKeys("rps", "p90_us", "p999_us", "max_us");
        // EchoBench reads these names from the echo load; other protocols leave them out.
        if (workload.startsWith("echo")) {
            assertThat(result.get("messages")).isEqualTo(result.get("requests"));
            assertThat(result).containsKey("msgs_per_sec");
        } else {
            assertThat(result).doesNotContainKeys("messages", "msgs_per_sec");
        }
        assertThat(run.status()).isZero();
    }

    @Test
    void countsWrongEchoesAsMismatchesAndFails() throws Exception {
        Engine corrupting = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                ByteBuffer in = conn.next(-1);
                byte[] echoed = new byte[in.remaining()];
                in.get(echoed);
                echoed[0] ^= 1;
                conn.write(echoed);
                return Action.NONE;
            }
        }, ONE_NIO_LOOP, ANY_PORT);
        try {
            Run run = load("--protocol", "echo", "--port", port(corrupting), "--connections", "2",
                    "--warmup-seconds", "0", "--seconds", "1");
            assertThat(Long.parseLong(run.result().get("mismatches"))).isPositive();
            assertThat(run.result().get("errors")).isEqualTo("0");
            assertThat(run.status()).isEqualTo(BenchLoad.FAILED);
        } finally {
            corrupting.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void countsConnectionsTheServerClosesAsErrorsAndStillReports() throws Exception {
        Engine closing = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                return Action.CLOSE;
            }
        }, ONE_NIO_LOOP, ANY_PORT);
        try {
            Run run = load("--protocol", "http", "--port", port(closing), "--connections", "3",
                    "--warmup-seconds", "0", "--seconds", "1");
            assertThat(run.lines().getFirst()).isEqualTo("CONNECTED 3");
            assertThat(run.result().get("errors")).isEqualTo("3");
            assertThat(run.result().get("requests")).isEqualTo("0");
            assertThat(run.err()).contains("the server closed the connection");
            assertThat(run.status()).isEqualTo(BenchLoad.FAILED);
        } finally {
            closing.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void failsWithAnErrorLineWhenNothingListens() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = load("--protocol", "resp", "--port", Integer.toString(closedPort), "--connections", "2",
                "--warmup-seconds", "0", "--seconds", "1");
        assertThat(run.lines()).singleElement().asString().startsWith("ERROR ").contains("refused");
        assertThat(run.status()).isEqualTo(BenchLoad.FAILED);
    }

    @Test
    void refusesMoreConnectionsThanTheDescriptorLimitBeforeConnecting() {
        Run run = load("--protocol", "idle", "--port", port(echo), "--connections", "2000000000");
        assertThat(run.lines()).singleElement().asString()
                .startsWith("ERROR --connections 2000000000").contains("ulimit -n").contains("limit is");
        assertThat(run.status()).isEqualTo(BenchLoad.FAILED);
    }

    @Test
    void rejectsABadCommandLineWithUsage() {
        Run unknownProtocol = load("--protocol", "smtp", "--port", "1");
        assertThat(unknownProtocol.lines()).singleElement().asString().contains("--protocol must be");
        assertThat(unknownProtocol.status()).isEqualTo(BenchLoad.BAD_USAGE);
        Run noPort = load("--protocol", "echo");
        assertThat(noPort.lines()).singleElement().asString().contains("--port is required");
        assertThat(noPort.status()).isEqualTo(BenchLoad.BAD_USAGE);
        Run badCommand = load("--protocol", "resp", "--port", port(redis), "--command", "del");
        assertThat(badCommand.lines()).singleElement().asString().contains("--command must be");
        assertThat(badCommand.err()).contains("usage:");
        assertThat(badCommand.status()).isEqualTo(BenchLoad.BAD_USAGE);
    }

    static String port(Engine engine) {
        return Integer.toString(((InetSocketAddress) engine.listenAddresses().getFirst()).getPort());
    }

    private static Run load(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchLoad.run(args, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    /** What one run printed and returned. */
    record Run(int status, List<String> lines, String err) {
        /** The key=value pairs of the RESULT line, which must be the last line. */
        Map<String, String> result() {
            String last = lines.getLast();
            assertThat(last).startsWith("RESULT ");
            Map<String, String> values = new HashMap<>();
            for (String pair : last.substring("RESULT ".length()).split(" ")) {
                int eq = pair.indexOf('=');
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return values;
        }
    }
}
