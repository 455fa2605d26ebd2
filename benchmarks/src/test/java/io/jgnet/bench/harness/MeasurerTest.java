package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement's handling of servers that cannot run or fail to start, with tiny shell
 * scripts standing in for servers: no load generator is started in these cases.
 */
class MeasurerTest {

    @TempDir
    Path logs;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private Run measure(ServerKind kind) throws InterruptedException {
        MatrixConfig config = MatrixConfig.parse(new String[] {"--quiet-wait-seconds", "0", "--retries", "0", "--pin", "false"});
        Measurer measurer = new Measurer(config, ServerKind.Context.current(), false, 100, logs,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        return measurer.measure(Workload.named("echo-64"), kind, 1);
    }

    private static ServerKind script(String name, String script) {
        return ServerKind.reference(name, Set.of("echo"), (protocol, context) -> List.of("sh", "-c", script));
    }

    @Test
    void aServerThatSaysUnavailableIsReportedWithItsReason() throws Exception {
        Run run = measure(script("fake-uring", "echo 'UNAVAILABLE io_uring: not supported by this kernel'; exit 3"));
        assertThat(run.status()).isEqualTo(Run.Status.UNAVAILABLE);
        assertThat(run.note()).isEqualTo("io_uring: not supported by this kernel");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("fake-uring", "unavailable: io_uring: not supported");
    }

    @Test
    void aLaunchThatCannotWorkHereIsUnavailableWithoutStartingAnything() throws Exception {
        ServerKind kind = ServerKind.reference("c-epoll", Set.of("echo"), (protocol, context) -> {
            throw new ServerKind.Unavailable("gcc is not installed");
        });
        Run run = measure(kind);
        assertThat(run.status()).isEqualTo(Run.Status.UNAVAILABLE);
        assertThat(run.note()).isEqualTo("gcc is not installed");
        try (var files = Files.list(logs)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aServerThatDiesBeforeReadyFailsTheRunWithItsLastOutputAndALog() throws Exception {
        Run run = measure(script("fake-crash", "echo starting; echo 'Exception: address already in use'; exit 1"));
        assertThat(run.status()).isEqualTo(Run.Status.FAILED);
        assertThat(run.load()).isNull();
        assertThat(run.note()).contains("ended before READY line", "Exception: address already in use");
        Path log = logs.resolve("echo-64-fake-crash-r1-server.log");
        assertThat(Files.readString(log)).startsWith("$ sh -c ").contains("starting\nException: address already in use\n");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("FAILED", log.toString());
    }

    @Test
    void residentMemoryIsReadFromProcInBytes() throws Exception {
        long rss = Measurer.residentBytes(ProcessHandle.current().pid());
        assertThat(rss).isGreaterThan(Runtime.getRuntime().totalMemory() / 64).isLessThan(1L << 40);
    }
}
