package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.onLoop;
import static io.jgnet.conformance.Peers.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.TransportKind;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDP beyond replies: a bind to a port in use fails, datagrams go to any address from a listener
 * or a dialed socket (from the loop and from other threads), multicast groups are joined and left
 * on loopback, broadcast needs its option.
 */
interface DatagramBehaviours extends Harness {

    @Test
    default void aSecondUdpBindToAPortInUseFailsWithBindException() throws Exception {
        Engine first = serve(new Recorder(), options().build(), "udp://127.0.0.1:0");
        String address = "udp://127.0.0.1:" + Peers.inet(first).getPort();
        assertThatThrownBy(() -> serve(new Recorder(), options().build(), address))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("cannot listen on " + address);
        // The first engine still gets the port's datagrams.
        try (DatagramSocket peer = Peers.datagramSocket()) {
            Peers.send(peer, Peers.inet(first), "still mine".getBytes());
            assertThat(new String(Peers.receive(peer))).isEqualTo("still mine");
        }
    }

    @Test
    default void udpPortSharingNeedsSoReuseAddrAskedForOnBothSides() throws Exception {
        Engine first = serve(new Recorder(), options()
                .listenerOption(StandardSocketOptions.SO_REUSEADDR, true).build(), "udp://127.0.0.1:0");
        String address = "udp://127.0.0.1:" + Peers.inet(first).getPort();
        Engine second = serve(new Recorder(), options()
                .listenerOption(StandardSocketOptions.SO_REUSEADDR, true).build(), address);
        assertThat(Peers.inet(second)).isEqualTo(Peers.inet(first));
        Conn listener = second.datagramListener(0);
        assertThat(onLoop(listener, () -> listener.getOption(StandardSocketOptions.SO_REUSEADDR))).isTrue();
    }

    @Test
    default void aUdpListenerSendsToAnyAddressFromItsLoopAndFromAnyThread() throws Exception {
        try (DatagramSocket asker = Peers.datagramSocket(); DatagramSocket other = Peers.datagramSocket()) {
            InetSocketAddress otherAddress = (InetSocketAddress) other.getLocalSocketAddress();
            Recorder forwarder = new Recorder() {
                @Override
                public Action onTraffic(Conn conn) {
                    // Forward to the third party, not back to the sender.
                    conn.sendTo(otherAddress, conn.next(-1));
                    return Action.NONE;
                }
            };
            Engine engine = serve(forwarder, options().build(), "udp://127.0.0.1:0");
            InetSocketAddress server = Peers.inet(engine);
            byte[] forwarded = randomBytes(1, 700);
            Peers.send(asker, server, forwarded);
            DatagramPacket packet = receivePacket(other);
            assertThat(packet.getSocketAddress()).as("sent from the listener's socket").isEqualTo(server);
            assertSameBytes(data(packet), forwarded);

            Conn listener = engine.datagramListener(0);
            assertThat(listener.localAddress()).isEqualTo(server);
            ByteBuffer fromTestThread = ByteBuffer.wrap(randomBytes(2, 300));
            listener.sendTo(otherAddress, fromTestThread);
            assertThat(fromTestThread.hasRemaining()).as("consumed (copied) before the call returned").isFalse();
            fromTestThread.clear().put(0, (byte) 0); // changing it afterwards changes nothing sent
            packet = receivePacket(other);
            assertThat(packet.getSocketAddress()).isEqualTo(server);
            assertSameBytes(data(packet), randomBytes(2, 300));
            assertThatThrownBy(() -> listener.asyncWrite("x".getBytes(), null))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("sendTo");
        }
    }

    @Test
    default void aDialedUdpConnectionSendsToAThirdParty() throws Exception {
        Engine server = serve(new Recorder(), options().build(), "udp://127.0.0.1:0");
        Engine client = client(new Recorder(), options().build());
        Conn conn = client.dial("udp://127.0.0.1:" + Peers.inet(server).getPort());
        try (DatagramSocket other = Peers.datagramSocket()) {
            SocketAddress otherAddress = other.getLocalSocketAddress();
            if (transport() == TransportKind.NIO) {
                assertThatThrownBy(() -> onLoop(conn, () -> {
                    conn.sendTo(otherAddress, "x".getBytes());
                    return null;
                })).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("nio");
                return;
            }
            conn.sendTo(otherAddress, "from a dialed socket".getBytes());
            DatagramPacket packet = receivePacket(other);
            assertThat(packet.getSocketAddress()).isEqualTo(conn.localAddress());
            assertThat(new String(data(packet))).isEqualTo("from a dialed socket");
        }
    }

    @Test
    default void sendToOnAStreamConnectionIsUnsupported() throws Exception {
        Engine server = serve(new Recorder(), options().build(), "tcp://127.0.0.1:0");
        Engine client = client(new Recorder(), options().build());
        Conn conn = client.dial("tcp://127.0.0.1:" + Peers.inet(server).getPort());
        assertThatThrownBy(() -> conn.sendTo(new InetSocketAddress("127.0.0.1", 9), new byte[1]))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("stream");
    }

