package io.jgnet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo's load: each of N connections, on its own virtual thread over a plain blocking
 * {@link Socket}, sends a payload of random size and content, reads the echo back and checks
 * it byte by byte, until the time is up. It shares no code with jgnet, so a bug in the engine
 * cannot hide behind the same bug in the client.
 *
 * <p>Stateless: {@link #run} may be called from any thread, several at once.
 */
final class EchoLoad {
    /** The largest payload: big enough to arrive in several reads, small enough that a
     *  request never waits for its own echo to be read (loopback buffers hold far more). */
    static final int MAX_PAYLOAD = 16 * 1024;
    /** Half of the payloads are at most this small, as request/response traffic mostly is. */
    private static final int SMALL_PAYLOAD = 256;
    /** A reply slower than this means the server is stuck; the connection reports an error. */
    private static final int REPLY_TIMEOUT_MILLIS = 10_000;
    /** Seeds the payloads, so that a failing run can be repeated with the same bytes. */
    private static final long SEED = 0x6a676e6574L;

    private EchoLoad() {
    }

    /**
     * What the load did.
     *
     * @param connections the connections that were opened
     * @param messages    payloads sent whose echo came back complete and identical
     * @param bytes       the bytes of those payloads (each sent once and received once)
     * @param mismatches  echoes that differed from what was sent
     * @param errors      one line per connection that failed (connect, reset, timeout, early close)
     * @param elapsed     from the first connect to the last connection's end
     */
    record Report(int connections, long messages, long bytes, long mismatches, List<String> errors, Duration elapsed) {
        Report {
            errors = List.copyOf(errors);
        }

        /** Whether every echo came back as sent and no connection failed. */
        boolean ok() {
            return connections > 0 && mismatches == 0 && errors.isEmpty();
        }

        double messagesPerSecond() {
            return messages / seconds();
        }

        double bytesPerSecond() {
            return bytes / seconds();
        }

        private double seconds() {
            return Math.max(elapsed.toNanos(), 1) / 1e9;
        }
    }

    /** One connection's share of the {@link Report}; {@code error} is null when it ran clean. */
    private record ClientResult(boolean connected, long messages, long bytes, long mismatches, String error) {
    }

    /** Drives {@code connections} connections against {@code server} for {@code duration}. */
    static Report run(InetSocketAddress server, int connections, Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Future<ClientResult>> futures = new ArrayList<>(connections);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < connections; i++) {
                int id = i;
                futures.add(clients.submit(() -> client(server, id, deadline)));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int connected = 0;
        long messages = 0;
        long bytes = 0;
        long mismatches = 0;
        List<String> errors = new ArrayList<>();
        for (Future<ClientResult> future : futures) {
            ClientResult result;
            try {
                result = future.get();
            } catch (ExecutionException e) {
                errors.add("client failed: " + e.getCause());
                continue;
            }
            connected += result.connected() ? 1 : 0;
            messages += result.messages();
            bytes += result.bytes();
            mismatches += result.mismatches();
            if (result.error() != null) {
                errors.add(result.error());
            }
        }
        return new Report(connected, messages, bytes, mismatches, errors, elapsed);
    }

    private static ClientResult client(InetSocketAddress server, int id, long deadline) {
        SplittableRandom random = new SplittableRandom(SEED + id);
        // Each payload is a random window of this connection's own block, so echoes that were
        // shifted, reordered or crossed with another connection's do not compare equal.
        byte[] block = new byte[2 * MAX_PAYLOAD];
        random.nextBytes(block);
        byte[] reply = new byte[MAX_PAYLOAD];
        long messages = 0;
        long bytes = 0;
        boolean connected = false;
        try (Socket socket = new Socket()) {
            socket.connect(server, REPLY_TIMEOUT_MILLIS);
            connected = true;
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            while (System.nanoTime() - deadline < 0) {
                int size = 1 + random.nextInt(random.nextBoolean() ? SMALL_PAYLOAD : MAX_PAYLOAD);
                int offset = random.nextInt(MAX_PAYLOAD);
                out.write(block, offset, size);
                int got = in.readNBytes(reply, 0, size);
                if (got < size) {
                    return new ClientResult(true, messages, bytes, 0, "connection " + id + ": server closed it after "
                            + messages + " messages, " + got + " of " + size + " bytes into an echo");
                }
                int differs = Arrays.mismatch(block, offset, offset + size, reply, 0, size);
                if (differs >= 0) {
                    // The stream is out of step from here on: stop this connection.
                    return new ClientResult(true, messages, bytes, 1, "connection " + id + ": echo of message "
                            + (messages + 1) + " differs at byte " + differs + " of " + size);
                }
                messages++;
                bytes += size;
            }
            return new ClientResult(true, messages, bytes, 0, null);
        } catch (SocketTimeoutException e) {
            String what = connected ? "no reply within " : "cannot connect within ";
            return new ClientResult(connected, messages, bytes, 0, "connection " + id + ": " + what
                    + REPLY_TIMEOUT_MILLIS / 1000 + " s, after " + messages + " messages");
        } catch (IOException e) {
            return new ClientResult(connected, messages, bytes, 0, "connection " + id + ": "
                    + (connected ? "failed after " + messages + " messages: " : "cannot connect: ") + e);
        }
    }
}
