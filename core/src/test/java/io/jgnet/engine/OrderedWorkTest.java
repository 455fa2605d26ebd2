package io.jgnet.engine;

import static io.jgnet.engine.MemoryTransport.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Options;
import io.jgnet.engine.MemoryTransport.MemoryPoller;
import io.jgnet.engine.MemoryTransport.MemorySocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Conn#offload} on the in-memory transport with an executor the test drives: tasks finish
 * in the order the test chooses, and the replies still leave in request order.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OrderedWorkTest {
    private LoopGroup engine;
    private MemoryPoller poller;
    /** Tasks submitted, by the name of the request; the test runs them when it likes. */
    private final Map<String, Runnable> tasks = new ConcurrentHashMap<>();
    private final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    /** The file {@code P} sends a byte of. */
    private FileChannel file;

    /**
     * One request per line: {@code S name} offloads a task answering {@code name}, {@code T name}
     * offloads one that throws, {@code F name} answers inline, {@code Q} closes.
     */
    private final class LineHandler implements EventHandler {
        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer all = conn.peek(-1);
            int start = all.position();
            for (int i = start; i < all.limit(); i++) {
                if (all.get(i) != '\n') {
                    continue;
                }
                byte[] bytes = new byte[i - start];
                all.get(start, bytes);
                conn.discard(i - start + 1);
                String line = new String(bytes, StandardCharsets.US_ASCII);
                start = i + 1;
                String name = line.substring(Math.min(2, line.length()));
                switch (line.charAt(0)) {
                    case 'S' -> conn.offload(() -> (name + ";").getBytes(StandardCharsets.US_ASCII));
                    case 'T' -> conn.offload(() -> {
                        throw new IllegalStateException("task " + name + " failed");
                    });
                    case 'F' -> conn.write((name + ";").getBytes(StandardCharsets.US_ASCII));
                    case 'Q' -> {
                        return Action.CLOSE;
                    }
                    case 'P' -> conn.sendFile(file, 0, 1);
                    default -> throw new IllegalArgumentException(line);
                }
            }
            return Action.NONE;
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            closed.complete(cause);
            return Action.NONE;
        }
    }

    /** Keeps each task under the name of the request that offloaded it (they are submitted in order). */
    private Executor heldTasks(List<String> names) {
        return new Executor() {
            private int next;

            @Override
            public synchronized void execute(Runnable task) {
                tasks.put(names.get(next++), task);
            }
        };
    }

    private MemorySocket start(List<String> offloaded, int maxPending) throws Exception {
        MemoryTransport transport = new MemoryTransport();
        Options options = Options.builder().loops(1).reusePort(true)
                .offload(o -> o.executor(heldTasks(offloaded)).maxPending(maxPending)).build();
        engine = LoopGroup.start(new LineHandler(), options, List.of("tcp://127.0.0.1:0"), transport);
        poller = transport.poller(0);
        return onLoop(poller, () -> poller.listeners.get(0).connect());
    }

    /** Runs the task of {@code name} here, then lets the loop take its result. */
    private void finish(String name) throws Exception {
        tasks.remove(name).run();
        onLoop(poller, () -> { });
    }

    private static String sent(MemorySocket socket) {
        return socket.sent.toString(StandardCharsets.US_ASCII);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void repliesLeaveInRequestOrderWhateverOrderTheTasksFinishIn() throws Exception {
        MemorySocket socket = start(List.of("a", "c", "e"), 64);
        onLoop(poller, () -> socket.peerSends("S a\nF b\nS c\nF d\nS e\nF f\n".getBytes()));
        assertThat(sent(socket)).as("everything waits behind a").isEmpty();
        finish("e");
        finish("c");
        assertThat(sent(socket)).as("c and e are done, a is not").isEmpty();
        finish("a");
        assertThat(sent(socket)).isEqualTo("a;b;c;d;e;f;");
        onLoop(poller, () -> socket.peerSends("F g\n".getBytes()));
        assertThat(sent(socket)).as("nothing outstanding: written at once").isEqualTo("a;b;c;d;e;f;g;");
    }

    @Test
    void tooManyTasksOutstandingPauseReadingUntilTheyDrain() throws Exception {
        MemorySocket socket = start(List.of("a", "b", "c"), 2);
        onLoop(poller, () -> socket.peerSends("S a\n".getBytes()));
        assertThat(socket.reading).isTrue();
        onLoop(poller, () -> socket.peerSends("S b\n".getBytes()));
        assertThat(socket.reading).as("two outstanding, the limit").isFalse();
        finish("b");
        assertThat(socket.reading).as("b is done but waits behind a: still two outstanding").isFalse();
        finish("a");
        assertThat(socket.reading).isTrue();
        assertThat(sent(socket)).isEqualTo("a;b;");
    }

    @Test
    void aCloseAskedForBehindOffloadedWorkWaitsForItsReplies() throws Exception {
        MemorySocket socket = start(List.of("a"), 64);
        onLoop(poller, () -> socket.peerSends("S a\nF b\nQ\n".getBytes()));
        assertThat(closed).isNotDone();
        assertThat(socket.reading).as("nothing is read after the close").isFalse();
        finish("a");
        assertThat(sent(socket)).isEqualTo("a;b;");
        assertThat(closed.get(10, TimeUnit.SECONDS)).as("a clean close").isNull();
    }

    @Test
    void aFileHeldBehindOffloadedWorkIsClosedIfTheConnectionEndsFirst(@TempDir Path dir) throws Exception {
        file = FileChannel.open(Files.write(dir.resolve("one.txt"), new byte[] {'x'}), StandardOpenOption.READ);
        MemorySocket socket = start(List.of("a"), 64);
        onLoop(poller, () -> socket.peerSends("S a\nP\n".getBytes()));
        assertThat(file.isOpen()).as("held behind a, not yet sent").isTrue();
        onLoop(poller, socket::peerResets);
        assertThat(closed.get(10, TimeUnit.SECONDS)).hasMessageContaining("reset");
        assertThat(file.isOpen()).as("closed with the connection").isFalse();
    }

    @Test
    void aTaskThatThrowsClosesTheConnectionWithItsException() throws Exception {
        MemorySocket socket = start(List.of("a"), 64);
        onLoop(poller, () -> socket.peerSends("T a\n".getBytes()));
        finish("a");
        assertThat(closed.get(10, TimeUnit.SECONDS)).hasMessage("task a failed");
    }
}
