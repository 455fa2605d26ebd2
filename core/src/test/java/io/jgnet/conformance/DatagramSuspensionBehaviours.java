package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.onLoop;
import static io.jgnet.conformance.Peers.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A dialed UDP connection whose reading is suspended keeps datagram boundaries: what arrives
 * meanwhile reaches the handler after {@code resumeReading}, each datagram in its own
 * {@code onTraffic} with exactly its bytes, in the order sent. On io_uring the datagrams a
 * receive took after the suspension were once kept as one byte stream and handed over merged.
 */
interface DatagramSuspensionBehaviours extends Harness {
    /** Sizes of the datagrams sent while reading is off: tiny, empty-ish, one MTU, past a page. */
    int[] SIZES = {1, 700, 3, 1400, 9000, 64, 2048, 5};

    @Test
    default void datagramsArrivingWhileADialedUdpConnIsSuspendedAreEachDeliveredWholeOnResume() throws Exception {
        try (DatagramSocket peer = Peers.datagramSocket()) {
            SuspendingCollector handler = new SuspendingCollector();
            Engine client = client(handler, options().build());
            Conn conn = client.dial("udp://127.0.0.1:" + peer.getLocalPort());
            InetSocketAddress connAddress = (InetSocketAddress) conn.localAddress();

            // Reading suspended from inside onTraffic, the way backpressure does it.
            Peers.send(peer, connAddress, "suspend".getBytes());
            assertThat(handler.next()).as("the datagram that suspends").isEqualTo("suspend".getBytes());
            Peers.await(handler.suspended, "the handler to suspend reading");
            sendAll(peer, connAddress, 1);
            onLoop(conn, () -> {
                conn.resumeReading();
                return null;
            });
            expectAll(handler, 1);

            // Suspended from a task, while the transport is waiting to receive (io_uring: a
            // receive is in flight and must be cancelled).
            onLoop(conn, () -> {
                conn.suspendReading();
                return null;
            });
            sendAll(peer, connAddress, 2);
            onLoop(conn, () -> {
                conn.resumeReading();
                return null;
            });
            expectAll(handler, 2);

            // Reading goes on normally afterwards, and nothing else came.
            Peers.send(peer, connAddress, "after".getBytes());
            assertThat(handler.next()).isEqualTo("after".getBytes());
            assertThat(handler.received).isEmpty();
        }
    }

    private static void sendAll(DatagramSocket peer, InetSocketAddress to, long seed) throws Exception {
        for (int i = 0; i < SIZES.length; i++) {
            Peers.send(peer, to, randomBytes(seed * 100 + i, SIZES[i]));
        }
    }

    private static void expectAll(SuspendingCollector handler, long seed) throws Exception {
        for (int i = 0; i < SIZES.length; i++) {
            byte[] datagram = handler.next();
            assertThat(datagram).as("datagram %d of %d (%d bytes)", i, SIZES.length, SIZES[i]).isNotNull();
            assertThat(datagram.length).as("length of datagram %d", i).isEqualTo(SIZES[i]);
            assertSameBytes(datagram, randomBytes(seed * 100 + i, SIZES[i]));
        }
    }

    /** Keeps a copy of each datagram; suspends reading on the one that says "suspend". Thread-safe. */
    final class SuspendingCollector extends Recorder {
        final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        final CountDownLatch suspended = new CountDownLatch(1);

        @Override
        public Action onTraffic(Conn conn) {
            byte[] copy = new byte[conn.inboundBuffered()];
            conn.next(-1).get(copy);
            received.add(copy);
            if (new String(copy).equals("suspend")) {
                conn.suspendReading();
                suspended.countDown();
            }
            return Action.NONE;
        }

        byte[] next() throws InterruptedException {
            return received.poll(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
