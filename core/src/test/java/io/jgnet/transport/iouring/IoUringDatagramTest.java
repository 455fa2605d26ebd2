package io.jgnet.transport.iouring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jgnet.Options;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.transport.Address;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Socket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datagrams on io_uring go through the ring: a listener receives with its multishot recvmsg and
 * replies with sendmsg operations, and a dialed socket writes with sendmsg, with no recvfrom or
 * sendto beside the ring (the poller's own count of system calls shows it: one per poll), and
 * in the order they were written. Driven by hand on the test thread, which owns the ring.
 */
class IoUringDatagramTest {
    private static final int DATAGRAMS = 40;
    private static final int MAX_POLLS = 10_000;

    private final Events events = new Events();
    private IoUringPoller poller;
    private int polls;

    @BeforeEach
    void open() throws IOException {
        if ("true".equals(System.getenv("CI")) && !IoUringTransport.isAvailable()) {
            fail("io_uring is unavailable under CI=true: " + IoUringTransport.unavailableReason());
        }
        Assumptions.assumeTrue(IoUringTransport.isAvailable(), () -> "io_uring: " + IoUringTransport.unavailableReason());
        poller = new IoUringPoller(events, Options.defaults());
        poller.poll(0); // the ring is made on the thread that polls
    }

    @AfterEach
    void close() throws IOException {
        if (poller != null) {
            poller.close();
        }
    }

    @Test
    void aListenerReceivesAndRepliesThroughTheRingWithoutSyscallsOfItsOwn() throws Exception {
        Listener listener = poller.listen(Address.parse("udp://127.0.0.1:0"), Options.defaults(), true);
        events.replyFrom = listener;
        pollUntil(() -> true);
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(10_000);
            long callsBefore = poller.systemCalls();
            int pollsBefore = polls;
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] payload = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
                peer.send(new DatagramPacket(payload, payload.length, listener.localAddress()));
                int expected = i + 1;
                pollUntil(() -> events.datagrams.size() == expected);
            }
            pollOnce(0); // submits the last reply
            assertThat(events.replied).isEqualTo(DATAGRAMS);
            for (int i = 0; i < DATAGRAMS; i++) {
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                peer.receive(reply);
                assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
                        .isEqualTo("datagram " + i);
            }
            assertThat(poller.ringDatagrams.received()).as("received by recvmsg").isEqualTo(DATAGRAMS);
            assertThat(poller.ringDatagrams.sent()).as("replies sent by sendmsg").isEqualTo(DATAGRAMS);
            assertThat(poller.systemCalls() - callsBefore).as("no call but the polls' io_uring_enter")
                    .isLessThanOrEqualTo(polls - pollsBefore);
            assertThat(events.senders).as("one address object for one peer").allMatch(s -> s == events.senders.get(0));
            assertThat(events.senders.get(0)).isEqualTo(peer.getLocalSocketAddress());
        }
    }

    @Test
    void repliesAndADirectSendLeaveInTheOrderTheyWereMade() throws Exception {
        Listener listener = poller.listen(Address.parse("udp://127.0.0.1:0"), Options.defaults(), true);
        pollUntil(() -> true);
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(10_000);
            SocketAddress to = peer.getLocalSocketAddress();
            for (int i = 0; i < 5; i++) {
                listener.reply(ByteBuffer.wrap(("queued " + i).getBytes(StandardCharsets.UTF_8)), to);
            }
            // sendTo: sent now, but after the replies queued before it.
            listener.send(ByteBuffer.wrap("direct".getBytes(StandardCharsets.UTF_8)), to);
            listener.reply(ByteBuffer.wrap(new byte[DatagramRing.PAYLOAD + 1]), to); // too big for a slot: direct
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
                peer.receive(packet);
                got.add(packet.getLength() > 100 ? "big" : new String(packet.getData(), 0, packet.getLength(),
                        StandardCharsets.UTF_8));
            }
            assertThat(got).containsExactly("queued 0", "queued 1", "queued 2", "queued 3", "queued 4", "direct", "big");
            assertThat(poller.ringDatagrams.sent()).isEqualTo(5);
        }
    }

    @Test
    void aDialedSocketWritesThroughTheRingAndReadsItsPeersDatagrams() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(10_000);
            Socket socket = poller.connect(Address.parse("udp://127.0.0.1:" + peer.getLocalPort()), Options.defaults(),
                    "dialed");
            pollUntil(() -> events.connected);
            socket.sendDatagram(ByteBuffer.wrap("one".getBytes(StandardCharsets.UTF_8)), null);
            socket.sendDatagram(ByteBuffer.wrap("two".getBytes(StandardCharsets.UTF_8)), null);
            pollOnce(0);
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            peer.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo("one");
            peer.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo("two");
            assertThat(poller.ringDatagrams.sent()).isEqualTo(2);

            peer.send(new DatagramPacket("back".getBytes(StandardCharsets.UTF_8), 4, packet.getSocketAddress()));
            pollUntil(() -> !events.reads.isEmpty());
            assertThat(events.reads).containsExactly("back");
            socket.close();
        }
    }

    @Test
    void aDialedSocketSuspendedWithADatagramOnItsWayHandsItOverWholeThenReadsTheRestFromTheKernel() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Address to = Address.parse("udp://127.0.0.1:" + peer.getLocalPort());
            IoUringSocket a = (IoUringSocket) poller.connect(to, Options.defaults(), "a");
            IoUringSocket b = (IoUringSocket) poller.connect(to, Options.defaults(), "b");
            pollUntil(() -> events.connects == 2);
            pollOnce(0); // both receives are armed and wait
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(String.valueOf((char) ('a' + i)).repeat(1400 - i * 273));
            }
            for (String datagram : sent) {
                for (IoUringSocket socket : List.of(a, b)) {
                    byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
                    peer.send(new DatagramPacket(bytes, bytes.length, socket.localAddress()));
                }
            }
            // Both receives complete in the same enter; the first read suspends the other socket,
            // whose datagram is then already taken from the kernel (a relay's backpressure does this).
            events.suspendAtFirstRead = Map.of("a", b, "b", a);
            pollUntil(() -> events.suspended != null);
            IoUringSocket suspended = events.suspended;
            Object other = suspended == a ? "b" : "a";
            pollUntil(() -> events.readsBy(other).size() == sent.size());
            assertThat(events.readsBy(other)).as("the socket still reading").containsExactlyElementsOf(sent);
            Object held = suspended == a ? "a" : "b";
            assertThat(events.readsBy(held)).as("nothing delivered while suspended").isEmpty();
            assertThat(suspended.suspendedBytes()).as("the one datagram taken before the suspension, kept")
                    .isEqualTo(sent.get(0).length());

            suspended.readInterest(true);
            pollUntil(() -> events.readsBy(held).size() == sent.size());
            assertThat(events.readsBy(held)).as("each datagram whole, in order").containsExactlyElementsOf(sent);
            a.close();
            b.close();
        }
    }

    @Test
    void unixDatagramsGoThroughTheRingBothWays(@TempDir Path dir) throws Exception {
        Address address = Address.parse("unixgram://" + dir.resolve("ring.sock"));
        Listener listener = poller.listen(address, Options.defaults(), true);
        events.replyFrom = listener;
        Socket socket = poller.connect(address, Options.defaults(), "dialed");
        pollUntil(() -> events.connected);
        long callsBefore = poller.systemCalls();
        int pollsBefore = polls;
        socket.sendDatagram(ByteBuffer.wrap("over unixgram".getBytes(StandardCharsets.UTF_8)), null);
        pollUntil(() -> !events.reads.isEmpty());
        assertThat(events.datagrams).containsExactly("over unixgram");
        assertThat(events.reads).as("the listener's reply, read by the dialed socket").containsExactly("over unixgram");
        assertThat(poller.ringDatagrams.received()).isEqualTo(1);
        assertThat(poller.ringDatagrams.sent()).as("the write and the reply").isEqualTo(2);
        assertThat(poller.systemCalls() - callsBefore).isLessThanOrEqualTo(polls - pollsBefore);
        socket.close();
    }

    @Test
    void aDialedSocketWhosePeerIsGoneFailsWithConnectionRefused() throws Exception {
        int port;
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = gone.getLocalPort();
        }
        Socket socket = poller.connect(Address.parse("udp://127.0.0.1:" + port), Options.defaults(), "dialed");
        pollUntil(() -> events.connected);
        socket.sendDatagram(ByteBuffer.wrap("anyone?".getBytes(StandardCharsets.UTF_8)), null);
        pollUntil(() -> events.error != null);
        assertThat(events.error).isInstanceOf(ErrnoException.class);
        assertThat(((ErrnoException) events.error).errno()).isEqualTo(Errno.ECONNREFUSED);
        socket.close();
    }

    private void pollOnce(long timeoutNanos) throws IOException {
        poller.poll(timeoutNanos);
        polls++;
    }

    private void pollUntil(BooleanSupplier done) throws IOException {
        for (int i = 0; i < MAX_POLLS; i++) {
            pollOnce(10_000_000L);
            if (done.getAsBoolean()) {
                return;
            }
        }
        fail("not done after " + MAX_POLLS + " polls");
    }

    /** Records what the poller reports; replies to each datagram through the listener. */
    private static final class Events implements IoEvents {
        final List<String> datagrams = new ArrayList<>();
        final List<SocketAddress> senders = new ArrayList<>();
        final List<String> reads = new ArrayList<>();
        final Map<Object, List<String>> readsByAttachment = new HashMap<>();
        /** At the first read, suspends the socket this maps the reader's attachment to. */
        Map<Object, IoUringSocket> suspendAtFirstRead;
        IoUringSocket suspended;
        Listener replyFrom;
        int replied;
        boolean connected;
        int connects;
        IOException error;

        @Override
        public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) {
            byte[] bytes = new byte[datagram.remaining()];
            datagram.duplicate().get(bytes);
            datagrams.add(new String(bytes, StandardCharsets.UTF_8));
            senders.add(sender);
            if (replyFrom != null) {
                try {
                    replyFrom.reply(datagram, sender);
                    replied++;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }

        @Override
        public void onRead(Object attachment, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            reads.add(new String(bytes, StandardCharsets.UTF_8));
            readsByAttachment.computeIfAbsent(attachment, k -> new ArrayList<>()).add(reads.getLast());
            if (suspendAtFirstRead != null) {
                suspended = suspendAtFirstRead.get(attachment);
                suspended.readInterest(false);
                suspendAtFirstRead = null;
            }
        }

        List<String> readsBy(Object attachment) {
            return readsByAttachment.getOrDefault(attachment, List.of());
        }

        @Override
        public void onConnected(Object attachment) {
            connected = true;
            connects++;
        }

        @Override
        public void onError(Object attachment, IOException cause) {
            error = cause;
        }

        @Override public void onAccept(Listener listener, Object accepted, SocketAddress remote) { }
        @Override public void onDescriptorsExhausted(Listener listener) { }
        @Override public void onReadEnd(Object attachment) { }
        @Override public void onHangUp(Object attachment) { }
        @Override public void onWritable(Object attachment) { }
        @Override public void onClosed(Object attachment) { }

        @Override
        public String toString() {
            return "datagrams " + datagrams + ", reads " + reads + ", error " + error + ", connected " + connected;
        }
    }
}
