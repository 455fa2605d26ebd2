package io.jgnet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.jgnet.Options;
import io.jgnet.transport.epoll.EpollTransport;
import io.jgnet.transport.iouring.IoUringTransport;
import io.jgnet.transport.nio.NioTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link IoEvents#onClosed}: a closed socket's last event, raised once, after the region lent to
 * a send in flight has come back ({@link OutboundRegion#sent}), and only once the descriptor is
 * closed (the peer sees the connection end). Readiness transports raise it within
 * {@link Socket#close}; io_uring, with a receive and a send in flight, only when their
 * cancellations and the close itself have completed.
 */
class SocketClosedEventTest {
    private static final int MAX_POLLS = 1_000;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "io_uring"})
    void closeEndsWithOneClosedEventAfterTheLentRegionCameBack(String kind) throws Exception {
        Transport transport = switch (kind) {
            case "nio" -> NioTransport.INSTANCE;
            case "epoll" -> available(EpollTransport.isAvailable(), "epoll", EpollTransport.INSTANCE);
            default -> available(IoUringTransport.isAvailable(), "io_uring: " + IoUringTransport.unavailableReason(),
                    IoUringTransport.INSTANCE);
        };
        List<String> seen = new ArrayList<>();
        Recording events = new Recording(seen);
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                Poller poller = transport.openPoller(events, Options.defaults())) {
            poller.poll(0); // io_uring makes its ring on the thread that polls
            Socket socket = poller.connect(Address.parse("tcp://127.0.0.1:" + server.socket().getLocalPort()),
                    Options.defaults(), "conn");
            pollUntil(poller, () -> seen.contains("connected")); // io_uring connects when it polls
            try (SocketChannel peer = server.accept()) {
                // More than the kernel holds while the peer does not read: on io_uring a send stays
                // in flight, its region lent; a readiness transport sends what fits within flush.
                Region region = new Region(seen, 16 << 20);
                for (int i = 0; i < 20 && !region.lent; i++) {
                    socket.flush(region);
                    poller.poll(10_000_000L);
                }
                boolean lentAtClose = region.lent;
                seen.add("close");
                socket.close();
                boolean closedWithinClose = seen.getLast().equals("closed");
                pollUntil(poller, () -> seen.contains("closed"));
                List<String> afterClose = seen.subList(seen.indexOf("close") + 1, seen.size());
                if (kind.equals("io_uring")) {
                    assertThat(lentAtClose).as("a send in flight at close").isTrue();
                    assertThat(closedWithinClose).as("io_uring: not before the cancellations completed").isFalse();
                    assertThat(afterClose).as("the lent region comes back, then the socket is gone")
                            .containsExactly("sent", "closed");
                } else {
                    assertThat(closedWithinClose).as(kind + ": raised within close").isTrue();
                    assertThat(afterClose).containsExactly("closed");
                }
                assertThat(region.lent).isFalse();
                assertThat(drainToEnd(peer)).as("the peer sees the connection end").isTrue();
            }
            socket.close(); // idempotent: no second event
            poller.poll(0);
            assertThat(seen).filteredOn("closed"::equals).hasSize(1);
        }
    }

    private static Transport available(boolean available, String why, Transport transport) {
        if (!available && "true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: every transport must run)");
        }
        Assumptions.assumeTrue(available, why);
        return transport;
    }

    private static void pollUntil(Poller poller, BooleanSupplier done) throws IOException {
        for (int i = 0; i < MAX_POLLS && !done.getAsBoolean(); i++) {
            poller.poll(10_000_000L);
        }
        if (!done.getAsBoolean()) {
            fail("not done after " + MAX_POLLS + " polls");
        }
    }

    /** Reads until the end of stream (or a reset): the connection's descriptor is closed. */
    private static boolean drainToEnd(SocketChannel peer) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(1 << 20);
        try {
            while (true) {
                sink.clear();
                if (peer.read(sink) < 0) {
                    return true;
                }
            }
        } catch (IOException reset) {
            return true;
        }
    }

    /** One big region of output; records each report. */
    private static final class Region implements OutboundRegion {
        private final List<String> seen;
        private final ByteBuffer bytes;
        boolean lent;

        Region(List<String> seen, int size) {
            this.seen = seen;
            this.bytes = ByteBuffer.allocateDirect(size);
        }

        @Override
        public ByteBuffer region() {
            lent = true;
            return bytes.duplicate();
        }

        @Override
        public void sent(int n) {
            lent = false;
            bytes.position(bytes.position() + n);
            seen.add("sent");
        }

        @Override
        public FileRegion file() {
            return null;
        }

        @Override
        public void fileSent(long n) {
        }

        @Override
        public boolean isEmpty() {
            return !bytes.hasRemaining();
        }
    }

    private record Recording(List<String> seen) implements IoEvents {
        @Override public void onConnected(Object attachment) { seen.add("connected"); }
        @Override public void onClosed(Object attachment) { seen.add("closed"); }
        @Override public void onWritable(Object attachment) { }
        @Override public void onRead(Object attachment, ByteBuffer data) { }
        @Override public void onReadEnd(Object attachment) { }
        @Override public void onHangUp(Object attachment) { }
        @Override public void onError(Object attachment, IOException cause) { seen.add("error " + cause); }
        @Override public void onAccept(Listener listener, Object accepted, SocketAddress remote) { }
        @Override public void onDescriptorsExhausted(Listener listener) { }
        @Override public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) { }
    }
}
