package io.jgnet.examples.proxy;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A TCP proxy: each accepted client gets a backend connection, dialed on the client's own event
 * loop, and bytes are relayed both ways.
 *
 * <ul>
 *   <li><b>Backend choice</b>: round-robin or least-connections over the configured list.</li>
 *   <li><b>Backpressure</b>: when the side being written to passes its high watermark, the side
 *       being read is suspended, and resumed on {@code onWritable}; so the proxy holds at most
 *       about one watermark plus one read per direction, whatever the speeds.</li>
 *   <li><b>Half-close</b>: a side's end of stream becomes {@code shutdownOutput} on the other;
 *       a connection done in both directions closes itself.</li>
 *   <li><b>Failure</b>: a backend that cannot be reached, or dies, closes the client's
 *       connection cleanly after what was already relayed.</li>
 *   <li><b>Timeouts</b> ({@link #options}): a backend that does not accept within the connect
 *       timeout counts as unreachable, and either side of a pair that stays silent both ways for
 *       the idle timeout is closed, which closes the pair (HAProxy's {@code timeout connect} and
 *       {@code timeout client}/{@code server}).</li>
 * </ul>
 *
 * <p>Both connections of a pair live on one loop, so their callbacks never race and need no
 * locks. The instance is shared by all loops; its only shared state is the backend counters.
 */
public final class TcpProxy implements EventHandler {

    /** How a client picks its backend. */
    public enum Balancing { ROUND_ROBIN, LEAST_CONNECTIONS }

    private final List<String> backends;
    private final Balancing balancing;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicIntegerArray active;

    /**
     * A proxy to {@code backends} (jgnet addresses such as {@code tcp://127.0.0.1:9000}).
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public TcpProxy(List<String> backends, Balancing balancing) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a proxy needs at least one backend");
        }
        this.backends = List.copyOf(backends);
        this.balancing = balancing;
        this.active = new AtomicIntegerArray(backends.size());
    }

    /** An idle pair is closed after this long (nginx's stream {@code proxy_timeout}). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** A backend that has not accepted after this long is treated as down. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * {@code base} with the proxy's timeouts: {@code idle} for every client and backend
     * connection, {@code connect} for dialing backends (zero turns either off). Any thread.
     *
     * @throws IllegalArgumentException if a timeout is null or negative
     */
    public static Options options(Options base, Duration idle, Duration connect) {
        return base.toBuilder().timeouts(t -> t.idle(idle).connect(connect)).build();
    }

    /**
     * Serves {@code args[0]} (default {@code tcp://127.0.0.1:8000}) and relays each client,
     * round-robin, to one of the comma-separated backends of {@code args[1]} (default
     * {@code tcp://127.0.0.1:9000}), until the process is killed.
     */
    public static void main(String[] args) throws Exception {
        String listen = args.length > 0 ? args[0] : "tcp://127.0.0.1:8000";
        List<String> backends = List.of((args.length > 1 ? args[1] : "tcp://127.0.0.1:9000").split(","));
        Jgnet.run(new TcpProxy(backends, Balancing.ROUND_ROBIN), listen,
                options(Options.defaults(), DEFAULT_IDLE_TIMEOUT, DEFAULT_CONNECT_TIMEOUT));
    }

    /** One client and its backend: the context of both connections. */
    private static final class Pair {
        final Conn client;
        final int backendIndex;
        Conn backend;

        Pair(Conn client, int backendIndex) {
            this.client = client;
            this.backendIndex = backendIndex;
        }

        /** The other side of {@code conn}, or null while the backend is still being dialed. */
        Conn other(Conn conn) {
            return conn == client ? backend : client;
        }
    }

    /** The other connection of {@code conn}'s pair, or null: for tests and diagnostics. */
    static Conn peerOf(Conn conn) {
        return conn.context() instanceof Pair pair ? pair.other(conn) : null;
    }

    @Override
    public Action onOpen(Conn conn) {
        if (conn.context() instanceof Pair pair) {
            // The backend we dialed: relaying may start, unless the client left meanwhile.
            pair.backend = conn;
            if (!pair.client.isOpen()) {
                return Action.CLOSE;
            }
            pair.client.resumeReading();
            return Action.NONE;
        }
        int index = pickBackend();
        Pair pair = new Pair(conn, index);
        conn.context(pair);
        // Nothing to relay to yet: let the kernel hold the client's first bytes.
        conn.suspendReading();
        active.incrementAndGet(index);
        conn.eventLoop().dial(backends.get(index), pair).whenComplete((backend, failure) -> {
            if (failure != null) {
                active.decrementAndGet(index);
                // The client sees end of stream (FIN), not a reset, on every transport, though
                // its first bytes were never read: a clean close drops them before closing.
                conn.close();
            }
        });
        return Action.NONE;
    }

    private int pickBackend() {
        if (balancing == Balancing.ROUND_ROBIN) {
            return Math.floorMod(next.getAndIncrement(), backends.size());
        }
        int best = 0;
        for (int i = 1; i < backends.size(); i++) {
            if (active.get(i) < active.get(best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public Action onTraffic(Conn conn) {
        Conn other = ((Pair) conn.context()).other(conn);
        if (other == null || !other.isOpen()) {
            return Action.NONE;
        }
        other.write(conn.next(-1));
        if (!other.isWritable()) {
            conn.suspendReading();
        }
        return Action.NONE;
    }

    @Override
    public Action onWritable(Conn conn) {
        Conn other = ((Pair) conn.context()).other(conn);
        if (other != null && other.isOpen()) {
            other.resumeReading();
        }
        return Action.NONE;
    }

    @Override
    public Action onHalfClose(Conn conn) {
        Conn other = ((Pair) conn.context()).other(conn);
        if (other == null || !other.isOpen()) {
            return Action.CLOSE;
        }
        other.shutdownOutput();
        return Action.NONE;
    }

    @Override
    public Action onClose(Conn conn, Throwable cause) {
        if (!(conn.context() instanceof Pair pair)) {
            return Action.NONE;
        }
        if (conn == pair.backend) {
            active.decrementAndGet(pair.backendIndex);
        }
        Conn other = pair.other(conn);
        if (other != null) {
            other.close();
        }
        return Action.NONE;
    }
}
