package io.jgnet.engine;

import static io.jgnet.engine.MemoryTransport.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Options;
import io.jgnet.engine.MemoryTransport.MemoryPoller;
import io.jgnet.engine.MemoryTransport.MemorySocket;
import io.jgnet.engine.SocketConnection.Input;
import io.jgnet.engine.SocketConnection.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection state machine on the in-memory transport: the test plays the kernel and the
 * peer, step by step on the loop thread, and checks each transition of the input and output
 * halves. See {@link SocketConnection}'s diagram.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionStateTest {
    private static final int KIB = 1024;

    private LoopGroup engine;
    private MemoryPoller poller;

    /** Records what a connection's handler sees. */
    static class Recording implements EventHandler {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final AtomicInteger halfCloses = new AtomicInteger();
        final AtomicInteger writables = new AtomicInteger();
        SocketConnection conn;

        @Override
        public Action onOpen(Conn conn) {
            this.conn = (SocketConnection) conn;
            return Action.NONE;
        }

        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer view = conn.next(-1);
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            received.writeBytes(bytes);
            return Action.NONE;
        }

        @Override
        public Action onHalfClose(Conn conn) {
            halfCloses.incrementAndGet();
            return Action.NONE;
        }

        @Override
        public Action onWritable(Conn conn) {
            writables.incrementAndGet();
            return Action.NONE;
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            closed.complete(cause);
            return Action.NONE;
        }
    }

    /** A recording handler that suspends reading as soon as the connection opens. */
    static class SuspendedAtOpen extends Recording {
        @Override
        public Action onOpen(Conn conn) {
            conn.suspendReading();
            return super.onOpen(conn);
        }
    }

    private MemorySocket start(EventHandler handler, Options.Builder options) throws Exception {
        MemoryTransport transport = new MemoryTransport();
        engine = LoopGroup.start(handler, options.loops(1).reusePort(true).build(), List.of("tcp://127.0.0.1:0"), transport);
        poller = transport.poller(0);
        return onLoop(poller, () -> poller.listeners.get(0).connect());
    }

    private MemorySocket start(EventHandler handler) throws Exception {
        return start(handler, Options.builder());
    }

    /** Lets the loop finish an iteration (deliveries made ready by the last step happen before this one). */
    private void turn() throws Exception {
        onLoop(poller, () -> { });
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aHangUpWhileReadingIsSuspendedLosesNothing_theBytesAndTheEndComeOnResume() throws Exception {
        Recording handler = new SuspendedAtOpen();
        MemorySocket socket = start(handler);
        onLoop(poller, () -> {
            socket.peerSends("the last bytes".getBytes());
            socket.peerHangsUp();
        });
        assertThat(socket.hasHungUp()).isTrue();
        assertThat(handler.conn.input()).isEqualTo(Input.SUSPENDED);
        assertThat(handler.conn.isOpen()).as("a hang-up while suspended is not the end").isTrue();
        assertThat(handler.received.size()).isZero();

        onLoop(poller, () -> handler.conn.resumeReading());
        turn();
        assertThat(handler.received.toString()).isEqualTo("the last bytes");
        assertThat(handler.halfCloses).hasValue(1);
        assertThat(handler.conn.input()).isEqualTo(Input.ENDED);
    }

    @Test
    void aHangUpWhileReadingNormallyMeansNothingIsLeft_theConnectionClosesCleanly() throws Exception {
        Recording handler = new Recording();
        MemorySocket socket = start(handler);
        onLoop(poller, () -> handler.conn.shutdownOutput());
        onLoop(poller, socket::peerHangsUp);
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(socket.closed).isTrue();
    }

    @Test
    void endOfInputThenTheDefaultHalfCloseClosesOnlyAfterTheOutputIsSent() throws Exception {
        Recording handler = new Recording() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }

            @Override
            public Action onHalfClose(Conn conn) {
                super.onHalfClose(conn);
                return Action.CLOSE;
            }
        };
        MemorySocket socket = start(handler);
        socket.window = 2;
        onLoop(poller, () -> {
            socket.peerSends("hello".getBytes());
            socket.peerEnds();
        });
        assertThat(socket.sent.toString()).isEqualTo("he");
        assertThat(handler.conn.input()).isEqualTo(Input.CLOSED);
        assertThat(handler.conn.output()).isEqualTo(Output.DRAINING);
        assertThat(socket.closed).as("closing waits for the output").isFalse();

        onLoop(poller, () -> socket.drain(100));
        assertThat(socket.sent.toString()).isEqualTo("hello");
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(socket.closed).isTrue();
    }

    @Test
    void aHalfOpenConnectionWritesOnThenShutsDownAndClosesWhenBothDirectionsAreDone() throws Exception {
        Recording handler = new Recording() {
            @Override
            public Action onHalfClose(Conn conn) {
                super.onHalfClose(conn);
                conn.write("bye".getBytes());
                conn.shutdownOutput();
                return Action.NONE;
            }
        };
        MemorySocket socket = start(handler);
        socket.window = 0;
        onLoop(poller, socket::peerEnds);
        assertThat(handler.conn.input()).isEqualTo(Input.ENDED);
        assertThat(handler.conn.output()).as("the FIN waits for the output").isEqualTo(Output.SHUTTING);
        assertThat(socket.outputShut).isFalse();
        assertThat(handler.conn.isOpen()).isTrue();

        onLoop(poller, () -> socket.drain(100));
        assertThat(socket.sent.toString()).isEqualTo("bye");
        assertThat(socket.outputShut).isTrue();
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).as("both directions done: clean").isNull();
    }

    @Test
    void shuttingDownOutputFirstKeepsReadingUntilThePeerEnds() throws Exception {
        Recording handler = new Recording();
        MemorySocket socket = start(handler);
        onLoop(poller, () -> handler.conn.shutdownOutput());
        assertThat(handler.conn.output()).isEqualTo(Output.SHUT);
        assertThat(socket.outputShut).isTrue();
        onLoop(poller, () -> socket.peerSends("still reading".getBytes()));
        assertThat(handler.received.toString()).isEqualTo("still reading");
        assertThat(handler.closed).isNotDone();
        onLoop(poller, socket::peerEnds);
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void passingTheWriteCapClosesAtTheEndOfTheBatchWithTheCapAsCause() throws Exception {
        CompletableFuture<Boolean> openAfterWrite = new CompletableFuture<>();
        Recording handler = new Recording() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                conn.write(new byte[70 * KIB]);
                openAfterWrite.complete(conn.isOpen());
                return Action.NONE;
            }
        };
        MemorySocket socket = start(handler, Options.builder().writeBufferCap(64 * KIB).writeBufferWatermarks(16 * KIB, 32 * KIB));
        socket.window = 0;
        onLoop(poller, () -> socket.peerSends("go".getBytes()));
        assertThat(openAfterWrite.get(5, TimeUnit.SECONDS)).as("closing, not closed, inside the callback").isFalse();
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("write buffer cap of " + 64 * KIB);
        assertThat(socket.closed).isTrue();
    }

    @Test
    void outputAboveTheHighWatermarkIsNotWritableUntilItFallsBelowTheLowOne() throws Exception {
        Recording handler = new Recording() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                conn.write(new byte[40 * KIB]);
                return Action.NONE;
            }
        };
        MemorySocket socket = start(handler, Options.builder().writeBufferWatermarks(16 * KIB, 32 * KIB));
        socket.window = 0;
        onLoop(poller, () -> socket.peerSends("go".getBytes()));
        assertThat(handler.conn.isWritable()).isFalse();
        onLoop(poller, () -> socket.drain(20 * KIB));
        assertThat(handler.writables).as("still above the low watermark").hasValue(0);
        onLoop(poller, () -> socket.drain(10 * KIB));
        assertThat(handler.writables).hasValue(1);
        assertThat(handler.conn.isWritable()).isTrue();
        assertThat(socket.sent.size()).isEqualTo(30 * KIB);
    }

    @Test
    void aDrainThatNeverEndsIsCutAtTheCloseTimeout() throws Exception {
        Recording handler = new Recording() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.CLOSE;
            }
        };
        MemorySocket socket = start(handler, Options.builder().closeTimeout(Duration.ofMillis(50)));
        socket.window = 0;
        onLoop(poller, () -> socket.peerSends("never read".getBytes()));
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("close timed out").hasMessageContaining("10 bytes unsent");
    }

    @Test
    void aHandlerExceptionClosesItsConnectionWithTheCauseAndNotTheOthers() throws Exception {
        RuntimeException boom = new IllegalStateException("boom");
        Recording handler = new Recording() {
            @Override
            public Action onTraffic(Conn conn) {
                if (conn.peek(1).get(0) == '!') {
                    throw boom;
                }
                return super.onTraffic(conn);
            }
        };
        MemorySocket failing = start(handler);
        SocketConnection failingConn = handler.conn;
        MemorySocket other = onLoop(poller, () -> poller.listeners.get(0).connect());
        onLoop(poller, () -> failing.peerSends("!".getBytes()));
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(failingConn.output()).isEqualTo(Output.CLOSED);
        onLoop(poller, () -> other.peerSends("fine".getBytes()));
        assertThat(handler.received.toString()).isEqualTo("fine");
        assertThat(handler.conn.isOpen()).isTrue();
    }

    @Test
    void aResetWhileSuspendedClosesWithTheCause() throws Exception {
        Recording handler = new SuspendedAtOpen();
        MemorySocket socket = start(handler);
        onLoop(poller, socket::peerResets);
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("reset");
    }

    @Test
    void aLoopThatCannotGoOnClosesItsConnectionsAndStopsTheEngine() throws Exception {
        Recording handler = new Recording();
        start(handler);
        Error broken = new Error("the poller broke");
        poller.failNextPoll = broken;
        poller.wakeup();
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("ended");
        CompletableFuture.runAsync(() -> {
            try {
                engine.awaitTermination();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(20, TimeUnit.SECONDS);
        assertThat(engine.isTerminated()).isTrue();
        assertThat(engine.failure()).isSameAs(broken);
    }

    /** Writes "bye" and closes on the first bytes. */
    static class SaysByeAndCloses extends Recording {
        @Override
        public Action onTraffic(Conn conn) {
            conn.discard(-1);
            conn.write("bye".getBytes());
            return Action.CLOSE;
        }
    }

    @Test
    void aCleanCloseKeepsTheSocketOpenAfterFinUntilThePeerAcknowledgedEverything() throws Exception {
        Recording handler = new SaysByeAndCloses();
        MemorySocket socket = start(handler);
        onLoop(poller, () -> {
            socket.unacknowledged = 4; // "bye" and the FIN
            socket.peerSends("hi".getBytes());
        });
        assertThat(socket.sent.toString()).isEqualTo("bye");
        assertThat(socket.outputShut).as("FIN after the output").isTrue();
        assertThat(socket.closed).as("a close now would let the peer's next bytes reset away what it lacks").isFalse();
        assertThat(handler.conn.input()).isEqualTo(Input.LINGERING);

        onLoop(poller, () -> socket.unacknowledged = 0);
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(socket.closed).isTrue();
    }

    @Test
    void aStopDeadlineCutsAConnectionWhoseOutputIsNotAcknowledgedAndSaysSo() throws Exception {
        Recording handler = new SaysByeAndCloses();
        MemorySocket socket = start(handler);
        onLoop(poller, () -> {
            socket.unacknowledged = 4;
            socket.peerSends("hi".getBytes());
        });
        assertThat(handler.conn.input()).isEqualTo(Input.LINGERING);

        assertThat(engine.stop(Duration.ofMillis(20))).as("stop reports the cut").isFalse();
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .hasMessageContaining("before the peer acknowledged 4 bytes");
    }

    @Test
    void aStopDeadlineDoesNotCountAPeerThatHasEverythingButKeepsSending() throws Exception {
        Recording handler = new SaysByeAndCloses();
        MemorySocket socket = start(handler);
        onLoop(poller, () -> {
            socket.unreadEachLook = 100; // never stops sending, never ends
            socket.peerSends("hi".getBytes());
        });
        assertThat(handler.conn.input()).as("unread input lingers").isEqualTo(Input.LINGERING);

        assertThat(engine.stop(Duration.ofMillis(20))).as("everything was acknowledged: no cut").isTrue();
        assertThat(handler.closed.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(socket.closed).isTrue();
    }
}
