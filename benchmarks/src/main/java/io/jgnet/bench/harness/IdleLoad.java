package io.jgnet.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The idle half of {@link BenchLoad}: opens many connections to an echo server, each proven
 * served by a one-byte echo, and holds them while the orchestrator measures the server's memory.
 *
 * <pre>
 * IDLE n      every connection is open and has had its byte echoed
 *             ... held until a line or end of file on stdin ...
 * CLOSED n    all closed (their file descriptors released)
 * </pre>
 *
 * <p>Not thread-safe: one run on the calling thread, which blocks on stdin while holding.
 */
final class IdleLoad {

    /** The contract's bound on opening every connection. */
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private IdleLoad() {
    }

    /**
     * Opens, reports, holds and closes {@code connections} connections.
     *
     * @throws IOException if they cannot all be opened and echoed in time; those opened are closed
     */
    static void run(InetSocketAddress server, int connections, BufferedReader stdin, PrintStream out)
            throws IOException {
        int held;
        try (Selector selector = Selector.open()) {
            List<SelectionKey> keys = new Connector(selector, server, true)
                    .open(connections, System.nanoTime() + CONNECT_TIMEOUT_NANOS);
            held = keys.size();
            out.println("IDLE " + held);
            out.flush();
            awaitLineOrEnd(stdin);
            for (SelectionKey key : keys) {
                key.channel().close();
            }
        }
        // Only now: a registered channel's descriptor is released when its selector lets go of it.
        out.println("CLOSED " + held);
        out.flush();
    }

    private static void awaitLineOrEnd(BufferedReader stdin) {
        try {
            stdin.readLine();
        } catch (IOException e) {
            // a broken stdin means the orchestrator is gone: as good as end of file
        }
    }
}
