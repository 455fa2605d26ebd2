package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.ConnectionTimeoutException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection timeouts and cancellable timers on virtual time ({@link TestPeer#advance}): each
 * timeout expires exactly when due, not a millisecond before, and activity of its kind pushes
 * it back. The same behaviours over real sockets are in the conformance suite.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimeoutsTest {
    private static final Duration MS = Duration.ofMillis(1);

    /** Echoes; records timeouts it was asked about. */
    static class Echo implements EventHandler {
        final List<ConnectionTimeoutException> timeouts = new CopyOnWriteArrayList<>();

        @Override
        public Action onTraffic(Conn conn) {
            conn.write(conn.next(-1));
            return Action.NONE;
        }

        @Override
        public Action onTimeout(Conn conn, ConnectionTimeoutException timeout) {
            timeouts.add(timeout);
            return EventHandler.super.onTimeout(conn, timeout);
        }
    }

    private static Options timeouts(java.util.function.Consumer<Timeouts.Builder> settings) {
        return Options.builder().timeouts(settings).build();
    }

    /** Still open {@code remaining} less 1 ms from now; closed by the {@code kind} timeout at {@code remaining}. */
    private static void assertExpiresIn(TestPeer peer, Duration remaining, Kind kind, Duration timeout) throws Exception {
        peer.advance(remaining.minus(MS));
        assertThat(peer.isClosed()).as("%s before the %s timeout is due", MS, kind).isFalse();
        peer.advance(MS);
        assertTimedOut(peer, kind, timeout);
    }

    private static void assertTimedOut(TestPeer peer, Kind kind, Duration timeout) {
        assertThat(peer.isClosed()).isTrue();
        assertThat(peer.closeCause()).isInstanceOfSatisfying(ConnectionTimeoutException.class, cause -> {
            assertThat(cause.kind()).isEqualTo(kind);
            assertThat(cause.timeout()).isEqualTo(timeout);
            assertThat(cause).hasMessageContaining(kind.name().toLowerCase() + " timeout of " + timeout.toMillis() + " ms");
        });
    }

    @Test
    void idleTimeoutClosesAConnectionSilentBothWaysAndTrafficPushesItBack() throws Exception {
        Duration idle = Duration.ofSeconds(75);
        try (TestPeer peer = TestPeer.connect(new Echo(), timeouts(t -> t.idle(idle)))) {
            peer.advance(Duration.ofSeconds(70));
            peer.send("ping");
            assertThat(peer.receivedText()).isEqualTo("ping");
            assertExpiresIn(peer, idle, Kind.IDLE, idle);
        }
    }

    @Test
    void readTimeoutIgnoresOurOwnWritesButIdleDoesNot() throws Exception {
        Duration read = Duration.ofSeconds(10);
        EventHandler talker = new Echo() {
            @Override
            public Action onOpen(Conn conn) {
                // Writes every second; the peer never says anything.
                Runnable[] tick = new Runnable[1];
                tick[0] = () -> {
                    if (conn.isOpen()) {
                        conn.write(new byte[] {'.'});
                        conn.eventLoop().schedule(tick[0], Duration.ofSeconds(1));
                    }
                };
                conn.eventLoop().schedule(tick[0], Duration.ofSeconds(1));
                return Action.NONE;
            }
        };
        try (TestPeer peer = TestPeer.connect(talker, timeouts(t -> t.read(read).idle(Duration.ofSeconds(3))))) {
            peer.advance(Duration.ofMillis(9_999));
            assertThat(peer.receivedText()).isEqualTo(".........");
            assertThat(peer.isClosed()).as("writes keep it from being idle, and 10 s have not passed").isFalse();
            peer.advance(MS);
            assertTimedOut(peer, Kind.READ, read);
        }
    }

    @Test
    void writeTimeoutClosesAtOnceWhenThePeerStopsReadingAndProgressPushesItBack() throws Exception {
        Duration write = Duration.ofSeconds(5);
        try (TestPeer peer = TestPeer.connect(new Echo(), timeouts(t -> t.write(write)))) {
            peer.stopReading();
            peer.send("stuck");
            peer.advance(Duration.ofSeconds(4));
            peer.resumeReading();
            assertThat(peer.receivedText()).isEqualTo("stuck");
            peer.stopReading();
            peer.send("stuck again");
            assertExpiresIn(peer, write, Kind.WRITE, write);
        }
    }

    @Test
    void lifetimeCapsABusyConnection() throws Exception {
        Duration lifetime = Duration.ofMinutes(10);
        try (TestPeer peer = TestPeer.connect(new Echo(), timeouts(t -> t.lifetime(lifetime).idle(Duration.ofMinutes(1))))) {
            for (int i = 0; i < 19; i++) {
                peer.advance(Duration.ofSeconds(30));
                peer.send("busy");
            }
            assertExpiresIn(peer, Duration.ofSeconds(30), Kind.LIFETIME, lifetime);
        }
    }

    @Test
    void aHandlerThatKeepsTheConnectionOnTimeoutRestartsThatClock() throws Exception {
        AtomicInteger pings = new AtomicInteger();
        Echo pinger = new Echo() {
            @Override
            public Action onTimeout(Conn conn, ConnectionTimeoutException timeout) {
                timeouts.add(timeout);
                if (pings.incrementAndGet() <= 2) {
                    conn.write("PING\n".getBytes());
                    return Action.NONE;
                }
                return Action.CLOSE;
            }
        };
        try (TestPeer peer = TestPeer.connect(pinger, timeouts(t -> t.read(Duration.ofSeconds(30))))) {
            peer.advance(Duration.ofSeconds(30));
            assertThat(peer.receivedText()).isEqualTo("PING\n");
            peer.advance(Duration.ofSeconds(30));
            assertThat(peer.receivedText()).isEqualTo("PING\n");
            assertThat(peer.isClosed()).isFalse();
            peer.advance(Duration.ofSeconds(30));
            assertTimedOut(peer, Kind.READ, Duration.ofSeconds(30));
            assertThat(pinger.timeouts).extracting(ConnectionTimeoutException::kind).containsExactly(Kind.READ, Kind.READ, Kind.READ);
        }
    }

    @Test
    void aLastReplyWrittenOnTimeoutIsSentBeforeTheClose() throws Exception {
        Echo replier = new Echo() {
            @Override
            public Action onTimeout(Conn conn, ConnectionTimeoutException timeout) {
                conn.write("HTTP/1.1 408 Request Timeout\r\n\r\n".getBytes());
                return Action.CLOSE;
            }
        };
        try (TestPeer peer = TestPeer.connect(replier, timeouts(t -> t.read(Duration.ofSeconds(60))))) {
            peer.stopReading();
            peer.advance(Duration.ofSeconds(60));
            assertThat(peer.isClosed()).as("waits for its reply to drain").isFalse();
            peer.resumeReading();
            assertThat(peer.receivedText()).isEqualTo("HTTP/1.1 408 Request Timeout\r\n\r\n");
            assertTimedOut(peer, Kind.READ, Duration.ofSeconds(60));
        }
    }

    @Test
    void aConnectionsTimeoutsCanBeChangedOnItsLoop() throws Exception {
        try (TestPeer peer = TestPeer.connect(new Echo(), Options.defaults())) {
            Conn conn = peer.conn();
            assertThatThrownBy(conn::timeouts).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must run on the connection's event loop thread");
            CompletableFuture<Timeouts> changed = new CompletableFuture<>();
            conn.execute(() -> {
                conn.timeouts(t -> t.idle(Duration.ofSeconds(2)));
                changed.complete(conn.timeouts());
            });
            peer.runPending();
            assertThat(changed.get().idle()).isEqualTo(Duration.ofSeconds(2));
            assertThat(changed.get().read()).isZero();
            assertExpiresIn(peer, Duration.ofSeconds(2), Kind.IDLE, Duration.ofSeconds(2));
        }
    }

    @Test
    void aSuspendedReaderHasNoReadTimeoutUntilItResumes() throws Exception {
        Echo pausing = new Echo() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.next(-1);
                conn.suspendReading();
                conn.eventLoop().schedule(conn::resumeReading, Duration.ofSeconds(100));
                return Action.NONE;
            }
        };
        try (TestPeer peer = TestPeer.connect(pausing, timeouts(t -> t.read(Duration.ofSeconds(10))))) {
            peer.send("x");
            peer.advance(Duration.ofSeconds(100));
            assertThat(peer.isClosed()).as("the handler chose not to read").isFalse();
            assertExpiresIn(peer, Duration.ofSeconds(10), Kind.READ, Duration.ofSeconds(10));
        }
    }

    @Test
    void aCancelledScheduleNeverRunsAndItsHandleSaysSo() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (TestPeer peer = TestPeer.connect(new Echo(), Options.defaults())) {
            EventLoop loop = peer.conn().eventLoop();
            Scheduled kept = loop.schedule(ran::incrementAndGet, Duration.ofSeconds(5));
            Scheduled dropped = loop.schedule(() -> ran.addAndGet(100), Duration.ofSeconds(5));
            assertThat(dropped.cancel()).isTrue();
            assertThat(dropped.isCancelled()).isTrue();
            assertThat(dropped.isDone()).isTrue();
            assertThat(kept.isDone()).isFalse();
            peer.advance(Duration.ofMillis(4_999));
            assertThat(ran.get()).isZero();
            peer.advance(MS);
            assertThat(ran.get()).isEqualTo(1);
            assertThat(kept.isDone()).isTrue();
            assertThat(kept.cancel()).as("too late").isFalse();
            assertThat(kept.isCancelled()).isFalse();
        }
    }

    @Test
    void timeoutValuesAreChecked() {
        assertThatThrownBy(() -> Options.builder().timeouts(t -> t.idle(Duration.ofSeconds(-1))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeouts.idle");
        assertThatThrownBy(() -> Options.builder().timeouts(t -> t.read(null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeouts.read");
        Options options = Options.builder().timeouts(t -> t.write(Duration.ofSeconds(3))).build();
        assertThat(options.timeouts().write()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.timeouts().connect()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options).isNotEqualTo(Options.defaults());
        assertThat(options.toString()).contains("timeouts=Timeouts[idle=off, read=off, write=PT3S");
    }
}
