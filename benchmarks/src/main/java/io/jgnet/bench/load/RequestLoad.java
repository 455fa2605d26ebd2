package io.jgnet.bench.load;

import java.io.IOException;
import java.io.PrintStream;
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
 * held between them. Every connection is driven from ONE thread with a non-blocking selector,
 * about as little CPU as a Java client can spend per batch (on two cores the load, not the
 * server, is what runs out first): requests are prebuilt, one read buffer serves every
 * connection, and latencies (batch write to the arrival of a request's response) go to a
 * preallocated HdrHistogram. Over TLS each connection is a {@link TlsLink}; with
 * {@code reconnect} every batch goes over a new connection (and a full TLS handshake), closed once
 * its responses are in, and its latency counts from the connect. Not thread-safe: one instance,
 * used by the calling thread.
 */
final class RequestLoad implements AutoCloseable {

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
    private boolean measuring;
    private boolean draining;
    private long requests;
    private long errors;
    private int open;
    private int outstandingBatches;

    /**
     * Opens {@code connections} connections to {@code server}, over TLS when {@code tls} is not
     * null, each with its conversation.
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
        for (SelectionKey key : Connector.open(selector, server, connections, false, tls, deadlineNanos)) {
            Client c = new Client(clients.size(), key, Conversation.of(protocol, clients.size(), pipeline, size, host));
            key.attach(c);
            key.interestOps(SelectionKey.OP_READ);
            clients.add(c);
        }
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
        for (Client c : clients) {
            if (!c.lost) {
                try {
                    c.send();
                } catch (IOException e) {
                    lost(c, e);
                }
            }
        }
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
        draining = true;
        drive(end + DRAIN_NANOS);
        draining = false;
        long mismatches = clients.stream().mapToLong(c -> c.conversation.mismatches()).sum();
        double s = (end - start) / 1e9;
        return String.format(Locale.ROOT, "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%.1f p90_us=%.1f"
                        + " p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%d mismatches=%d", requests, s, requests / s,
                micros(50), micros(90), micros(99), micros(99.9), latency.getMaxValue() / 1e3, errors, mismatches);
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
                throw new java.io.UncheckedIOException(e);
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

    /** A failure costs the connection, not the run: counted, described, closed. */
    private void lost(Client client, IOException e) {
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
            c.channel.close();
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

        Client(int index, SelectionKey key, Conversation conversation) {
            this.index = index;
            this.key = key;
            this.channel = (SocketChannel) key.channel();
            this.link = (TlsLink) key.attachment();
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
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            link = null;
            waitingToWrite = false;
            channel.connect(server);
        }

        /** The new connection is up, or its handshake moved on: once done, the batch goes out. */
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
            flush();
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
