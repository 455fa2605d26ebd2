package io.jgnet.bench.matrix;

import io.jgnet.bench.process.Child;
import io.jgnet.bench.servers.BenchServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.jgnet.examples.PeerTools;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The reference kinds: the C server, compiled by the matrix and following the servers' contract, and redis-server. */
class ReferenceKindsTest {

    private static final Path SOURCE = Path.of("benchmarks", "src", "main", "c", "epoll-echo.c");
    private static final Path BINARY = Path.of("benchmarks", "target", "c", "epoll-echo");

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The repository root: the tests run in the benchmarks module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"c-epoll, epoll-echo", "c-io_uring, io_uring-echo"})
    void compilesOnceAndEchoesEveryByteOnManyConnectionsAndFollowsTheContract(String kind, String source)
            throws Exception {
        PeerTools.require("cc", "gcc");
        Path binary = ServerKind.compile(ROOT, source);
        assertThat(binary).isExecutable();
        FileTime built = Files.getLastModifiedTime(binary);
        assertThat(ServerKind.compile(ROOT, source)).isEqualTo(binary);
        assertThat(Files.getLastModifiedTime(binary)).as("not rebuilt while fresh").isEqualTo(built);

        ServerKind.Context here = new ServerKind.Context("java", "", ROOT);
        List<String> command = ServerKind.named(kind).launch().command("echo", here).argv();
        try (Child server = Child.start(kind, command, null)) {
            String ready = server.await(l -> l.startsWith("READY ") || l.startsWith("UNAVAILABLE"), WAIT, "READY line");
            assumeFalse(ready.startsWith("UNAVAILABLE"),
                    () -> kind + " cannot run on this machine: " + ready);
            assertThat(ready).matches("READY [1-9]\\d* " + kind + " .*");
            int port = Integer.parseInt(ready.split(" ")[1]);
            // Several connections at once, each with a payload larger than one read, in pieces.
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                    s.setSoTimeout((int) WAIT.toMillis());
                    sockets.add(s);
                }
                Random random = new Random(7);
                for (Socket s : sockets) {
                    byte[] payload = new byte[200_000];
                    random.nextBytes(payload);
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            for (int off = 0; off < payload.length; off += 30_000) {
                                s.getOutputStream().write(payload, off, Math.min(30_000, payload.length - off));
                            }
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    assertThat(s.getInputStream().readNBytes(payload.length)).isEqualTo(payload);
                    writer.join(WAIT.toMillis());
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            server.send("GC");
            assertThat(server.await(l -> l.startsWith("GC done") || l.startsWith("ERROR"), WAIT, "GC answer"))
                    .isEqualTo("GC done");
            server.send("ALLOC");
            assertThat(server.await(l -> l.startsWith("ERROR"), WAIT, "ERROR line")).startsWith("ERROR unknown command");
            server.closeInput();
            assertThat(server.awaitExit(WAIT)).as("exits when its standard input ends").isTrue();
        }
    }

    @Test
    void aSourceNewerThanTheBinaryIsRecompiled(@TempDir Path root) throws Exception {
        PeerTools.require("cc", "gcc");
        Path source = Files.createDirectories(root.resolve(SOURCE).getParent()).resolve("epoll-echo.c");
        Files.copy(ROOT.resolve(SOURCE), source);
        Path binary = ServerKind.compile(root, "epoll-echo");
        Files.setLastModifiedTime(binary, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        ServerKind.compile(root, "epoll-echo");
        assertThat(Files.getLastModifiedTime(binary).toInstant()).isAfter(Instant.now().minusSeconds(600));
    }

    @Test
    void withoutItsSourceTheKindIsUnavailableAndSaysWhy(@TempDir Path root) {
        assertThatThrownBy(() -> ServerKind.compile(root, "epoll-echo")).isInstanceOf(BenchServers.Unavailable.class)
                .hasMessageContaining("epoll-echo.c").hasMessageContaining("run from the repository");
    }

    @Test
    void aSourceThatDoesNotCompileMakesItUnavailableWithTheCompilersMessage(@TempDir Path root) throws Exception {
        PeerTools.require("cc", "gcc");
        Path source = Files.createDirectories(root.resolve(SOURCE).getParent()).resolve("epoll-echo.c");
        Files.writeString(source, "int main(void) { return undeclared; }\n");
        assertThatThrownBy(() -> ServerKind.compile(root, "epoll-echo")).isInstanceOf(BenchServers.Unavailable.class)
                .hasMessageContaining("cannot compile").hasMessageContaining("undeclared");
        assertThat(root.resolve(BINARY)).doesNotExist();
    }

    @Test
    void redisServerIsGivenAFreePortAndIsReadyWhenItSaysSo() throws Exception {
        PeerTools.require("redis-server", "redis-tools");
        ServerKind redis = ServerKind.named("redis-server");
        assertThat(redis.family()).isEqualTo(ServerKind.Family.REFERENCE);
        assertThat(redis.serves(Workload.named("resp-p16"))).isTrue();
        assertThat(redis.serves(Workload.named("echo-64"))).isFalse();
        ServerKind.Command command = redis.launch().command("resp", ServerKind.Context.current());
        assertThat(command.port()).isPositive();
        try (Child server = Child.start("redis-server", command.argv(), null)) {
            server.await(l -> l.contains(command.ready()), WAIT, "ready line");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), command.port())) {
                s.setSoTimeout((int) WAIT.toMillis());
                s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes());
                assertThat(new String(s.getInputStream().readNBytes(7))).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void nginxServesTheFileWorkloadsFileWithSendfileOnAGivenPort() throws Exception {
        PeerTools.require("nginx", "nginx");
        ServerKind nginx = ServerKind.named("nginx");
        assertThat(nginx.family()).isEqualTo(ServerKind.Family.REFERENCE);
        assertThat(nginx.serves(Workload.named("file"))).isTrue();
        assertThat(nginx.serves(Workload.named("http"))).isFalse();
        assertThat(ServerKind.named("jgnet-epoll").serves(Workload.named("file"))).isTrue();
        assertThat(ServerKind.named("netty-epoll").serves(Workload.named("file"))).isFalse();
        ServerKind.Command command = nginx.launch().command("file", ServerKind.Context.current());
        Path file = FileWorkload.root(ServerKind.Context.current().root()).resolve(FileWorkload.NAME);
        assertThat(Files.size(file.resolveSibling(FileWorkload.WARM_NAME))).isEqualTo(FileWorkload.WARM_SIZE);
        byte[] expected = new byte[1000];
        try (var in = Files.newInputStream(file)) {
            in.skipNBytes(5000);
            in.readNBytes(expected, 0, expected.length);
        }
        try (Child server = Child.start("nginx", command.argv(), null)) {
            server.await(l -> l.contains(command.ready()), WAIT, "ready line");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), command.port())) {
                s.setSoTimeout((int) WAIT.toMillis());
                s.getOutputStream().write(("GET /" + FileWorkload.NAME + " HTTP/1.1\r\nHost: x\r\nRange: bytes=5000-5999\r\n"
                        + "Connection: close\r\n\r\n").getBytes());
                byte[] response = s.getInputStream().readAllBytes();
                String text = new String(response, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("HTTP/1.1 206");
                int body = text.indexOf("\r\n\r\n") + 4;
                assertThat(java.util.Arrays.copyOfRange(response, body, response.length)).isEqualTo(expected);
            }
        }
    }
}
