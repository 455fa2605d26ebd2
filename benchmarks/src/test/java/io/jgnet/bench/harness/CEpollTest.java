package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.io.TempDir;

/** The C reference server: compiled by the harness, and following the servers' process contract. */
class CEpollTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The repository root: the tests run in the benchmarks module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void compilesOnceAndEchoesEveryByteOnManyConnectionsAndFollowsTheContract() throws Exception {
        PeerTools.require("cc", "gcc");
        Path binary = CEpoll.compile(ROOT);
        assertThat(binary).isExecutable();
        FileTime built = Files.getLastModifiedTime(binary);
        assertThat(CEpoll.compile(ROOT)).isEqualTo(binary);
        assertThat(Files.getLastModifiedTime(binary)).as("not rebuilt while fresh").isEqualTo(built);

        List<String> command = CEpoll.kind().launch().command("echo", ServerKind.Context.current());
        try (Child server = Child.start("c-epoll", command)) {
            String ready = server.await(l -> l.startsWith("READY "), WAIT, "READY line");
            assertThat(ready).matches("READY [1-9]\\d* c-epoll .*");
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
                    assertThat(TestServers.readExactly(s.getInputStream(), payload.length)).isEqualTo(payload);
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
        Path source = Files.createDirectories(root.resolve(CEpoll.SOURCE).getParent()).resolve("epoll-echo.c");
        Files.copy(ROOT.resolve(CEpoll.SOURCE), source);
        Path binary = CEpoll.compile(root);
        Files.setLastModifiedTime(binary, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        CEpoll.compile(root);
        assertThat(Files.getLastModifiedTime(binary).toInstant()).isAfter(Instant.now().minusSeconds(600));
    }

    @Test
    void withoutItsSourceTheKindIsUnavailableAndSaysWhy(@TempDir Path root) {
        assertThatThrownBy(() -> CEpoll.compile(root)).isInstanceOf(ServerKind.Unavailable.class)
                .hasMessageContaining("epoll-echo.c").hasMessageContaining("run from the repository");
    }

    @Test
    void aSourceThatDoesNotCompileMakesItUnavailableWithTheCompilersMessage(@TempDir Path root) throws Exception {
        PeerTools.require("cc", "gcc");
        Path source = Files.createDirectories(root.resolve(CEpoll.SOURCE).getParent()).resolve("epoll-echo.c");
        Files.writeString(source, "int main(void) { return undeclared; }\n");
        assertThatThrownBy(() -> CEpoll.compile(root)).isInstanceOf(ServerKind.Unavailable.class)
                .hasMessageContaining("cannot compile").hasMessageContaining("undeclared");
        assertThat(root.resolve(CEpoll.BINARY)).doesNotExist();
    }
}
