package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A proxy-like handler with backpressure in front of an echo peer, and a client that sends a
 * lot, half-closes and reads slowly: every byte must come back, then a clean end of stream.
 *
 * <p>This pins down the race of issue 11 fault 6: the proxy suspends reading the backend while
 * the client side is not writable; meanwhile the backend sends its last bytes and its FIN, and
 * since the proxy already passed the client's FIN on (shutdownOutput), the kernel reports a
 * hang-up for a socket whose bytes the proxy has not read yet. Those bytes must still be read
 * and relayed once reading resumes.
 */
interface RelayBehaviours extends Harness {

    /** Bytes per run: several socket buffers, so that the relay stalls many times in a run. */
    int RELAYED = 4 * 1024 * 1024;
    /** Runs per transport: the race is lost in a fraction of runs, so one run proves little. */
    int RUNS = 8;
    /** The client's small receive buffer, as in the report: backpressure reaches the proxy at once. */
    int CLIENT_RECEIVE_BUFFER = 16 * 1024;

    /** The relay: each accepted client gets a dialed backend; backpressure and half-close both ways. */
    final class Relay implements EventHandler {
        private final String backend;
        private final int backendPort;
        /** A permit each time the proxy suspends reading a backend because its client is backed up. */
        final Semaphore backendSuspended = new Semaphore(0);
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Relay(int backendPort) {
            this.backend = "tcp://127.0.0.1:" + backendPort;
            this.backendPort = backendPort;
        }

        @Override
        public Action onOpen(Conn conn) {
            if (conn.context() instanceof Conn client) {
                client.context(conn);
                client.resumeReading();
                return Action.NONE;
            }
            conn.suspendReading();
            conn.context(CLIENT_WAITING);
            conn.eventLoop().dial(backend, conn).whenComplete((up, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                    conn.close();
                }
            });
            return Action.NONE;
        }

        @Override
        public Action onTraffic(Conn conn) {
            if (!(conn.context() instanceof Conn other) || !other.isOpen()) {
                return Action.NONE;
            }
            other.write(conn.next(-1));
            if (!other.isWritable()) {
                conn.suspendReading();
                if (((InetSocketAddress) conn.remoteAddress()).getPort() == backendPort) {
                    backendSuspended.release();
                }
            }
            return Action.NONE;
        }

        @Override
        public Action onWritable(Conn conn) {
            if (conn.context() instanceof Conn other && other.isOpen()) {
                other.resumeReading();
            }
            return Action.NONE;
        }

        @Override
        public Action onHalfClose(Conn conn) {
            if (!(conn.context() instanceof Conn other) || !other.isOpen()) {
                return Action.CLOSE;
            }
            other.shutdownOutput();
            return Action.NONE;
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            if (cause != null) {
                failure.compareAndSet(null, cause);
            }
            if (conn.context() instanceof Conn other) {
                other.close();
            }
            return Action.NONE;
        }

        private static final Object CLIENT_WAITING = new Object();
    }

    @Test
    default void relayedBytesSurviveABackendHangUpWhileReadingIsSuspended() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> echoing = Peers.inBackground(() -> {
                for (int i = 0; i < RUNS; i++) {
                    echoOnce(backend);
                }
                return null;
            });
            Relay relay = new Relay(backend.getLocalPort());
            Engine proxy = serve(relay, options().loops(1).build(), "tcp://127.0.0.1:0");
            for (int run = 0; run < RUNS; run++) {
                byte[] sent = Peers.randomBytes(100 + run, RELAYED);
                relay.backendSuspended.drainPermits();
                byte[] received = relayOnce(proxy, relay, sent);
                assertThat(relay.failure.get()).as("run %d: no connection failed", run).isNull();
                assertThat(received.length).as("run %d: bytes relayed back before end of stream", run)
                        .isEqualTo(sent.length);
                assertSameBytes(received, sent);
            }
            await(echoing);
        }
    }

    /** Sends {@code sent}, half-closes, and once the relay is backed up reads everything slowly. */
    private byte[] relayOnce(Engine proxy, Relay relay, byte[] sent) throws Exception {
        try (Socket client = Peers.connect(Peers.inet(proxy), CLIENT_RECEIVE_BUFFER)) {
            CompletableFuture<Void> writing = Peers.inBackground(() -> {
                OutputStream out = client.getOutputStream();
                out.write(sent);
                client.shutdownOutput();
                return null;
            });
            // Reading starts late: once the echo has backed up into the proxy, which then
            // suspends reading its backend (far more is sent than the kernels and the proxy's
            // high watermark hold, so this must happen).
            assertThat(relay.backendSuspended.tryAcquire(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the proxy suspended reading its backend").isTrue();
            InputStream in = client.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream(sent.length);
            byte[] small = new byte[2048];
            for (int reads = 1; ; reads++) {
                int n = in.read(small);
                if (n < 0) {
                    break;
                }
                received.write(small, 0, n);
                if (reads % 8 == 0) {
                    // A slow reader (this shapes the load, it synchronises nothing): the proxy
                    // spends most of the run with the backend suspended, where the race is.
                    Thread.sleep(1);
                }
            }
            await(writing);
            return received.toByteArray();
        }
    }

    /** A plain blocking echo peer: echoes one connection to its end, then half-closes and closes. */
    private static void echoOnce(ServerSocket backend) throws IOException {
        try (Socket socket = backend.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
            socket.shutdownOutput();
        }
    }
}
