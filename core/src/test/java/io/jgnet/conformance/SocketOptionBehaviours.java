package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.onLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.LinuxSocketOptions;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.transport.Address;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Transport;
import io.jgnet.transport.epoll.EpollTransport;
import io.jgnet.transport.iouring.IoUringTransport;
import io.jgnet.transport.nio.NioTransport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Socket options set through Options (on listeners and on accepted and dialed connections) and on
 * a Conn, read back with getsockopt; the nio transport refuses those the JDK cannot set, naming
 * them.
 */
interface SocketOptionBehaviours extends Harness {

    /** Whether the transport sets options the JDK does not know (setsockopt through FFM). */
    private boolean native_() {
        return transport() != TransportKind.NIO;
    }

    @Test
    default void connectionOptionsReachAcceptedAndDialedConnections() throws Exception {
        Map<SocketOption<?>, Object> serverSide = new LinkedHashMap<>();
        serverSide.put(StandardSocketOptions.IP_TOS, 0x10);
        serverSide.put(StandardSocketOptions.SO_SNDBUF, 96 * 1024);
        if (native_()) {
            serverSide.put(LinuxSocketOptions.TCP_USER_TIMEOUT, 12_000);
        }
        CompletableFuture<Map<SocketOption<?>, Object>> seenByServer = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                Map<SocketOption<?>, Object> seen = new LinkedHashMap<>();
                serverSide.keySet().forEach(option -> seen.put(option, conn.getOption(option)));
                seenByServer.complete(seen);
                return super.onOpen(conn);
            }
        };
        Options.Builder serverOptions = options();
        serverSide.forEach((option, value) -> put(serverOptions, option, value));
        Engine engine = serve(server, serverOptions.build(), "tcp://127.0.0.1:0");
        try (java.net.Socket peer = Peers.connect(Peers.inet(engine))) {
            assertThat(peer.isConnected()).isTrue();
        }
        Map<SocketOption<?>, Object> seen = await(seenByServer);
        assertThat(seen.get(StandardSocketOptions.IP_TOS)).isEqualTo(0x10);
        // The kernel doubles SO_SNDBUF for its bookkeeping.
        assertThat((Integer) seen.get(StandardSocketOptions.SO_SNDBUF)).isGreaterThanOrEqualTo(96 * 1024);
        if (native_()) {
            assertThat(seen.get(LinuxSocketOptions.TCP_USER_TIMEOUT)).isEqualTo(12_000);
        }

        Options.Builder clientOptions = options().connectionOption(StandardSocketOptions.IP_TOS, 0x08);
        if (native_()) {
            clientOptions.connectionOption(LinuxSocketOptions.TCP_USER_TIMEOUT, 7_000)
                    .connectionOption(LinuxSocketOptions.IP_BIND_ADDRESS_NO_PORT, true)
                    .connectionOption(LinuxSocketOptions.TCP_FASTOPEN_CONNECT, clientFastOpen());
        }
        Engine client = client(new Recorder(), clientOptions.build());
        Conn conn = client.dial("tcp://127.0.0.1:" + Peers.inet(engine).getPort());
        onLoop(conn, () -> {
            assertThat(conn.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x08);
            if (native_()) {
                assertThat(conn.getOption(LinuxSocketOptions.TCP_USER_TIMEOUT)).isEqualTo(7_000);
                assertThat(conn.getOption(LinuxSocketOptions.IP_BIND_ADDRESS_NO_PORT)).isTrue();
                assertThat(conn.getOption(LinuxSocketOptions.TCP_FASTOPEN_CONNECT)).isEqualTo(clientFastOpen());
            }
            return null;
        });
    }

    @Test
    default void anyOptionIsSetAndReadBackOnAConn() throws Exception {
        Engine engine = serve(new Recorder(), options().build(), "tcp://127.0.0.1:0");
        Engine client = client(new Recorder(), options().build());
        Conn conn = client.dial("tcp://127.0.0.1:" + Peers.inet(engine).getPort());
        onLoop(conn, () -> {
            conn.setOption(LinuxSocketOptions.TCP_QUICKACK, true);
            conn.setOption(StandardSocketOptions.IP_TOS, 0x20);
            assertThat(conn.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x20);
            if (!native_()) {
                assertThatThrownBy(() -> conn.setOption(LinuxSocketOptions.TCP_CORK, true))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("TCP_CORK").hasMessageContaining("nio");
                return null;
            }
            conn.setOption(LinuxSocketOptions.TCP_CORK, true);
            assertThat(conn.getOption(LinuxSocketOptions.TCP_CORK)).isTrue();
            conn.setOption(LinuxSocketOptions.TCP_CORK, false);
            assertThat(conn.getOption(LinuxSocketOptions.TCP_CORK)).isFalse();
            SocketOption<Integer> ttl = LinuxSocketOptions.raw("IP_TTL", 0, 2);
            conn.setOption(ttl, 33);
            assertThat(conn.getOption(ttl)).isEqualTo(33);
            if (hasCapability(NET_ADMIN)) {
                conn.setOption(LinuxSocketOptions.SO_BUSY_POLL, 50);
                assertThat(conn.getOption(LinuxSocketOptions.SO_BUSY_POLL)).isEqualTo(50);
            }
            if (hasCapability(NET_RAW)) {
                conn.setOption(LinuxSocketOptions.SO_BINDTODEVICE, "lo");
                assertThat(conn.getOption(LinuxSocketOptions.SO_BINDTODEVICE)).isEqualTo("lo");
            }
            assertThatThrownBy(() -> conn.setOption(LinuxSocketOptions.raw("bogus", 6, 9999), 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("ENOPROTOOPT");
            return null;
        });
        // Still a working connection afterwards.
        CompletableFuture<Throwable> written = new CompletableFuture<>();
        conn.asyncWrite("ping".getBytes(), (c, error) -> written.complete(error));
        assertThat(await(written)).isNull();
    }

    @Test
    default void listenerOptionsAreSetBeforeBind() throws Exception {
        Options.Builder builder = options().listenerOption(StandardSocketOptions.SO_RCVBUF, 128 * 1024);
        if (native_()) {
            builder.listenerOption(LinuxSocketOptions.TCP_FASTOPEN, 64)
                    .listenerOption(LinuxSocketOptions.IP_FREEBIND, true);
        }
        Options options = builder.build();
        try (Poller poller = transportUnderTest().openPoller(new NoEvents(), options)) {
            Listener listener = poller.listen(Address.parse("tcp://127.0.0.1:0"), options, false);
            try {
                assertThat(listener.getOption(StandardSocketOptions.SO_RCVBUF)).isGreaterThanOrEqualTo(128 * 1024);
                if (native_()) {
                    assertThat(listener.getOption(LinuxSocketOptions.TCP_FASTOPEN)).isEqualTo(64);
                    assertThat(listener.getOption(LinuxSocketOptions.IP_FREEBIND)).isTrue();
                }
            } finally {
                listener.close();
            }
        }
    }

    @Test
    default void aTransportThatCannotSetAnOptionRefusesItByName() throws Exception {
        assumeThat(native_()).as("epoll and io_uring set every option").isFalse();
        assertThatThrownBy(() -> serve(new Recorder(),
                options().listenerOption(LinuxSocketOptions.TCP_FASTOPEN, 16).build(), "tcp://127.0.0.1:0"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("TCP_FASTOPEN").hasMessageContaining("nio");
        Engine engine = serve(new Recorder(), options().build(), "tcp://127.0.0.1:0");
        Engine client = client(new Recorder(), options()
                .connectionOption(LinuxSocketOptions.TCP_USER_TIMEOUT, 1_000).build());
        assertThatThrownBy(() -> client.dial("tcp://127.0.0.1:" + Peers.inet(engine).getPort()))
                .isInstanceOf(ConnectException.class)
                .hasRootCauseInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("TCP_USER_TIMEOUT");
    }

    private Transport transportUnderTest() {
        return switch (transport()) {
            case NIO -> NioTransport.INSTANCE;
            case EPOLL -> EpollTransport.INSTANCE;
            case IO_URING -> IoUringTransport.INSTANCE;
            default -> throw new IllegalStateException("no transport " + transport());
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void put(Options.Builder builder, SocketOption option, Object value) {
        builder.connectionOption(option, value);
    }

    /** TCP_FASTOPEN_CONNECT is refused (EOPNOTSUPP) when net.ipv4.tcp_fastopen lacks the client bit. */
    private static boolean clientFastOpen() {
        try {
            return (Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fastopen")).trim()) & 1) != 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    int NET_ADMIN = 12;
    int NET_RAW = 13;

    /** Whether this process holds a capability (SO_BUSY_POLL and SO_BINDTODEVICE need one). */
    private static boolean hasCapability(int bit) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseLong(line.substring(7).trim(), 16) & (1L << bit)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or unreadable: say no.
        }
        return false;
    }

    /** A poller opened only to bind: no event is expected. */
    final class NoEvents implements IoEvents {
        @Override public void onAccept(Listener listener, Object accepted, SocketAddress remote) { }
        @Override public void onDescriptorsExhausted(Listener listener) { }
        @Override public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) { }
        @Override public void onRead(Object attachment, ByteBuffer data) { }
        @Override public void onReadEnd(Object attachment) { }
        @Override public void onHangUp(Object attachment) { }
        @Override public void onWritable(Object attachment) { }
        @Override public void onConnected(Object attachment) { }
        @Override public void onError(Object attachment, IOException cause) { }
        @Override public void onClosed(Object attachment) { }
    }
}
