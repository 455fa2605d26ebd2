package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jgnet's JFR events, recorded with {@link Recording} and read back with {@link RecordingFile}:
 * each event is committed when its cause happens, with the fields that say what happened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JgnetEventsTest {
    private static final long GUARD_SECONDS = 20;
    private static final String BLOCKING_FRAME = "JgnetEventsTest$Server.blockOnLatch";

    @TempDir
    Path dir;

    /** Slow on purpose: one callback sleeps past the slow-iteration threshold; the rest echoes. */
    static final class Server implements EventHandler {
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final CountDownLatch blocking = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Action onTraffic(Conn conn) {
            String request = java.nio.charset.StandardCharsets.US_ASCII.decode(conn.peek(-1)).toString();
            if (request.startsWith("slow")) {
                conn.discard(-1);
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                conn.write(new byte[] {'s'});
            } else if (request.startsWith("block")) {
                conn.discard(-1);
                blockOnLatch();
                conn.write(new byte[] {'b'});
            } else if (request.startsWith("big")) {
                conn.discard(-1);
                conn.write(new byte[256 * 1024]);
            }
            // Anything else stays unconsumed: past the inbound cap the connection is cut.
            return Action.NONE;
        }

        /** Its own frame, so that the report of this block is told from that of a slow turn. */
        private void blockOnLatch() {
            blocking.countDown();
            try {
                release.await(GUARD_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            closed.complete(cause);
            return Action.NONE;
        }
    }

    @Test
    void everyEventIsRecordedWithWhatHappened() throws Exception {
        Server server = new Server();
        Options options = Options.builder().loops(1).readBufferCap(1024).inboundBufferCap(4096)
                .writeBufferWatermarks(1024, 64 * 1024)
                .diagnostics(d -> d.slowIterationThreshold(Duration.ofMillis(10)).blockedLoopThreshold(Duration.ofMillis(50)))
                .build();
        Path file = dir.resolve("jgnet.jfr");
        CompletableFuture<Void> blockedReported = new CompletableFuture<>();
        try (Recording recording = new Recording(); RecordingStream watch = new RecordingStream()) {
            // The stream only tells when the watcher's event is committed; the recording is what is checked.
            watch.enable("io.jgnet.BlockedLoop");
            watch.onEvent("io.jgnet.BlockedLoop", e -> {
                // Class loading on a busy machine may stall a turn too: wait for the handler's.
                if (e.getString("stack").contains(BLOCKING_FRAME)) {
                    blockedReported.complete(null);
                }
            });
            watch.startAsync();
            for (String name : List.of("ConnectionOpened", "ConnectionClosed", "SlowIteration", "BlockedLoop",
                    "BufferCapExceeded", "WritabilityChanged")) {
                recording.enable("io.jgnet." + name);
            }
            recording.start();
            Engine engine = Jgnet.start(server, "tcp://127.0.0.1:0", options);
            try {
                InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
                try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                    client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
                    InputStream in = client.getInputStream();
                    client.getOutputStream().write("slow".getBytes());
                    assertThat(in.read()).isEqualTo('s');
                    client.getOutputStream().write("block".getBytes());
                    assertThat(server.blocking.await(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
                    // Held until the watcher has reported the loop (its JFR event is committed then).
                    blockedReported.get(GUARD_SECONDS, TimeUnit.SECONDS);
                    server.release.countDown();
                    assertThat(in.read()).isEqualTo('b');
                    client.getOutputStream().write("big".getBytes());
                    assertThat(in.readNBytes(256 * 1024)).hasSize(256 * 1024);
                    client.getOutputStream().write(new byte[8192]);
                    assertThat(server.closed.get(GUARD_SECONDS, TimeUnit.SECONDS)).hasMessageContaining("inbound buffer cap");
                }
            } finally {
                server.release.countDown();
                engine.stop(Duration.ofSeconds(5));
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(named(events, "io.jgnet.ConnectionOpened")).singleElement()
                .satisfies(e -> assertThat(e.getString("remoteAddress")).contains("127.0.0.1"));
        assertThat(named(events, "io.jgnet.ConnectionClosed")).singleElement()
                .satisfies(e -> assertThat(e.getString("cause")).contains("inbound buffer cap"));
        assertThat(named(events, "io.jgnet.BufferCapExceeded")).singleElement().satisfies(e -> {
            assertThat(e.getString("buffer")).isEqualTo("inbound");
            assertThat(e.getInt("cap")).isEqualTo(4096);
            assertThat(e.getLong("size")).isGreaterThan(4096);
        });
        assertThat(named(events, "io.jgnet.WritabilityChanged")).extracting(e -> e.getBoolean("writable"))
                .containsExactly(false, true);
        assertThat(named(events, "io.jgnet.SlowIteration")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getDuration("busy")).isGreaterThan(Duration.ofMillis(10)));
        assertThat(named(events, "io.jgnet.BlockedLoop")).filteredOn(e -> e.getString("stack").contains(BLOCKING_FRAME))
                .singleElement().satisfies(e -> {
            assertThat(e.getString("thread")).isEqualTo("jgnet-loop-0");
            assertThat(e.getDuration("blocked")).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        });
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
