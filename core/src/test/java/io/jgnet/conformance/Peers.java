package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jgnet.Conn;
import io.jgnet.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The plain-socket side of the conformance tests: connecting, writing in random chunks, reading
 * exactly, comparing bytes, and waiting with a guard.
 *
 * <p>{@link #GUARD} bounds every blocking step so that a bug fails a test instead of hanging it.
 * It is never used to synchronise: every wait ends on a real event (a latch, a future, bytes).
 */
final class Peers {
    /** How long any single blocking step may take before the test fails; generous for a noisy 2-core machine. */
    static final Duration GUARD = Duration.ofSeconds(20);
    /**
     * A small SO_SNDBUF/SO_RCVBUF for tests that need output to back up in the engine: far less
     * than the megabytes such tests write, whatever the kernel's autotuning limits are.
     */
    static final int SMALL_SOCKET_BUFFER = 64 * 1024;
    private static final ExecutorService BACKGROUND = Executors.newVirtualThreadPerTaskExecutor();

    private Peers() {
    }

    // ------------------------------------------------------------------------ addresses

    /** The {@code i}-th bound address of {@code engine}, as an IP address and port. */
    static InetSocketAddress inet(Engine engine, int i) {
        return (InetSocketAddress) engine.listenAddresses().get(i);
    }

    /** The first bound address of {@code engine}. */
    static InetSocketAddress inet(Engine engine) {
        return inet(engine, 0);
    }

    // -------------------------------------------------------------------------- streams

    /** A blocking TCP client with Nagle off and a read guard. */
    static Socket connect(InetSocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /** Like {@link #connect(InetSocketAddress)}, with SO_RCVBUF set before the handshake (0: default). */
    static Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) GUARD.toMillis());
            socket.connect(address, (int) GUARD.toMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code text} and returns the same number of bytes read back, as text. */
    static String echo(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        return new String(readExactly(socket.getInputStream(), bytes.length), StandardCharsets.UTF_8);
    }

    /** Something that takes {@code data[offset, offset + length)}. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] data, int offset, int length) throws IOException;
    }

    static Sink sink(OutputStream out) {
        return out::write;
    }

    static Sink sink(ByteChannel channel) {
        return (data, offset, length) -> {
            ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        };
    }

    /**
     * Writes {@code data} in chunks of random sizes, mixing tiny, medium and large ones so that
     * the receiver sees both many small segments and reads that fill its buffer.
     */
    static void writeInRandomChunks(Sink sink, byte[] data, Random random) throws IOException {
        int offset = 0;
        while (offset < data.length) {
            int max = switch (random.nextInt(3)) {
                case 0 -> 16;
                case 1 -> 4096;
                default -> 100_000;
            };
            int length = Math.min(data.length - offset, 1 + random.nextInt(max));
            sink.write(data, offset, length);
            offset += length;
        }
    }

    /** Reads exactly {@code n} bytes; fails naming how many came if the stream ends first. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            fail("the stream ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** Reads exactly {@code n} bytes from a blocking channel. */
    static byte[] readExactly(ByteChannel channel, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(n);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                fail("the channel ended after " + buffer.position() + " of " + n + " bytes");
            }
        }
        return buffer.array();
    }

    /** Asserts that the peer has closed its side: the next read is end of stream. */
    static void assertEndOfStream(InputStream in) throws IOException {
        assertThat(in.read()).as("end of stream").isEqualTo(-1);
    }

    // ------------------------------------------------------------------------ datagrams

    /** A UDP socket on 127.0.0.1 with a receive guard. */
    static DatagramSocket datagramSocket() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout((int) GUARD.toMillis());
        return socket;
    }

    static void send(DatagramSocket socket, InetSocketAddress to, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    static byte[] receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    // ---------------------------------------------------------------------------- bytes

    static byte[] randomBytes(long seed, int n) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Compares byte arrays, reporting the first difference instead of dumping both. */
    static void assertSameBytes(byte[] actual, byte[] expected) {
        int at = Arrays.mismatch(actual, expected);
        if (at >= 0) {
            fail("bytes differ at offset " + at + " (got " + actual.length + " bytes, expected " + expected.length + ")");
        }
    }

    // ---------------------------------------------------------------------------- waits

    /** Runs {@code task} on a virtual thread. */
    static <T> CompletableFuture<T> inBackground(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        BACKGROUND.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** The future's value; its failure rethrown as is; a guard timeout as a test failure. */
    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get(GUARD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("gave up waiting after " + GUARD.toSeconds() + " s: " + future, e);
        }
    }

    /** Runs {@code task} on {@code conn}'s loop (where socket options and membership belong) and waits for it. */
    static <T> T onLoop(Conn conn, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        conn.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result);
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(GUARD.toMillis(), TimeUnit.MILLISECONDS)).as("waiting for " + what).isTrue();
    }

    /** Closes every socket, keeping the first failure. */
    static void closeAll(List<? extends AutoCloseable> resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : new ArrayList<>(resources)) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