    @Test
    default void broadcastNeedsSoBroadcast() throws Exception {
        Engine engine = serve(new Recorder(), options().build(), "udp://127.0.0.1:0");
        Conn listener = engine.datagramListener(0);
        // lo's broadcast address: the datagram never leaves the host.
        InetSocketAddress broadcast = new InetSocketAddress("127.255.255.255", Peers.inet(engine).getPort());
        assertThatThrownBy(() -> onLoop(listener, () -> {
            listener.sendTo(broadcast, "all".getBytes());
            return null;
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("127.255.255.255");
        onLoop(listener, () -> {
            listener.setOption(StandardSocketOptions.SO_BROADCAST, true);
            assertThat(listener.getOption(StandardSocketOptions.SO_BROADCAST)).isTrue();
            listener.sendTo(broadcast, "all".getBytes());
            return null;
        });
    }

    @Test
    default void ipv4MulticastOnLoopbackReachesAJoinedListenerUntilItLeaves() throws Exception {
        NetworkInterface lo = loopbackInterface();
        InetAddress group = InetAddress.getByName("239.255.42.99");
        Collector collector = new Collector();
        // Bound to the group itself: it hears the group's datagrams and nothing else.
        Engine receiver = serve(collector, options().build(), "udp://239.255.42.99:0");
        int port = Peers.inet(receiver).getPort();
        Conn member = receiver.datagramListener(0);
        onLoop(member, () -> {
            member.joinGroup(group, lo);
            return null;
        });
        Engine sender = serve(new Recorder(), options().build(), "udp://127.0.0.1:0");
        Conn announcer = sender.datagramListener(0);
        onLoop(announcer, () -> {
            announcer.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            announcer.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            announcer.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            assertThat(announcer.getOption(StandardSocketOptions.IP_MULTICAST_IF)).isEqualTo(lo);
            assertThat(announcer.getOption(StandardSocketOptions.IP_MULTICAST_LOOP)).isTrue();
            assertThat(announcer.getOption(StandardSocketOptions.IP_MULTICAST_TTL)).isZero();
            return null;
        });
        announcer.sendTo(new InetSocketAddress(group, port), "to the group".getBytes());
        byte[] first = collector.next();
        assertThat(first).as("multicast datagram on lo").isNotNull();
        assertThat(new String(first)).isEqualTo("to the group");

        // jgnet as the sender to a JDK member, and leave/rejoin rules on the member.
        try (MulticastSocket jdkMember = new MulticastSocket(new InetSocketAddress(group, 0))) {
            jdkMember.setSoTimeout((int) Peers.GUARD.toMillis());
            jdkMember.joinGroup(new InetSocketAddress(group, 0), lo);
            announcer.sendTo(new InetSocketAddress(group, jdkMember.getLocalPort()), "to a JDK member".getBytes());
            assertThat(new String(data(receivePacket(jdkMember)))).isEqualTo("to a JDK member");
        }
        onLoop(member, () -> {
            assertThatThrownBy(() -> member.joinGroup(group, lo)).isInstanceOf(IllegalStateException.class);
            member.leaveGroup(group, lo);
            assertThatThrownBy(() -> member.leaveGroup(group, lo)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("239.255.42.99");
            return null;
        });
    }

    @Test
    default void ipv6MulticastGroupsAreJoinedAndLeftOnLoopback() throws Exception {
        NetworkInterface lo = loopbackInterface();
        assumeThat(lo.inetAddresses().anyMatch(a -> a.getAddress().length == 16))
                .as("lo has no IPv6 address here").isTrue();
        InetAddress group = InetAddress.getByName("ff02::1:4242");
        Engine engine = serve(new Recorder(), options().build(), "udp6://[::1]:0");
        Conn member = engine.datagramListener(0);
        onLoop(member, () -> {
            member.joinGroup(group, lo);
            assertThatThrownBy(() -> member.joinGroup(group, lo)).as("joined already")
                    .isInstanceOf(IllegalStateException.class);
            member.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            assertThat(member.getOption(StandardSocketOptions.IP_MULTICAST_LOOP)).isFalse();
            member.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            assertThat(member.getOption(StandardSocketOptions.IP_MULTICAST_IF)).isEqualTo(lo);
            member.leaveGroup(group, lo);
            assertThatThrownBy(() -> member.leaveGroup(group, lo)).as("left already")
                    .isInstanceOf(IllegalStateException.class);
            return null;
        });
        // Delivery is not tried: lo has no IPv6 multicast route in most containers (ENETUNREACH),
        // and the tests send nothing off loopback.
    }

    @Test
    default void unixDatagramsAreServedAndDialedWhereTheTransportCan(@TempDir Path dir) throws Exception {
        String address = "unixgram://" + dir.resolve("datagrams.sock");
        if (transport() == TransportKind.NIO) {
            assertThatThrownBy(() -> serve(new Recorder(), options().build(), address))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("unix datagram");
            return;
        }
        Engine server = serve(new Recorder(), options().build(), address);
        Collector clientHandler = new Collector();
        Engine client = client(clientHandler, options().build());
        Conn conn = client.dial(address);
        for (int i = 0; i < 3; i++) {
            byte[] datagram = randomBytes(i, 100 + 900 * i);
            conn.asyncWrite(datagram.clone(), null);
            byte[] reply = clientHandler.next();
            assertThat(reply).as("echo %d over unix datagrams", i).isNotNull();
            assertSameBytes(reply, datagram);
        }
        assertThat(server.datagramListener(0).localAddress().toString()).endsWith("datagrams.sock");
    }

    private static NetworkInterface loopbackInterface() throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        assumeThat(lo).as("no interface named lo: multicast on loopback is not tried").isNotNull();
        return lo;
    }

    private static DatagramPacket receivePacket(DatagramSocket socket) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return packet;
    }

    private static byte[] data(DatagramPacket packet) {
        return java.util.Arrays.copyOf(packet.getData(), packet.getLength());
    }
}
