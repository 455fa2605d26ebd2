package io.jgnet.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Request/response load: N connections, each writing a batch of {@code pipeline} requests,
 * reading until every response is in, and writing the next; run in windows, the connections
 * held between them. ONE thread drives every connection with a non-blocking selector, about as
 * little CPU as a Java client can spend per batch (on two cores the load, not the server, runs
 * out first): prebuilt requests, one read buffer, latencies (batch write to a response's arrival)
 * in a preallocated HdrHistogram. Over TLS each connection is a {@link TlsLink}; with
 * {@code reconnect} every batch goes over a new connection and handshake, its latency counted
 * from the connect. The connections open first, at most {@link #MAX_PENDING} under way so that
 * the accept queue does not drop SYNs (a one-second retransmit). Not thread-safe: the calling
 * thread only.
 */
final class RequestLoad implements AutoCloseable {

    static final int MAX_PENDING = 256;
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long SELECT_MILLIS = 50;
    /** Holds a whole pipelined batch of answers (16 x 4 KiB echoes) in one read. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int ERRORS_DESCRIBED = 5;

    private final Selector selector;
    private final InetSocketAddress server;
    private final TlsLink.Shared tls;
    private final boolean reconnect;
    private final int pipeline;
    private final PrintStream err;
    private final List<Client> clients = new ArrayList<>();
    private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Consumer<SelectionKey> onReady = this::onReady; // made once: a reference per select allocates
    /** Connections still connecting or handshaking before the first window; -1 once all are open. */
    private int opening;
    private IOException openFailure;
    private boolean measuring;
    private boolean draining;
    private long requests;
    private long errors;
    private int open;
    private int outstandingBatches;

    /**
     * Opens {@code connections} connections, over TLS when {@code tls} is not null.
     *
     * @throws IOException if one fails or the deadline (a nanoTime) passes first; all are then closed
     */
    RequestLoad(InetSocketAddress server, int connections, String protocol, int pipeline, int size, TlsLink.Shared tls,
                boolean reconnect, PrintStream err, long deadlineNanos) throws IOException {
        this.selector = Selector.open();
        this.server = server;
        this.tls = tls;
        this.reconnect = reconnect;
        this.pipeline = pipeline;
        this.err = err;
        String host = server.getHostString() + ":" + server.getPort();
        try {
            while (clients.size() < connections || opening > 0) {
                for (; opening < MAX_PENDING && clients.size() < connections; opening++) {
                    Client c = new Client(clients.size(), Conversation.of(protocol, clients.size(), pipeline, size, host));
                    clients.add(c);
                    c.connect();
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    throw new IOException("established only " + (clients.size() - opening) + " of " + connections
                            + " connections before the deadline, " + opening + " under way");
                }
                selector.select(onReady, 100);
                if (openFailure != null) {
                    throw openFailure;
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        opening = -1;
        open = clients.size();
    }

    int connections() {
        return clients.size();
    }

    /**
     * Runs the load for {@code seconds}, then waits (bounded) for the batches in flight so that
     * the connections are quiet until the next window. A measured window counts requests and
     * latencies and prints MEASURE_START and MEASURE_END to {@code out} at its two ends.
     */
    String window(int seconds, boolean measured, PrintStream out) {
        startBatches();
        requests = 0;
        latency.reset();
        measuring = measured;
        if (measured) {
            mark(out, "MEASURE_START");
        }
        long start = System.nanoTime();
        drive(start + TimeUnit.SECONDS.toNanos(seconds));
        long end = System.nanoTime();
        measuring = false;
        if (measured) {
            mark(out, "MEASURE_END");
        }
        drain(end + DRAIN_NANOS);
        double s = (end - start) / 1e9;
        return String.format(Locale.ROOT, "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%.1f p90_us=%.1f"
                        + " p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%d mismatches=%d", requests, s, requests / s,
                micros(50), micros(90), micros(99), micros(99.9), latency.getMaxValue() / 1e3, errors, mismatches());
    }

    /**
     * One batch on every connection, all answered before the deadline: proves that the server
     * holds each connection. Returns whether every answer came back, right.
     */
    boolean probe(long deadlineNanos) {
        startBatches();
        drain(deadlineNanos);
        return outstandingBatches == 0 && errors == 0 && mismatches() == 0;
    }

    private void startBatches() {
        for (Client c : clients) {
            if (!c.lost) {
                try {
                    c.send();
                } catch (IOException e) {
                    lost(c, e);
                }
            }
        }
    }

    private void drain(long deadline) {
        draining = true;
        drive(deadline);
        draining = false;
    }

    private long mismatches() {
        return clients.stream().mapToLong(c -> c.conversation.mismatches()).sum();
    }

    private void mark(PrintStream out, String marker) {
        out.println(marker);
        out.flush();
    }

    private double micros(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e3;
    }

    private void drive(long deadline) {
        while (open > 0 && System.nanoTime() - deadline < 0 && !(draining && outstandingBatches == 0)) {
            try {
                selector.select(onReady, SELECT_MILLIS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void onReady(SelectionKey key) {
        Client client = (Client) key.attachment();
        try {
            if (key.isConnectable() || client.link != null && !client.link.handshaken()) {
                client.connected();
                return;
            }
            if (key.isWritable()) {
                client.flush();
            }
            if (key.isReadable()) {
                client.receive();
            }
        } catch (IOException e) {
            lost(client, e);
        }
    }

    /** A failure costs the connection, not the run: counted, described, closed. Before the first window it fails the run. */
    private void lost(Client client, IOException e) {
        if (opening >= 0) {
            openFailure = openFailure == null ? e : openFailure;
            return;
        }
        errors++;
        open--;
        client.lost = true;
        if (client.outstanding > 0) {
            outstandingBatches--;
            client.outstanding = 0;
        }
        if (errors <= ERRORS_DESCRIBED) {
            err.println("load: connection " + client.index + " lost: " + e);
        }
        client.key.cancel();
        try {
            client.channel.close();
        } catch (IOException ignored) {
            // already failing; the error is counted
        }
    }

    @Override
    public void close() throws IOException {
        for (Client c : clients) {
            if (c.channel != null) {
                c.channel.close();
            }
        }
        selector.close();
    }

    /** One connection's state; load thread only. */
    private final class Client {
        final int index;
        final Conversation conversation;
        SelectionKey key;
        SocketChannel channel;
        TlsLink link;
        ByteBuffer batch;
        long sentAt;
        int outstanding;
        boolean waitingToWrite;
        boolean lost;

        Client(int index, Conversation conversation) {
            this.index = index;
            this.conversation = conversation;
        }

        /** Starts a batch: written at once, or with {@code reconnect} once a new connection is up. */
        void send() throws IOException {
            batch = conversation.nextBatch();
            outstanding = pipeline;
            outstandingBatches++;
            sentAt = System.nanoTime();
            if (!reconnect) {
                flush();
                return;
            }
            if (channel.isOpen()) {
                disconnect();
            }
            connect();
        }

        /** Opens a new non-blocking connection with TCP_NODELAY; {@link #connected} carries it on. */
        void connect() throws IOException {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            link = null;
            waitingToWrite = false;
            channel.connect(server);
        }

        /** The connection is up, or its handshake moved on: once done it is open, or its batch goes out. */
        void connected() throws IOException {
            if (key.isConnectable()) {
                if (!channel.finishConnect()) {
                    return;
                }
                key.interestOps(SelectionKey.OP_READ);
                link = tls == null ? null : new TlsLink(channel, tls);
            }
            if (link != null && !link.handshake()) {
                key.interestOps(link.pendingOutput() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                return;
            }
            if (opening < 0) {
                flush();
            } else {
                key.interestOps(SelectionKey.OP_READ);
                opening--;
            }
        }

        /** Closes the connection (a TLS one with close_notify); the next batch opens another. */
        void disconnect() throws IOException {
            key.cancel();
            if (link != null) {
                link.close();
            } else {
                channel.close();
            }
        }

        /** Writes what is left of the batch; OP_WRITE only while the socket buffer is full. */
        void flush() throws IOException {
            boolean want = link == null ? channel.write(batch) >= 0 && batch.hasRemaining() : !link.write(batch);
            if (want != waitingToWrite) {
                waitingToWrite = want;
                key.interestOps(want ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        void receive() throws IOException {
            int read;
            do {
                read = link == null ? channel.read(readBuffer.clear()) : link.read(readBuffer.clear());
                if (read < 0) {
                    throw new IOException("the server closed the connection");
                }
                int completed = conversation.consume(readBuffer.flip());
                if (completed > outstanding) {
                    throw new IOException("more responses than requests: " + completed + " with " + outstanding + " outstanding");
                }
                if (completed > 0) {
                    outstanding -= completed;
                    if (measuring) {
                        latency.recordValueWithCount(Math.min(System.nanoTime() - sentAt, MAX_LATENCY_NANOS), completed);
                        requests += completed;
                    }
                    if (outstanding == 0) {
                        outstandingBatches--;
                        if (reconnect) {
                            disconnect();
                        }
                        if (!draining) {
                            send();
                        }
                        if (reconnect) {
                            return; // this connection is closed
                        }
                    }
                }
            } while (read == READ_BUFFER_BYTES); // a full buffer: more is probably waiting
        }
    }
}
