package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client side: dialing with Engine.dial and EventLoop.dial, and enrolling a connected channel. */
interface ClientBehaviours extends Harness {

    /** Collects what arrives until {@code expected} bytes are in, then completes {@link #received}. */
    class Collector extends Recorder {
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        final AtomicReference<Object> contextAtOpen = new AtomicReference<>();
        private final int expected;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public Action onOpen(Conn conn) {
            contextAtOpen.set(conn.eventLoop().inEventLoop() ? conn.context() : "onOpen ran off the loop");
            return super.onOpen(conn);
        }

        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer view = conn.next(-1);
            byte[] copy = new byte[view.remaining()];
            view.get(copy);
            bytes.writeBytes(copy);
            if (bytes.size() >= expected) {
                received.complete(bytes.toByteArray());
            }
            return Action.NONE;
        }
    }

    @Test
    default void clientEngineDialsAServerAndMessagesRoundTrip() throws Exception {
        Recorder server = new Recorder();
        Engine serverEngine = serve(server, options().loops(2).build(), "tcp://127.0.0.1:0");
        byte[] message = randomBytes(14, 200_000);
        Collector clientHandler = new Collector(message.length);
        Engine client = client(clientHandler, options().loops(2).build());

        Conn conn = client.dial("tcp://127.0.0.1:" + Peers.inet(serverEngine).getPort(), "my context");
        assertThat(clientHandler.opens.get()).as("onOpen ran before dial returned").isEqualTo(1);
        assertThat(clientHandler.contextAtOpen).hasValue("my context");
        assertThat(conn.remoteAddress()).isEqualTo(Peers.inet(serverEngine));

        conn.asyncWrite(message.clone(), null);
        assertSameBytes(await(clientHandler.received), message);
        Conn serverConn = server.connFromPort(((InetSocketAddress) conn.localAddress()).getPort());

        conn.close();
        assertThat(clientHandler.awaitClose(conn)).isNull();
        assertThat(server.awaitClose(serverConn)).isNull();
        assertThat(client.connectionCount()).isZero();
    }

    @Test
    default void clientEngineDialsAUnixSocket(@TempDir Path dir) throws Exception {
        String address = "unix://" + dir.resolve("server.sock");
        serve(new Recorder(), options().build(), address);
        byte[] message = randomBytes(15, 100_000);
        Collector clientHandler = new Collector(message.length);
        Engine client = client(clientHandler, options().build());

        Conn conn = client.dial(address, "unix client");
        assertThat(clientHandler.contextAtOpen).hasValue("unix client");
        conn.asyncWrite(message.clone(), null);
        assertSameBytes(await(clientHandler.received), message);
        conn.close();
        assertThat(clientHandler.awaitClose(conn)).isNull();
    }

    @Test
    default void dialToAClosedPortFailsWithAConnectExceptionNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String address = "tcp://127.0.0.1:" + port;
        Recorder clientHandler = new Recorder();
        Engine client = client(clientHandler, options().build());

        assertThatThrownBy(() -> client.dial(address)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + port);
        CompletableFuture<Conn> fromLoop = client.eventLoops().get(0).dial(address, null);
        assertThatThrownBy(fromLoop::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.1:" + port);
        assertThat(clientHandler.opens.get()).isZero();
        assertThat(clientHandler.closes.get()).as("no onClose for a dial that failed").isZero();
        assertThat(client.connectionCount()).isZero();
    }

    @Test
    default void eventLoopDialFromInsideACallbackCompletes() throws Exception {
        Engine upstream = serve(new Recorder(), options().build(), "tcp://127.0.0.1:0");
        String upstreamAddress = "tcp://127.0.0.1:" + Peers.inet(upstream).getPort();
        CompletableFuture<Throwable> dialed = new CompletableFuture<>();
        // A tiny proxy: each accepted connection dials the echo upstream from its onOpen.
        Recorder proxy = new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                if (conn.context() == null) {
                    conn.eventLoop().dial(upstreamAddress, conn).whenComplete((up, failure) -> {
                        if (failure == null && up.eventLoop().inEventLoop()) {
                            conn.context(up);
                            conn.wake(null); // forward what the client sent while we were dialing
                            dialed.complete(null);
                        } else {
                            conn.close();
                            dialed.complete(failure != null ? failure : new AssertionError("dial completed off the loop"));
                        }
                    });
                }
                return super.onOpen(conn);
            }

            @Override
            public Action onTraffic(Conn conn) {
                if (conn.context() instanceof Conn peer && peer.isOpen()) {
                    peer.write(conn.next(-1));
                }
                return Action.NONE;
            }
        };
        Engine proxyEngine = serve(proxy, options().loops(2).build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(proxyEngine))) {
            socket.getOutputStream().write("through the proxy".getBytes());
            assertThat(await(dialed)).isNull();
            assertThat(new String(Peers.readExactly(socket.getInputStream(), 17))).isEqualTo("through the proxy");
        }
    }

    @Test
    default void enrolledChannelIsServedLikeAnAcceptedOne() throws Exception {
        AtomicReference<Object> contextAtOpen = new AtomicReference<>();
        Recorder handler = new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                contextAtOpen.set(conn.context());
                return super.onOpen(conn);
            }
        };
        Engine client = client(handler, options().tcpNoDelay(true).build());
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel channel = SocketChannel.open(listener.getLocalAddress());
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, false);
            try (SocketChannel far = listener.accept()) {
                Conn conn = client.enroll(channel, "enrolled");
                assertThat(contextAtOpen).hasValue("enrolled");
                assertThat(conn.context()).isEqualTo("enrolled");
                assertThat(channel.getOption(java.net.StandardSocketOptions.TCP_NODELAY))
                        .as("the engine's socket options apply to enrolled sockets too").isTrue();
                Peers.sink(far).write("ping".getBytes(), 0, 4);
                assertThat(new String(Peers.readExactly(far, 4))).isEqualTo("ping");
                far.shutdownOutput();
                assertThat(handler.awaitClose(conn)).isNull();
                assertThat(Channels.newInputStream(far).read()).isEqualTo(-1);
                assertThat(channel.isOpen()).as("jgnet owns and closed the channel").isFalse();
            }
        }
    }

    @Test
    default void enrolledDatagramChannelIsServed() throws Exception {
        Recorder handler = new Recorder();
        Engine client = client(handler, options().build());
        try (java.nio.channels.DatagramChannel far = java.nio.channels.DatagramChannel.open()) {
            far.bind(new InetSocketAddress("127.0.0.1", 0));
            java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open()
                    .bind(new InetSocketAddress("127.0.0.1", 0)).connect(far.getLocalAddress());
            far.connect(channel.getLocalAddress());
            Conn conn = client.enroll(channel, null);
            far.write(ByteBuffer.wrap("ping".getBytes()));
            ByteBuffer echoed = ByteBuffer.allocate(16);
            far.receive(echoed);
            assertThat(new String(echoed.array(), 0, echoed.position())).isEqualTo("ping");
            conn.close();
            assertThat(handler.awaitClose(conn)).isNull();
            assertThat(channel.isOpen()).as("jgnet owns and closed the channel").isFalse();
        }
    }

    @Test
    default void enrolledUnixChannelIsServed(@TempDir Path dir) throws Exception {
        Recorder handler = new Recorder();
        Engine client = client(handler, options().build());
        try (ServerSocketChannel listener = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            listener.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("enroll.sock")));
            SocketChannel channel = SocketChannel.open(listener.getLocalAddress());
            try (SocketChannel far = listener.accept()) {
                Conn conn = client.enroll(channel, null);
                Peers.sink(far).write("over unix".getBytes(), 0, 9);
                assertThat(new String(Peers.readExactly(far, 9))).isEqualTo("over unix");
                conn.close();
                assertThat(handler.awaitClose(conn)).isNull();
                assertThat(channel.isOpen()).isFalse();
            }
        }
    }
}
