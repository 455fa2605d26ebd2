package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventLoop;
import io.jgnet.conformance.FailureBehaviours.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults made to happen on real sockets (issue 15): a peer that resets while the server writes,
 * a handler that throws from each callback, a handler that blocks its loop. Each costs the
 * connection or loop at fault and nothing else. Faults the kernel cannot be made to produce on
 * cue (ENFILE, ENOBUFS on send) are injected through the in-memory transport instead, in
 * {@code io.jgnet.engine.FaultInjectionTest}; descriptor exhaustion for real is in
 * {@link DescriptorLimitBehaviours}.
 */
interface FaultBehaviours extends Harness {

    /** Streams 256 KiB chunks to a peer that sent 'S' while it stays writable; echoes anything else. */
    final class Streamer extends Recorder {
        private static final ByteBuffer CHUNK = ByteBuffer.allocateDirect(256 * 1024);
        final CompletableFuture<Conn> streaming = new CompletableFuture<>();
        /** Output waiting after the last write of a burst (read on the test thread). */
        volatile int backlog;

        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer first = conn.peek(1);
            if (first.get(first.position()) != 'S') {
                return super.onTraffic(conn);
            }
            conn.discard(-1);
            streaming.complete(conn);
            return onWritable(conn);
        }

        @Override
        public Action onWritable(Conn conn) {
            while (conn.isOpen() && conn.isWritable()) {
                conn.write(CHUNK.duplicate());
            }
            backlog = conn.isOpen() ? conn.outboundBuffered() : 0;
            return Action.NONE;
        }
    }

    @Test
    default void aPeerThatResetsWhileTheServerWritesCostsOnlyItsConnection() throws Exception {
        Streamer server = new Streamer();
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        Socket victim = Peers.connect(Peers.inet(engine));
        try (Socket bystander = Peers.connect(Peers.inet(engine))) {
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            victim.getOutputStream().write('S');
            Conn streaming = await(server.streaming);
            // The server is writing: read some of it, so the reset lands mid-stream.
            Peers.readExactly(victim.getInputStream(), 1024 * 1024);
            assertThat(server.backlog).as("output waiting when the peer resets").isPositive();
            victim.setSoLinger(true, 0);
            victim.close(); // an RST while output is pending

            assertThat(server.awaitClose(streaming)).isInstanceOf(IOException.class);
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
            assertThat(server.closes.get()).isEqualTo(1);
            try (Socket newcomer = Peers.connect(Peers.inet(engine))) {
                assertThat(Peers.echo(newcomer, "new")).isEqualTo("new");
            }
        } finally {
            victim.close();
        }
    }

    /** Where {@link Thrower} throws for one connection. */
    enum Callback { OPEN, TRAFFIC, HALF_CLOSE, WRITABLE, CLOSE, TASK, ASYNC_CALLBACK }

    /**
     * Throws from the callback chosen for the next connection ({@link #next}); echoes otherwise.
     * The test opens one connection at a time and waits for its onOpen, so each finds its own.
     */
    final class Thrower extends Recorder {
        volatile Callback next;
        final CompletableFuture<RuntimeException> thrown = new CompletableFuture<>();
        private static final ByteBuffer LOT = ByteBuffer.allocateDirect(4 * 1024 * 1024);

        private Action fail(Callback where) {
            RuntimeException boom = new IllegalStateException("thrown from " + where);
            thrown.complete(boom);
            throw boom;
        }

        @Override
        public Action onOpen(Conn conn) {
            conn.context(next);
            super.onOpen(conn);
            return next == Callback.OPEN ? fail(Callback.OPEN) : Action.NONE;
        }

        @Override
        public Action onTraffic(Conn conn) {
            if (conn.context() == null) {
                return super.onTraffic(conn);
            }
            switch ((Callback) conn.context()) {
                case TRAFFIC -> {
                    return fail(Callback.TRAFFIC);
                }
                case WRITABLE -> {
                    // More than the socket takes: the peer reading it makes the connection writable again.
                    conn.discard(-1);
                    while (conn.isWritable()) {
                        conn.write(LOT.duplicate());
                    }
                    return Action.NONE;
                }
                case TASK -> {
                    conn.discard(-1);
                    conn.execute(() -> fail(Callback.TASK));
                    conn.write("task queued\n".getBytes());
                    return Action.NONE;
                }
                case ASYNC_CALLBACK -> {
                    conn.discard(-1);
                    conn.asyncWrite(ByteBuffer.wrap("async\n".getBytes()), (c, error) -> fail(Callback.ASYNC_CALLBACK));
                    return Action.NONE;
                }
                default -> {
                    return super.onTraffic(conn);
                }
            }
        }

        @Override
        public Action onHalfClose(Conn conn) {
            return conn.context() == Callback.HALF_CLOSE ? fail(Callback.HALF_CLOSE) : Action.CLOSE;
        }

        @Override
        public Action onWritable(Conn conn) {
            return conn.context() == Callback.WRITABLE ? fail(Callback.WRITABLE) : Action.NONE;
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            super.onClose(conn, cause);
            return conn.context() == Callback.CLOSE ? fail(Callback.CLOSE) : Action.NONE;
        }
    }

    @ParameterizedTest
    @EnumSource(Callback.class)
    default void aHandlerThatThrowsFromACallbackCostsAtMostItsConnection(Callback where) throws Exception {
        Thrower server = new Thrower();
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        server.next = null;
        try (Socket bystander = Peers.connect(Peers.inet(engine))) {
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            server.next = where;
            try (Socket victim = Peers.connect(Peers.inet(engine))) {
                Conn conn = server.connOf(victim);
                provoke(where, victim);
                RuntimeException thrown = await(server.thrown);
                assertThat(thrown).hasMessage("thrown from " + where);
                Throwable cause = server.awaitClose(conn);
                switch (where) {
                    // A failing callback closes its connection, with the exception as cause.
                    case OPEN, TRAFFIC, HALF_CLOSE, WRITABLE -> {
                        assertThat(cause).isSameAs(thrown);
                        readUntilClosed(victim);
                    }
                    // A task or an async write's callback that throws is the handler's business:
                    // it is logged, and the connection goes on until it is closed.
                    case TASK, ASYNC_CALLBACK, CLOSE -> assertThat(cause).isNull();
                }
            }
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
            server.next = null;
            try (Socket newcomer = Peers.connect(Peers.inet(engine))) {
                assertThat(Peers.echo(newcomer, "new")).isEqualTo("new");
            }
        }
    }

    /** Makes the victim's connection reach the callback {@code where}. */
    private static void provoke(Callback where, Socket victim) throws IOException {
        switch (where) {
            case OPEN -> { }
            case TRAFFIC -> victim.getOutputStream().write('x');
            case HALF_CLOSE -> victim.shutdownOutput();
            case WRITABLE -> {
                victim.getOutputStream().write('x');
                // Reading the server's flood makes it writable again; it closes once onWritable has thrown.
                readUntilClosed(victim);
            }
            case CLOSE -> victim.shutdownOutput(); // onHalfClose closes, then onClose throws
            case TASK, ASYNC_CALLBACK -> {
                victim.getOutputStream().write('x');
                victim.getInputStream().read();
                victim.shutdownOutput(); // the connection goes on after the failure: end it cleanly
            }
        }
    }

    /** Reads (and drops) what the server sends until it closes: end of stream, or a reset if output was cut. */
    private static void readUntilClosed(Socket victim) throws IOException {
        victim.setSoTimeout((int) Peers.GUARD.toMillis());
        InputStream in = victim.getInputStream();
        byte[] sink = new byte[64 * 1024];
        try {
            while (in.read(sink) >= 0) {
                // drop
            }
        } catch (SocketException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    /** Blocks its loop in onTraffic when a peer sends 'B', until {@link #release} counts down. */
    final class Blocker extends Recorder {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer in = conn.peek(1);
            if (in.get(in.position()) == 'B') {
                conn.discard(1);
                blocked.countDown();
                try {
                    // The fault under test: a handler that blocks its loop (bounded, so a broken test ends).
                    release.await(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                conn.write("unblocked\n".getBytes());
                return Action.NONE;
            }
            return super.onTraffic(conn);
        }
    }

    @Test
    default void aHandlerThatBlocksItsLoopStallsOnlyThatLoopWhichServesAgainOnceItReturns() throws Exception {
        Blocker server = new Blocker();
        Engine engine = serve(server, options().loops(2).build(), "tcp://127.0.0.1:0");
        List<Socket> clients = new ArrayList<>();
        try {
            // Connect until two connections sit on different loops (the balancer decides where).
            Socket blocking = Peers.connect(Peers.inet(engine));
            clients.add(blocking);
            assertThat(Peers.echo(blocking, "hello")).isEqualTo("hello");
            EventLoop stalled = server.connOf(blocking).eventLoop();
            Socket other = null;
            for (int i = 0; i < 32 && other == null; i++) {
                Socket candidate = Peers.connect(Peers.inet(engine));
                clients.add(candidate);
                assertThat(Peers.echo(candidate, "hello")).isEqualTo("hello");
                if (server.connOf(candidate).eventLoop() != stalled) {
                    other = candidate;
                }
            }
            assertThat(other).as("a connection on the other loop").isNotNull();

            blocking.getOutputStream().write('B');
            Peers.await(server.blocked, "the handler blocks its loop");
            for (int i = 0; i < 20; i++) {
                assertThat(Peers.echo(other, "served while the other loop is blocked " + i))
                        .isEqualTo("served while the other loop is blocked " + i);
            }
            server.release.countDown();
            blocking.setSoTimeout((int) Peers.GUARD.toMillis());
            assertThat(new String(Peers.readExactly(blocking.getInputStream(), "unblocked\n".length())))
                    .isEqualTo("unblocked\n");
            assertThat(Peers.echo(blocking, "and on")).isEqualTo("and on");
            for (Socket client : clients) {
                assertThat(Peers.echo(client, "everyone")).isEqualTo("everyone");
            }
        } finally {
            server.release.countDown();
            Peers.closeAll(clients);
        }
    }

    /** A ticker that throws on its first tick is called again (after its one-second back-off). */
    @Test
    default void aTickerThatThrowsIsCalledAgainAndTheLoopServesMeanwhile() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch secondTick = new CountDownLatch(1);
        Recorder server = new Recorder() {
            @Override
            public Duration onTick() {
                if (ticks.incrementAndGet() == 1) {
                    throw new IllegalStateException("first tick fails");
                }
                secondTick.countDown();
                return Duration.ofSeconds(10);
            }
        };
        try (LogCapture log = new LogCapture()) {
            Engine engine = serve(server, options().loops(1).ticker(true).build(), "tcp://127.0.0.1:0");
            try (Socket client = Peers.connect(Peers.inet(engine))) {
                assertThat(Peers.echo(client, "while ticking")).isEqualTo("while ticking");
                Peers.await(secondTick, "the ticker runs again after throwing");
                assertThat(log.warningsCausedBy(IllegalStateException.class)).isEqualTo(1);
                assertThat(Peers.echo(client, "after")).isEqualTo("after");
            }
        }
    }
}
