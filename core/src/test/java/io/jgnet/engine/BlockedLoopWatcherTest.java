package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocked-loop watcher logs a handler that holds its loop, with the loop's stack. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockedLoopWatcherTest {
    private static final long GUARD_SECONDS = 20;

    /** Blocks its loop on a latch for the first byte it sees, and echoes afterwards. */
    static final class LatchedHandler implements EventHandler {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Action onTraffic(Conn conn) {
            try {
                release.await(GUARD_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            conn.write(conn.next(-1));
            return Action.NONE;
        }
    }

    /** Completes with the first WARNING about a blocked loop whose stack shows {@code frame}. */
    static final class BlockedLines extends Handler {
        final CompletableFuture<LogRecord> found = new CompletableFuture<>();
        private final String frame;

        BlockedLines(String frame) {
            this.frame = frame;
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getMessage().contains("blocked-loop threshold") && record.getThrown() != null) {
                StringWriter stack = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(stack));
                if (stack.toString().contains(frame)) {
                    found.complete(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aHandlerBlockingItsLoopIsLoggedWithItsStack() throws Exception {
        LatchedHandler handler = new LatchedHandler();
        BlockedLines lines = new BlockedLines("BlockedLoopWatcherTest$LatchedHandler.onTraffic");
        Logger logger = Logger.getLogger("io.jgnet");
        logger.addHandler(lines);
        Options options = Options.builder().loops(1)
                .diagnostics(d -> d.blockedLoopThreshold(Duration.ofMillis(100))).build();
        Engine engine = Jgnet.start(handler, "tcp://127.0.0.1:0", options);
        try (Socket client = new Socket()) {
            client.connect(engine.listenAddresses().getFirst());
            client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
            client.getOutputStream().write('x');
            LogRecord record = lines.found.get(GUARD_SECONDS, TimeUnit.SECONDS);
            assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(record.getMessage()).contains("jgnet-loop-0").contains("blocked-loop threshold 100 ms");
            handler.release.countDown();
            // The loop goes on once the handler returns.
            assertThat(client.getInputStream().read()).isEqualTo('x');
        } finally {
            handler.release.countDown();
            logger.removeHandler(lines);
            engine.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theThresholdsAreCheckedByTheBuilder() {
        assertThatThrownBy(() -> Options.builder().diagnostics(d -> d.blockedLoopThreshold(Duration.ofMillis(-1))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockedLoopThreshold");
        assertThatThrownBy(() -> Options.builder().diagnostics(d -> d.slowIterationThreshold(null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowIterationThreshold");
        assertThat(Options.defaults().diagnostics().blockedLoopThreshold()).isEqualTo(Duration.ofSeconds(2));
    }
}
