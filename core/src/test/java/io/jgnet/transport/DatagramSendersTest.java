package io.jgnet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jgnet.Options;
import io.jgnet.transport.epoll.EpollTransport;
import io.jgnet.transport.iouring.IoUringTransport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A datagram listener reports a peer it has heard from before with the same address object, so
 * that answering the same peers costs no allocation per datagram (an {@code InetSocketAddress},
 * its {@code InetAddress} and byte array: about 100 bytes): the loop decodes senders through its
 * {@link io.jgnet.linux.SockAddrCache}. On epoll (recvfrom), and on io_uring both ways: the
 * multishot recvmsg, and recvfrom after a poll as on a kernel before 6.0
 * ({@code -Djgnet.iouring.receive=single}).
 */
class DatagramSendersTest {
    private static final int ROUNDS = 5;
    private static final int MAX_POLLS = 1_000;

    @AfterEach
    void multishotAgain() {
        System.clearProperty("jgnet.iouring.receive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring", "io_uring-single"})
    void aPeerHeardFromBeforeIsReportedWithTheSameAddressObject(String kind) throws Exception {
        Transport transport;
        if (kind.equals("epoll")) {
            transport = available(EpollTransport.isAvailable(), "epoll unavailable", EpollTransport.INSTANCE);
        } else {
            transport = available(IoUringTransport.isAvailable(), "io_uring: " + IoUringTransport.unavailableReason(),
                    IoUringTransport.INSTANCE);
            if (kind.equals("io_uring-single")) {
                System.setProperty("jgnet.iouring.receive", "single");
            }
        }
        List<SocketAddress> senders = new ArrayList<>();
        try (Poller poller = transport.openPoller(new Senders(senders), Options.defaults());
                DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            poller.poll(0); // io_uring makes its ring on the thread that polls
            Listener listener = poller.listen(io.jgnet.transport.Address.parse("udp://127.0.0.1:0"), Options.defaults(),
                    true);
            poller.poll(0);
            for (int i = 0; i < ROUNDS; i++) {
                for (DatagramSocket peer : List.of(a, b)) {
                    peer.send(new DatagramPacket(new byte[] {(byte) i}, 1, listener.localAddress()));
                    int expected = senders.size() + 1;
                    for (int polls = 0; senders.size() < expected; polls++) {
                        assertThat(polls).as("polls until the datagram came").isLessThan(MAX_POLLS);
                        poller.poll(10_000_000L);
                    }
                }
            }
            SocketAddress fromA = senders.get(0);
            SocketAddress fromB = senders.get(1);
            assertThat(fromA).isEqualTo(a.getLocalSocketAddress());
            assertThat(fromB).isEqualTo(b.getLocalSocketAddress());
            for (int i = 0; i < senders.size(); i++) {
                assertThat(senders.get(i)).as("sender of datagram %d", i).isSameAs(i % 2 == 0 ? fromA : fromB);
            }
            listener.close();
        }
    }

    private static Transport available(boolean available, String why, Transport transport) {
        if (!available && "true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: every transport must run)");
        }
        Assumptions.assumeTrue(available, why);
        return transport;
    }

    /** Records each datagram's sender. */
    private record Senders(List<SocketAddress> senders) implements IoEvents {
        @Override
        public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) {
            senders.add(sender);
        }

        @Override public void onAccept(Listener listener, Object accepted, SocketAddress remote) { }
        @Override public void onDescriptorsExhausted(Listener listener) { }
        @Override public void onRead(Object attachment, ByteBuffer data) { }
        @Override public void onReadEnd(Object attachment) { }
        @Override public void onError(Object attachment, IOException cause) { }
        @Override public void onHangUp(Object attachment) { }
        @Override public void onWritable(Object attachment) { }
        @Override public void onConnected(Object attachment) { }
        @Override public void onClosed(Object attachment) { }
    }
}
