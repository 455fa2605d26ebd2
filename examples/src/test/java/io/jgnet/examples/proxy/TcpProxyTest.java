package io.jgnet.examples.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy between real sockets and jgnet backends: relay, balancing, half-close, failure, backpressure. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpProxyTest {
    private static final int GUARD_MILLIS = 20_000;
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Engine engine : engines) {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    private String start(EventHandler handler, Options options) throws IOException {
        Engine engine = Jgnet.start(handler, "tcp://127.0.0.1:0", options);
        engines.add(engine);
        InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
        return "tcp://127.0.0.1:" + address.getPort();
    }

    private static EventHandler echo() {
        return new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        };
    }

    private static Socket connect(String address) throws IOException {
        Socket socket = new Socket("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        socket.setSoTimeout(GUARD_MILLIS);
        return socket;
    }

    @Test
    void relaysRandomPayloadsByteExactForManyClientsAtOnce() throws Exception {
        String backend = start(echo(), Options.builder().loops(2).build());
        String proxy = start(new TcpProxy(List.of(backend), TcpProxy.Balancing.ROUND_ROBIN), Options.builder().loops(2).build());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                long seed = c;
                results.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    try (Socket socket = connect(proxy)) {
                        for (int round = 0; round < 5; round++) {
                            byte[] payload = new byte[1 + random.nextInt(200_000)];
                            random.nextBytes(payload);
                            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> read(socket, payload.length));
                            OutputStream out = socket.getOutputStream();
                            for (int offset = 0; offset < payload.length; ) {
                                int chunk = Math.min(payload.length - offset, 1 + random.nextInt(30_000));
                                out.write(payload, offset, chunk);
                                offset += chunk;
                            }
                            if (!Arrays.equals(back.get(GUARD_MILLIS, TimeUnit.MILLISECONDS), payload)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    @Test
    void roundRobinAlternatesBackendsAndLeastConnectionsFillsTheEmptiest() throws Exception {
        String first = start(greeter("first"), Options.defaults());
        String second = start(greeter("second"), Options.defaults());
        String proxy = start(new TcpProxy(List.of(first, second), TcpProxy.Balancing.ROUND_ROBIN), Options.defaults());
        List<String> greetings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (Socket socket = connect(proxy)) {
                greetings.add(new String(read(socket, 5)).trim());
            }
        }
        assertThat(greetings).containsExactly("first", "secon", "first", "secon");

        String leastProxy = start(new TcpProxy(List.of(first, second), TcpProxy.Balancing.LEAST_CONNECTIONS), Options.defaults());
        try (Socket a = connect(leastProxy); Socket b = connect(leastProxy)) {
            String greetingA = new String(read(a, 5));
            String greetingB = new String(read(b, 5));
            // Two clients held open: least-connections must give them different backends.
            assertThat(List.of(greetingA, greetingB)).containsExactlyInAnyOrder("first", "secon");
        }
    }

    private static EventHandler greeter(String name) {
        return new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                conn.write(name.getBytes());
                return Action.NONE;
            }
        };
    }

    @Test
    void aHalfCloseIsPassedOnAndTheAnswerStillComesBack() throws Exception {
        String backend = start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                return Action.NONE; // keep it buffered until the client is done
            }

            @Override
            public Action onHalfClose(Conn conn) {
                conn.write(("received " + conn.inboundBuffered() + " bytes").getBytes());
                conn.shutdownOutput();
                return Action.NONE;
            }
        }, Options.defaults());
        String proxy = start(new TcpProxy(List.of(backend), TcpProxy.Balancing.ROUND_ROBIN), Options.defaults());
        try (Socket socket = connect(proxy)) {
            socket.getOutputStream().write(new byte[12_345]);
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readAllBytes())).isEqualTo("received 12345 bytes");
        }
    }

    @Test
    void aPairSilentForTheIdleTimeoutIsClosedBothWays() throws Exception {
        CountDownLatch backendClosed = new CountDownLatch(1);
        String backend = start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                backendClosed.countDown();
                return Action.NONE;
            }
        }, Options.defaults());
        Options timeouts = TcpProxy.options(Options.defaults(), Duration.ofMillis(200), Duration.ofSeconds(10));
        String proxy = start(new TcpProxy(List.of(backend), TcpProxy.Balancing.ROUND_ROBIN), timeouts);
        try (Socket socket = connect(proxy)) {
            socket.getOutputStream().write("ping".getBytes());
            assertThat(new String(read(socket, 4))).isEqualTo("ping");
            // Then silence: the proxy's idle timeout ends the client's side and the backend's.
            assertThat(socket.getInputStream().read()).as("closed by the idle timeout").isEqualTo(-1);
            assertThat(backendClosed.await(GUARD_MILLIS, TimeUnit.MILLISECONDS)).as("the backend side closed too").isTrue();
        }
    }

    @Test
    void aDeadBackendClosesTheClientWithoutAHang() throws Exception {
        int unusedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            unusedPort = probe.getLocalPort();
        }
        String proxy = start(new TcpProxy(List.of("tcp://127.0.0.1:" + unusedPort), TcpProxy.Balancing.ROUND_ROBIN),
                Options.defaults());
        try (Socket socket = connect(proxy)) {
            assertThat(socket.getInputStream().read()).as("closed, not hung").isEqualTo(-1);
        }

        // A backend that dies mid-conversation: the client is closed too.
        Engine backendEngine = Jgnet.start(echo(), "tcp://127.0.0.1:0");
        String backend = "tcp://127.0.0.1:" + ((InetSocketAddress) backendEngine.listenAddresses().getFirst()).getPort();
        String proxyToDying = start(new TcpProxy(List.of(backend), TcpProxy.Balancing.ROUND_ROBIN), Options.defaults());
        try (Socket socket = connect(proxyToDying)) {
            socket.getOutputStream().write("ping".getBytes());
            assertThat(new String(read(socket, 4))).isEqualTo("ping");
            backendEngine.stop(Duration.ofSeconds(5));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aSlowClientMakesTheBackendWaitInsteadOfTheProxyBuffering() throws Exception {
        int total = 32 * 1024 * 1024;
        Flooder flooder = new Flooder(total);
        String backend = start(flooder, Options.defaults());
        AtomicInteger mostBuffered = new AtomicInteger();
        Options proxyOptions = Options.defaults();
        TcpProxy relay = new TcpProxy(List.of(backend), TcpProxy.Balancing.ROUND_ROBIN);
        String proxy = start(new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                return relay.onOpen(conn);
            }

            @Override
            public Action onTraffic(Conn conn) {
                Action action = relay.onTraffic(conn);
                // What the proxy holds for the other side: the output of its connection.
                Conn other = TcpProxy.peerOf(conn);
                if (other != null && other.isOpen()) {
                    mostBuffered.accumulateAndGet(other.outboundBuffered(), Math::max);
                }
                return action;
            }

            @Override
            public Action onWritable(Conn conn) {
                return relay.onWritable(conn);
            }

            @Override
            public Action onHalfClose(Conn conn) {
                return relay.onHalfClose(conn);
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                return relay.onClose(conn, cause);
            }
        }, proxyOptions);
        try (Socket socket = connect(proxy)) {
            socket.setReceiveBufferSize(64 * 1024);
            // Read nothing until the backend itself is held back: the proxy passed the pressure on.
            long sentWhenStalled = flooder.stalled.get(GUARD_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(sentWhenStalled).isLessThan(total);
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            long received = 0;
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != Flooder.byteAt(received + i)) {
                        throw new AssertionError("wrong byte at offset " + (received + i));
                    }
                }
                received += n;
            }
            assertThat(received).isEqualTo(total);
        }
        assertThat(mostBuffered.get())
                .as("the proxy reached its watermark, and held no more than one read beyond it")
                .isGreaterThan(proxyOptions.writeBufferHighWatermark())
                .isLessThanOrEqualTo(proxyOptions.writeBufferHighWatermark() + proxyOptions.readBufferCap());
    }

    /** A backend that sends {@code total} patterned bytes as fast as its client takes them, then closes. */
    private static final class Flooder implements EventHandler {
        private final int total;
        /** Completed with the bytes sent so far the first time the backend's own output stalls. */
        final CompletableFuture<Long> stalled = new CompletableFuture<>();

        Flooder(int total) {
            this.total = total;
        }

        static byte byteAt(long offset) {
            return (byte) (offset * 31 + (offset >>> 11));
        }

        @Override
        public Action onOpen(Conn conn) {
            conn.context(new long[1]);
            return fill(conn);
        }

        @Override
        public Action onWritable(Conn conn) {
            return fill(conn);
        }

        private Action fill(Conn conn) {
            long[] sent = (long[]) conn.context();
            ByteBuffer block = ByteBuffer.allocate(16 * 1024);
            while (conn.isWritable() && sent[0] < total) {
                block.clear();
                int length = (int) Math.min(block.capacity(), total - sent[0]);
                for (int i = 0; i < length; i++) {
                    block.put(byteAt(sent[0] + i));
                }
                conn.write(block.flip());
                sent[0] += length;
            }
            if (sent[0] < total) {
                stalled.complete(sent[0]);
            }
            return sent[0] == total ? Action.CLOSE : Action.NONE;
        }
    }

    private static byte[] read(Socket socket, int length) {
        try {
            byte[] bytes = socket.getInputStream().readNBytes(length);
            if (bytes.length != length) {
                throw new IOException("ended after " + bytes.length + " of " + length + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
