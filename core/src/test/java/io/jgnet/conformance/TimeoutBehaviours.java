package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.ConnectionTimeoutException;
import io.jgnet.ConnectionTimeoutException.Kind;
import io.jgnet.Engine;
import io.jgnet.EventLoop;
import io.jgnet.Scheduled;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connection timeouts and timers over real sockets: each timeout closes its connection with a
 * {@link ConnectionTimeoutException} naming it (the peer reads end of stream), a handler's
 * onTimeout can answer first, a dial into a black hole fails at its connect timeout, and a
 * cancelled timer never runs. Timeouts are short; every wait ends on the close event, bounded
 * by {@link Peers#GUARD}; nothing here asserts how long anything took.
 */
interface TimeoutBehaviours extends Harness {
    Duration SHORT = Duration.ofMillis(200);

    private static void assertTimeout(Throwable cause, Kind kind) {
        assertThat(cause).isInstanceOfSatisfying(ConnectionTimeoutException.class, timeout -> {
            assertThat(timeout.kind()).isEqualTo(kind);
            assertThat(timeout.timeout()).isEqualTo(SHORT);
        });
    }

    @Test
    default void idleTimeoutClosesASilentConnectionAndThePeerReadsEndOfStream() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().timeouts(t -> t.idle(SHORT)).build(), "tcp://127.0.0.1:0");
        try (Socket quiet = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(quiet);
            assertTimeout(server.awaitClose(conn), Kind.IDLE);
            Peers.assertEndOfStream(quiet.getInputStream());
        }
    }

    @Test
    default void readTimeoutClosesAConnectionThatStopsSendingAfterServingIt() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().timeouts(t -> t.read(SHORT)).build(), "tcp://127.0.0.1:0");
        try (Socket client = Peers.connect(Peers.inet(engine))) {
            assertThat(Peers.echo(client, "served first")).isEqualTo("served first");
            Conn conn = server.connOf(client);
            assertTimeout(server.awaitClose(conn), Kind.READ);
            Peers.assertEndOfStream(client.getInputStream());
        }
    }

    @Test
    default void writeTimeoutClosesAConnectionWhosePeerStopsReading() throws Exception {
        byte[] flood = new byte[8 << 20];
        Recorder server = new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                super.onOpen(conn);
                // Far more than the small socket buffers hold: output waits, and never moves.
                conn.write(flood);
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().socketBuffers(Peers.SMALL_SOCKET_BUFFER, 0)
                .timeouts(t -> t.write(SHORT)).build(), "tcp://127.0.0.1:0");
        try (Socket deaf = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            Conn conn = server.connOf(deaf);
            assertTimeout(server.awaitClose(conn), Kind.WRITE);
        }
    }

    @Test
    default void lifetimeClosesAConnectionThatKeepsTalking() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().timeouts(t -> t.lifetime(SHORT).idle(Duration.ofMinutes(1))).build(),
                "tcp://127.0.0.1:0");
        try (Socket client = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(client);
            CompletableFuture<Throwable> closed = server.closeOf(conn);
            // Keeps talking until the server hangs up (a byte it sent meanwhile may come back as
            // a reset); bounded in count.
            int echoes = 0;
            InputStream in = client.getInputStream();
            try {
                while (!closed.isDone() && echoes < 1_000_000) {
                    client.getOutputStream().write('x');
                    if (in.read() < 0) {
                        break;
                    }
                    echoes++;
                }
            } catch (java.io.IOException hungUp) {
                // The server closed with our last byte unread.
            }
            assertTimeout(await(closed), Kind.LIFETIME);
        }
    }

    @Test
    default void onTimeoutCanSendALastReplyThatArrivesBeforeTheEnd() throws Exception {
        Recorder server = new Recorder() {
            @Override
            public Action onTimeout(Conn conn, ConnectionTimeoutException timeout) {
                conn.write(("408 " + timeout.kind()).getBytes(StandardCharsets.US_ASCII));
                return Action.CLOSE;
            }
        };
        Engine engine = serve(server, options().timeouts(t -> t.read(SHORT)).build(), "tcp://127.0.0.1:0");
        try (Socket client = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(client);
            assertTimeout(server.awaitClose(conn), Kind.READ);
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("408 READ");
        }
    }

    @Test
    default void aDialIntoABlackHoleFailsAtItsConnectTimeout() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        // A listener that never accepts, with the smallest backlog: once its queue is full the
        // kernel drops further SYNs, so a connect neither succeeds nor is refused.
        try (ServerSocket blackHole = new ServerSocket(0, 1, loopback)) {
            InetSocketAddress target = new InetSocketAddress(loopback, blackHole.getLocalPort());
            List<Socket> filling = new ArrayList<>();
            try {
                fill(target, filling);
                Recorder clientHandler = new Recorder();
                Engine client = client(clientHandler, options().timeouts(t -> t.connect(SHORT)).build());
                String address = "tcp://127.0.0.1:" + target.getPort();
                EventLoop loop = client.eventLoops().get(0);
                for (CompletableFuture<Conn> dial : List.of(loop.dial(address, null),
                        loop.dial(address, null, SHORT))) {
                    assertThatThrownBy(() -> dial.get(Peers.GUARD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                            .cause().isInstanceOf(ConnectException.class).hasMessageContaining(address)
                            .cause().isInstanceOfSatisfying(ConnectionTimeoutException.class,
                                    timeout -> assertThat(timeout.kind()).isEqualTo(Kind.CONNECT));
                }
                assertThatThrownBy(() -> client.dial(address)).isInstanceOf(ConnectException.class)
                        .hasMessageContaining("connect timeout of 200 ms expired");
                assertThat(clientHandler.opens.get()).isZero();
                assertThat(clientHandler.closes.get()).as("no onClose for a dial that failed").isZero();
                assertThat(client.connectionCount()).isZero();
            } finally {
                Peers.closeAll(filling);
            }
        }
    }

    /** Connects to {@code target} until a connect times out: its accept queue is full. */
    private static void fill(InetSocketAddress target, List<Socket> filling) throws Exception {
        for (int i = 0; i < 64; i++) {
            Socket socket = new Socket();
            filling.add(socket);
            try {
                socket.connect(target, 500);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new AssertionError("the listener's queue did not fill up after 64 connections");
    }

    @Test
    default void aCancelledTimerNeverRunsWhicheverThreadCancelsIt() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        EventLoop loop = engine.eventLoops().get(0);
        AtomicInteger cancelledRan = new AtomicInteger();
        Scheduled fromHere = loop.schedule(cancelledRan::incrementAndGet, Duration.ofMillis(50));
        assertThat(fromHere.cancel()).isTrue();
        CompletableFuture<Scheduled> onLoop = new CompletableFuture<>();
        loop.execute(() -> {
            Scheduled scheduled = loop.schedule(cancelledRan::incrementAndGet, Duration.ofMillis(50));
            scheduled.cancel();
            onLoop.complete(scheduled);
        });
        // A later timer on the same loop: once it has run, the cancelled ones were due long before.
        CompletableFuture<Boolean> later = new CompletableFuture<>();
        Scheduled marker = loop.schedule(() -> later.complete(loop.inEventLoop()), Duration.ofMillis(150));
        assertThat(await(later)).as("ran on the loop thread").isTrue();
        assertThat(cancelledRan.get()).isZero();
        assertThat(fromHere.isCancelled()).isTrue();
        assertThat(await(onLoop).isCancelled()).isTrue();
        assertThat(marker.isDone()).isTrue();
        assertThat(marker.cancel()).isFalse();
    }
}
