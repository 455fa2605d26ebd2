package io.jgnet.conformance;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An echo handler that records what happens to its connections, so that a test can find the
 * server side of a client socket and wait for its close and cause. Subclasses override
 * {@link #onTraffic} and call {@code super} from {@code onOpen}/{@code onClose}.
 *
 * <p>Thread-safe: connections on different loops report concurrently.
 */
class Recorder implements EventHandler {
    final Tally opens = new Tally();
    final Tally closes = new Tally();
    final Queue<Conn> opened = new ConcurrentLinkedQueue<>();
    private final Queue<Optional<Throwable>> causes = new ConcurrentLinkedQueue<>();
    private final Map<Integer, CompletableFuture<Conn>> byPeerPort = new ConcurrentHashMap<>();
    private final Map<Conn, CompletableFuture<Throwable>> closed = new ConcurrentHashMap<>();

    @Override
    public Action onOpen(Conn conn) {
        opened.add(conn);
        if (conn.remoteAddress() instanceof InetSocketAddress inet) {
            byPeerPort.computeIfAbsent(inet.getPort(), port -> new CompletableFuture<>()).complete(conn);
        }
        opens.increment();
        return Action.NONE;
    }

    /** Echoes everything. */
    @Override
    public Action onTraffic(Conn conn) {
        conn.write(conn.next(-1));
        return Action.NONE;
    }

    @Override
    public Action onClose(Conn conn, Throwable cause) {
        causes.add(Optional.ofNullable(cause));
        closeOf(conn).complete(cause);
        closes.increment();
        return Action.NONE;
    }

    /** The server side of {@code client}, once its onOpen has run. */
    Conn connOf(Socket client) throws Exception {
        return connFromPort(client.getLocalPort());
    }

    /** The connection whose peer uses {@code port}, once its onOpen has run. */
    Conn connFromPort(int port) throws Exception {
        return Peers.await(byPeerPort.computeIfAbsent(port, p -> new CompletableFuture<>()));
    }

    /** Completes with the close cause ({@code null}: clean) when {@code conn} closes. */
    CompletableFuture<Throwable> closeOf(Conn conn) {
        return closed.computeIfAbsent(conn, c -> new CompletableFuture<>());
    }

    /** Waits for {@code conn} to close and returns the cause ({@code null}: clean). */
    Throwable awaitClose(Conn conn) throws Exception {
        return Peers.await(closeOf(conn));
    }

    /** Every close cause so far ({@code null} for clean closes). */
    List<Throwable> causes() {
        List<Throwable> all = new ArrayList<>();
        for (Optional<Throwable> cause : causes) {
            all.add(cause.orElse(null));
        }
        return all;
    }
}
