package io.jgnet.bench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** BenchServers as the orchestrator sees it: a child JVM, its output lines, its stdin and its exit status. */
class BenchServersProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void stdinCommandsReportAllocationCollectGarbageAndEndOfFileExits() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--enable-native-access=ALL-UNNAMED"),
                "echo", "jgnet-nio", "0")) {
            String ready = server.nextLine();
            assertThat(ready).startsWith("READY ");
            int port = Integer.parseInt(ready.split(" ")[1]);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout((int) WAIT.toMillis());
                socket.getOutputStream().write(new byte[64]);
                assertThat(socket.getInputStream().readNBytes(64)).hasSize(64);
            }
            server.send("ALLOC");
            String alloc = server.nextLine();
            assertThat(alloc).matches("ALLOC bytes=[1-9]\\d* threads=1");
            server.send("GC");
            assertThat(server.nextLine()).matches("GC done heap_used=[1-9][0-9]*");
            server.send("SING");
            assertThat(server.nextLine()).isEqualTo("ERROR unknown command SING");
            server.closeStdin();
            assertThat(server.exitStatus()).isZero();
        }
    }

    @Test
    void aKindThatCannotRunHerePrintsUnavailableAndExitsWithThree() throws Exception {
        // Denying native access is the one way to take a native transport away deterministically.
        try (ServerProcess server = ServerProcess.start(List.of("--illegal-native-access=deny"),
                "echo", "jgnet-epoll", "0")) {
            assertThat(server.nextLine()).startsWith("UNAVAILABLE ").contains("native access");
            assertThat(server.exitStatus()).isEqualTo(BenchServers.EXIT_UNAVAILABLE);
        }
    }

    @Test
    void checkPrintsTheFactsAndEndsWithTheJvm() throws Exception {
        try (ServerProcess check = ServerProcess.start(List.of("--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"), "check")) {
            List<String> lines = new ArrayList<>();
            for (String line = ""; !line.startsWith("jvm: "); ) {
                line = check.nextLine();
                lines.add(line);
            }
            assertThat(lines).allSatisfy(l -> assertThat(l).matches("[a-z_.-]+: .*"));
            assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList()).contains(
                    "netty.epoll.available", "netty.io_uring.available", "netty.unsafe", "jgnet.native-access", "jvm");
            assertThat(lines).contains("netty.unsafe: true", "jgnet.native-access: true");
            assertThat(check.exitStatus()).isZero();
        }
    }

    /** A BenchServers child JVM on the test class path, its output read line by line with bounded waits. */
    private static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private ServerProcess(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        // The JVM's own warnings are not the server's output.
                        if (!line.startsWith("WARNING:")) {
                            lines.add(line);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        static ServerProcess start(List<String> jvmFlags, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            // Surefire may hide the class path in a manifest-only jar; it publishes the real one here.
            command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    BenchServers.class.getName()));
            command.addAll(List.of(args));
            return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        String nextLine() throws InterruptedException {
            String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("a line from the server within %s", WAIT).isNotNull();
            return line;
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void closeStdin() throws IOException {
            process.getOutputStream().close();
        }

        int exitStatus() throws InterruptedException {
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited within %s", WAIT).isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
