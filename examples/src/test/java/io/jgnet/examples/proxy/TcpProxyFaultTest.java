package io.jgnet.examples.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backend killed under the proxy while it streams (issue 15): the kernel resets a killed
 * process's connections that hold unread data, so the backend here resets its socket in the
 * middle of a stream. The client behind it sees its connection end, not hang, and the proxy
 * goes on serving other clients. On nio, epoll and AUTO (io_uring where the kernel allows it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpProxyFaultTest {
    private static final int GUARD_MILLIS = 20_000;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private Engine proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        background.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "AUTO"})
    void aBackendKilledMidStreamEndsItsClientAndTheProxyServesOthers(TransportKind transport) throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            proxy = Jgnet.start(new TcpProxy(List.of("tcp://127.0.0.1:" + backend.getLocalPort()),
                    TcpProxy.Balancing.ROUND_ROBIN), "tcp://127.0.0.1:0", Options.builder().transport(transport).build());
            int proxyPort = ((java.net.InetSocketAddress) proxy.listenAddresses().getFirst()).getPort();

            try (Socket victim = connect(proxyPort)) {
                victim.getOutputStream().write('s');
                try (Socket killed = backend.accept()) {
                    killed.getInputStream().read();
                    CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> stream(killed), background);
                    // The stream is flowing through the proxy when the backend dies.
                    victim.getInputStream().readNBytes(256 * 1024);
                    killed.setSoLinger(true, 0);
                    killed.close(); // a reset, as the kernel sends for a killed process with unread data
                    streaming.exceptionally(cut -> null).get(GUARD_MILLIS, TimeUnit.MILLISECONDS);
                }
                assertEndsWithoutHanging(victim);
            }

            for (int i = 0; i < 3; i++) {
                try (Socket client = connect(proxyPort)) {
                    client.getOutputStream().write(("ping " + i).getBytes());
                    try (Socket live = backend.accept()) {
                        live.getOutputStream().write(live.getInputStream().readNBytes(6));
                        assertThat(new String(client.getInputStream().readNBytes(6))).isEqualTo("ping " + i);
                    }
                }
            }
            // Every pair closes once its client has gone: nothing is left behind by the reset one.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GUARD_MILLIS);
            while (proxy.connectionCount() > 0) {
                assertThat(System.nanoTime() - deadline).as("the proxy's connections all close").isNegative();
                Thread.onSpinWait();
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(GUARD_MILLIS);
        return socket;
    }

    /** Writes until the socket is closed under it. */
    private static void stream(Socket socket) {
        byte[] chunk = new byte[64 * 1024];
        try {
            for (int i = 0; i < 1024; i++) {
                socket.getOutputStream().write(chunk);
            }
        } catch (IOException closedUnderUs) {
            // the point of the test
        }
    }

    /** Reads what the proxy still relays until the connection ends: end of stream, or a reset. */
    private static void assertEndsWithoutHanging(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        byte[] sink = new byte[64 * 1024];
        try {
            while (in.read(sink) >= 0) {
                // drain what was relayed before the reset
            }
        } catch (SocketException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }
}
