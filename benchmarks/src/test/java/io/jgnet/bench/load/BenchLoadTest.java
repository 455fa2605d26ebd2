package io.jgnet.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.bench.servers.BenchServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BenchLoad end to end, by its process contract, against jgnet's benchmark servers on nio in this JVM. */
class BenchLoadTest {

    /** What a run printed and its exit status. */
    record Result(int status, List<String> lines, String err) {
        Map<String, String> result() {
            Map<String, String> values = new HashMap<>();
            String line = lines.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(() -> new AssertionError(lines + err));
            for (String word : line.split(" ")) {
                if (word.contains("=")) {
                    values.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
                }
            }
            return values;
        }
    }

    static Result load(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchLoad.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({"echo,1,64", "echo,16,4096", "frame-length,16,64", "frame-line,16,1024", "http,1,0", "http,16,0",
            "resp,1,0", "resp,16,0"})
    void warmsUpThenMeasuresWindowsWithEveryResponseCorrect(String protocol, int pipeline, int size) throws Exception {
        try (BenchServers.Running server = BenchServers.start(protocol, "jgnet-nio", 0)) {
            Result r = load("RUN 1\nMEASURE 1\nMEASURE 1\n", protocol, Integer.toString(server.port()), "4",
                    Integer.toString(pipeline), Integer.toString(Math.max(size, 1)));
            assertThat(r.lines()).as(r.err()).hasSize(8);
            assertThat(r.lines().subList(0, 4)).containsExactly("CONNECTED 4", "DONE", "MEASURE_START", "MEASURE_END");
            assertThat(r.lines().get(5)).isEqualTo("MEASURE_START");
            Map<String, String> result = r.result();
            assertThat(Long.parseLong(result.get("requests"))).isPositive();
            assertThat(result).containsEntry("errors", "0").containsEntry("mismatches", "0");
            assertThat(Double.parseDouble(result.get("seconds"))).isBetween(0.9, 5.0);
            assertThat(Double.parseDouble(result.get("p50_us"))).isPositive()
                    .isLessThanOrEqualTo(Double.parseDouble(result.get("p99_us")));
            assertThat(r.status()).isZero();
        }
    }

    /** The TLS loads against jgnet's and Netty's TLS servers: same certificate, same suite, every answer checked. */
    @ParameterizedTest
    @CsvSource({"tls-echo,tls-echo,jgnet-nio,1,64", "tls-echo,tls-echo,netty-nio,1,64", "tls-http,tls-http,jgnet-nio,16,0",
            "tls-http,tls-http,netty-nio,16,0", "tls-handshake,tls-echo,jgnet-nio,1,64", "tls-handshake,tls-echo,netty-nio,1,64"})
    void measuresOverTls(String protocol, String served, String kind, int pipeline, int size) throws Exception {
        try (BenchServers.Running server = BenchServers.start(served, kind, 0)) {
            // Three seconds: a cold JVM's first handshakes run interpreted and take a while.
            Result r = load("RUN 1\nMEASURE 3\n", protocol, Integer.toString(server.port()), "4", Integer.toString(pipeline),
                    Integer.toString(Math.max(size, 1)));
            assertThat(r.lines()).as(r.err()).startsWith("CONNECTED 4", "DONE", "MEASURE_START", "MEASURE_END");
            assertThat(Long.parseLong(r.result().get("requests"))).isPositive();
            assertThat(r.result()).containsEntry("errors", "0").containsEntry("mismatches", "0");
            assertThat(r.status()).isZero();
        }
    }

    @Test
    void aPlaintextLoadIsNotServedByATlsServer() throws Exception {
        try (BenchServers.Running server = BenchServers.start("tls-echo", "jgnet-nio", 0)) {
            Result r = load("MEASURE 1\n", "echo", Integer.toString(server.port()), "2", "1");
            assertThat(r.status()).isEqualTo(1);
        }
    }

    @Test
    void tlsIdleHandshakesProbesAndHoldsEveryConnection() throws Exception {
        for (String kind : List.of("jgnet-nio", "netty-nio")) {
            try (BenchServers.Running server = BenchServers.start("tls-echo", kind, 0)) {
                Result r = load("\n", "tls-idle", Integer.toString(server.port()), "20");
                assertThat(r.lines()).as(kind + r.err()).containsExactly("IDLE 20", "CLOSED 20");
                assertThat(r.status()).isZero();
            }
        }
    }

    @Test
    void countsWrongAnswersAsMismatchesAndExitsWithOne() throws Exception {
        // A RESP load against an echo server: its commands come back instead of their replies.
        try (BenchServers.Running server = BenchServers.start("echo", "jgnet-nio", 0)) {
            Result r = load("MEASURE 1\n", "resp", Integer.toString(server.port()), "2", "1");
            assertThat(r.status()).isEqualTo(1);
            assertThat(Long.parseLong(r.result().get("mismatches")) + Long.parseLong(r.result().get("errors"))).isPositive();
        }
    }

    @Test
    void idleOpensProbesHoldsAndClosesEveryConnection() throws Exception {
        try (BenchServers.Running server = BenchServers.start("echo", "jgnet-nio", 0)) {
            Result r = load("\n", "idle", Integer.toString(server.port()), "300");
            assertThat(r.lines()).as(r.err()).containsExactly("IDLE 300", "CLOSED 300");
            assertThat(r.status()).isZero();
        }
    }

    @Test
    void aBadCommandLineOrCommandIsReported() throws Exception {
        assertThat(load("", "smtp", "1", "1").status()).isEqualTo(2);
        assertThat(load("", "echo", "1", "0").lines()).singleElement().asString().startsWith("ERROR ");
        assertThat(load("", "echo", "1", "1", "2000").status()).isEqualTo(2);
        assertThat(load("", "echo", "1", "100000000").lines()).singleElement().asString()
                .contains("file descriptor");
        try (BenchServers.Running server = BenchServers.start("echo", "jgnet-nio", 0)) {
            Result r = load("JUMP 3\n", "echo", Integer.toString(server.port()), "1");
            assertThat(r.lines()).containsExactly("CONNECTED 1", "ERROR unknown command JUMP 3");
        }
    }
}
