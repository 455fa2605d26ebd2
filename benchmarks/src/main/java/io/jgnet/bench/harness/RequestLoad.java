package io.jgnet.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The request/response half of {@link BenchLoad}: N connections, each writing a batch of
 * {@code pipeline} requests, reading until all their responses are in, and writing the next.
 *
 * <p>Every connection is driven from ONE thread with a non-blocking {@link Selector}: per batch
 * that is a write, a read or two and a share of one select, about as little CPU as a Java client
 * can spend, because on two cores the load generator, not the server, is usually what runs out.
 * Blocking sockets on virtual threads park and unpark a thread per message on top of the same
 * syscalls: measured against jgnet epoll with 64-byte echoes they cost the load ~5.2 us of CPU
 * per message against ~3.9 us for this loop, and reached ~190k msgs/s against ~250k. For the
 * same reason the hot path allocates nothing: requests are prebuilt by the
 * {@link LoadProtocol}, one read buffer serves every connection (each read is scanned before the
 * next), and latencies go to a preallocated HdrHistogram, one entry per read that completes
 * responses, weighted by how many it completed.
 *
 * <p>Not thread-safe: one instance, one run, on the calling thread.
 */
final class RequestLoad {

    /** Latencies above this are clamped; far beyond any server that is still working. */
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long one select may wait, so a phase's end is noticed even if the server stalls. */
    private static final long SELECT_TIMEOUT_MILLIS = 50;
    /** Holds a whole pipelined batch of the benchmark's answers (16 x 4 KiB echoes) in one read. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    /** Lost connections described on stderr; the rest are only counted. */
    private static final int ERRORS_DESCRIBED = 5;

    private final LoadProtocol protocol;
    private final int pipeline;
    private final PrintStream out;
    private final PrintStream err;
    private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    /** Made once: a method reference built per select would allocate per select. */
    private final Consumer<SelectionKey> onReady = this::onReady;
    private boolean measuring;
    private long requests;
    private long errors;
    private int open;

    RequestLoad(LoadProtocol protocol, int pipeline, PrintStream out, PrintStream err) {
        this.protocol = protocol;
        this.pipeline = pipeline;
        this.out = out;
        this.err = err;
    }

    /**
     * Connects, prints CONNECTED, runs the warm-up, prints MEASURE_START, measures, prints
     * MEASURE_END and returns what was measured. Ends at warm-up plus measure time whatever the
     * server does.
     *
     * @throws IOException if the connections cannot all be made (then nothing was measured)
     */
    LoadResult run(InetSocketAddress server, int connections, int warmupSeconds, int seconds) throws IOException {
        try (Selector selector = Selector.open()) {
            List<SelectionKey> keys = new Connector(selector, server, false)
                    .open(connections, System.nanoTime() + CONNECT_TIMEOUT_NANOS);
            List<Client> clients = new ArrayList<>(keys.size());
            for (SelectionKey key : keys) {
                Client client = new Client(clients.size(), key, protocol.open(clients.size()));
                key.attach(client);
                key.interestOps(SelectionKey.OP_READ);
                clients.add(client);
            }
            open = clients.size();
            phase("CONNECTED " + clients.size());

            for (Client client : clients) {
                try {
                    client.send();
                } catch (IOException e) {
                    lost(client, e);
                }
            }
            drive(selector, System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds));

            // Everything counted from here on is the measured window; the orchestrator samples
            // the server's CPU when it reads this line.
            measuring = true;
            requests = 0;
            latency.reset();
            phase("MEASURE_START");
            long measureStart = System.nanoTime();
            drive(selector, measureStart + TimeUnit.SECONDS.toNanos(seconds));
            long measureEnd = System.nanoTime();
            phase("MEASURE_END");

            long mismatches = 0;
            for (Client client : clients) {
                mismatches += client.conversation.mismatches();
                client.channel.close();
            }
            return LoadResult.of(requests, (measureEnd - measureStart) / 1e9, latency, errors, mismatches);
        }
    }

    private void phase(String marker) {
        out.println(marker);
        out.flush();
    }

    private void drive(Selector selector, long deadline) throws IOException {
        while (open > 0 && System.nanoTime() - deadline < 0) {
            // The Consumer form skips the selected-key set and its iterator: less work per batch.
            selector.select(onReady, SELECT_TIMEOUT_MILLIS);
        }
    }

    private void onReady(SelectionKey key) {
        Client client = (Client) key.attachment();
        try {
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

    /** One connection's state; all on the load thread. */
    private final class Client {
        final int index;
        final SelectionKey key;
        final SocketChannel channel;
        final LoadProtocol.Conversation conversation;
        ByteBuffer batch;
        long sentAt;
        int outstanding;
        boolean waitingToWrite;

        Client(int index, SelectionKey key, LoadProtocol.Conversation conversation) {
            this.index = index;
            this.key = key;
            this.channel = (SocketChannel) key.channel();
            this.conversation = conversation;
        }

        void send() throws IOException {
            batch = conversation.nextBatch();
            outstanding = pipeline;
            sentAt = System.nanoTime();
            flush();
        }

        /**
         * Writes what is left of the batch. A batch nearly always fits the socket's buffer, so
         * OP_WRITE is asked for only when it is full, and dropped once it drains.
         */
        void flush() throws IOException {
            channel.write(batch);
            boolean wantWrite = batch.hasRemaining();
            if (wantWrite != waitingToWrite) {
                waitingToWrite = wantWrite;
                key.interestOps(wantWrite ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        void receive() throws IOException {
            int read;
            do {
                read = channel.read(readBuffer.clear());
                if (read < 0) {
                    throw new IOException("the server closed the connection");
                }
                int completed = conversation.consume(readBuffer.flip());
                if (completed > 0) {
                    responses(completed);
                }
                // A full buffer means more is probably waiting; anything less drained the socket.
            } while (read == READ_BUFFER_BYTES);
        }

        private void responses(int completed) throws IOException {
            if (completed > outstanding) {
                throw new MalformedResponseException("more responses than requests: " + completed
                        + " complete with " + outstanding + " outstanding");
            }
            outstanding -= completed;
            if (measuring) {
                long now = System.nanoTime();
                latency.recordValueWithCount(Math.min(now - sentAt, MAX_LATENCY_NANOS), completed);
                requests += completed;
            }
            if (outstanding == 0) {
                send();
            }
        }
    }
}
