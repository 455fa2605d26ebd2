package io.jgnet.bench.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens many connections to one server from one thread: non-blocking connects, at most
 * {@link #MAX_PENDING} under way at once so the server's accept queue is not flooded (a dropped
 * SYN costs a one-second retransmit), and every wait bounded by a deadline.
 *
 * <p>With {@code probe} each connection also sends one byte and waits for it to come back: an
 * echo server that has answered has accepted and registered the connection, so the caller knows
 * the server holds all of them. Without it a connection counts once the kernel has connected it.
 *
 * <p>Not thread-safe: used by the load thread, which owns the selector. The connections it
 * returns stay registered with that selector, interested in nothing; the caller owns them.
 */
final class Connector {

    /** Connects (and probes) under way at once. */
    static final int MAX_PENDING = 256;
    /** The probe byte; any value would do, a non-zero one rules out a buffer of zeros passing. */
    private static final byte PROBE = 0x5A;
    private static final long SELECT_TIMEOUT_MILLIS = 100;

    private enum Stage { CONNECTING, PROBING }

    private final Selector selector;
    private final InetSocketAddress server;
    private final boolean probe;
    private final ByteBuffer probeBuffer = ByteBuffer.allocateDirect(1);
    private final List<SelectionKey> established = new ArrayList<>();
    private int pending;

    Connector(Selector selector, InetSocketAddress server, boolean probe) {
        this.selector = selector;
        this.server = server;
        this.probe = probe;
    }

    /**
     * Opens {@code count} connections, with TCP_NODELAY, non-blocking, registered with the
     * selector; their keys come back in the order they were established.
     *
     * @throws IOException if one fails to connect, the server closes or answers a probe
     *                     wrongly, or {@code deadlineNanos} (a {@link System#nanoTime()} value)
     *                     passes first; then every channel registered with the selector
     *                     is closed
     */
    List<SelectionKey> open(int count, long deadlineNanos) throws IOException {
        int started = 0;
        try {
            while (established.size() < count) {
                while (pending < MAX_PENDING && started < count) {
                    start();
                    started++;
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    throw new IOException("established only " + established.size() + " of " + count
                            + " connections before the deadline (" + pending + " still pending)");
                }
                try {
                    selector.select(this::onReady, SELECT_TIMEOUT_MILLIS);
                } catch (ConnectFailure f) {
                    throw f.getCause();
                }
            }
            return established;
        } catch (IOException | RuntimeException e) {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            throw e;
        }
    }

    private void start() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            pending++;
            SelectionKey key = channel.register(selector, 0, Stage.CONNECTING);
            if (channel.connect(server)) {
                connected(key);
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private void onReady(SelectionKey key) {
        try {
            if (key.attachment() == Stage.CONNECTING) {
                if (((SocketChannel) key.channel()).finishConnect()) {
                    connected(key);
                }
            } else {
                probeAnswered(key);
            }
        } catch (IOException e) {
            // Select's consumer may not throw a checked exception: carry it out unchecked.
            throw new ConnectFailure(e);
        }
    }

    private void connected(SelectionKey key) throws IOException {
        if (!probe) {
            done(key);
            return;
        }
        if (((SocketChannel) key.channel()).write(probeBuffer.clear().put(0, PROBE).limit(1)) != 1) {
            throw new IOException("could not send the probe byte on a new connection");
        }
        key.attach(Stage.PROBING);
        key.interestOps(SelectionKey.OP_READ);
    }

    private void probeAnswered(SelectionKey key) throws IOException {
        int read = ((SocketChannel) key.channel()).read(probeBuffer.clear());
        if (read < 0) {
            throw new IOException("the server closed a connection before echoing its probe byte");
        }
        if (read == 1) {
            if (probeBuffer.get(0) != PROBE) {
                throw new IOException("the server answered the probe byte with another byte");
            }
            done(key);
        }
    }

    private void done(SelectionKey key) {
        key.interestOps(0);
        key.attach(null);
        pending--;
        established.add(key);
    }

    /** Lets an IOException out of the selector's consumer; unwrapped in {@link #open}. */
    private static final class ConnectFailure extends RuntimeException {
        ConnectFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
