package io.jgnet.engine;

import static io.jgnet.engine.MemoryTransport.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Options;
import io.jgnet.engine.MemoryTransport.MemoryListener;
import io.jgnet.engine.MemoryTransport.MemoryPoller;
import io.jgnet.engine.MemoryTransport.MemorySocket;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults the kernel cannot be made to produce on cue, injected through the in-memory transport
 * (issue 15): an accept refused for want of descriptors (ENFILE is system-wide, so a test cannot
 * cause it; EMFILE is also caused for real in the conformance suite's
 * {@code DescriptorLimitBehaviours}), and a send the kernel refuses with ENOBUFS or ENOMEM. The
 * engine sees these through the transport seam exactly as from epoll, io_uring or nio, which
 * report EMFILE and ENFILE alike as {@code onDescriptorsExhausted} and a failed send as an
 * IOException from {@code flush}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultInjectionTest {
    private LoopGroup engine;
    private MemoryPoller poller;

    /** Echoes; remembers each connection's close cause. */
    static final class Echo implements EventHandler {
        final Map<Conn, Throwable> closed = new ConcurrentHashMap<>();

        @Override
        public Action onTraffic(Conn conn) {
            conn.write(conn.next(-1));
            return Action.NONE;
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            closed.put(conn, cause == null ? new AssertionError("closed cleanly") : cause);
            return Action.NONE;
        }
    }

    /** Captures jgnet's log lines. */
    static final class LogLines extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("io.jgnet");
        final List<String> lines = new CopyOnWriteArrayList<>();

        LogLines() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    private MemoryListener start(EventHandler handler) throws Exception {
        MemoryTransport transport = new MemoryTransport();
        engine = LoopGroup.start(handler, Options.builder().loops(1).reusePort(true).build(),
                List.of("tcp://127.0.0.1:0"), transport);
        poller = transport.poller(0);
        return onLoop(poller, () -> poller.listeners.get(0));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void outOfDescriptorsTheLoopPausesTheListenerServesItsConnectionsAndAcceptsOnceOneCloses() throws Exception {
        try (LogLines log = new LogLines()) {
            MemoryListener listener = start(new Echo());
            MemorySocket served = onLoop(poller, listener::connect);
            MemorySocket leaving = onLoop(poller, listener::connect);

            onLoop(poller, () -> {
                listener.refuseForWantOfDescriptors();
                listener.refuseForWantOfDescriptors(); // a second refusal while paused changes nothing
            });
            assertThat(onLoop(poller, () -> listener.pauses)).as("paused once").isEqualTo(1);
            assertThat(poller.lastTimeoutNanos).as("the loop sleeps instead of spinning on the listener")
                    .isNotZero().isLessThanOrEqualTo(AcceptBackoff.RETRY_NANOS);

            onLoop(poller, () -> served.peerSends("still served".getBytes()));
            assertThat(served.sent.toString()).isEqualTo("still served");
            assertThat(log.lines).as("nothing logged while out of descriptors")
                    .noneMatch(line -> line.contains("file descriptors"));

            onLoop(poller, leaving::peerHangsUp); // frees a descriptor
            onLoop(poller, () -> { });
            assertThat(onLoop(poller, () -> listener.resumes)).as("accepting again").isEqualTo(1);
            MemorySocket newcomer = onLoop(poller, listener::connect);
            onLoop(poller, () -> newcomer.peerSends("accepted again".getBytes()));
            assertThat(newcomer.sent.toString()).isEqualTo("accepted again");
            assertThat(log.lines).filteredOn(line -> line.contains("ran out of file descriptors"))
                    .singleElement().asString().contains("2 accepts refused");
        }
    }

    @Test
    void outOfDescriptorsWithNoConnectionClosingTheLoopTriesAgainAfterTheDelay() throws Exception {
        MemoryListener listener = start(new Echo());
        onLoop(poller, listener::refuseForWantOfDescriptors);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Each step is one loop iteration; the retry comes once RETRY_NANOS have passed.
        while (onLoop(poller, () -> listener.resumes) == 0) {
            assertThat(System.nanoTime() - deadline).as("the listener is resumed after the delay").isNegative();
        }
        assertThat(onLoop(poller, () -> listener.paused)).isFalse();
        MemorySocket newcomer = onLoop(poller, listener::connect);
        onLoop(poller, () -> newcomer.peerSends("back".getBytes()));
        assertThat(newcomer.sent.toString()).isEqualTo("back");
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.ENOBUFS, Errno.ENOMEM})
    void aSendTheKernelRefusesClosesThatConnectionWithTheErrorAndTheLoopServesOn(int errno) throws Exception {
        Echo handler = new Echo();
        MemoryListener listener = start(handler);
        MemorySocket victim = onLoop(poller, listener::connect);
        MemorySocket bystander = onLoop(poller, listener::connect);
        ErrnoException refused = new ErrnoException("write(fd 9)", errno);

        onLoop(poller, () -> {
            victim.failNextFlush = refused;
            victim.peerSends("lost".getBytes());
        });
        assertThat(victim.closed).isTrue();
        assertThat(handler.closed.get((Conn) victim.attachment)).isSameAs(refused)
                .hasMessageContaining(Errno.name(errno));

        onLoop(poller, () -> bystander.peerSends("served on".getBytes()));
        assertThat(bystander.sent.toString()).isEqualTo("served on");
        assertThat(bystander.closed).isFalse();
        MemorySocket newcomer = onLoop(poller, listener::connect);
        onLoop(poller, () -> newcomer.peerSends("new".getBytes()));
        assertThat(newcomer.sent.toString()).isEqualTo("new");
    }
}
