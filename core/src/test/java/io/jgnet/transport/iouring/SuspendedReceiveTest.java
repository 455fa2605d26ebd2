package io.jgnet.transport.iouring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgnet.Options;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Socket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stream receiving on a real io_uring poller (issue 12): what a socket whose reading is
 * suspended can still receive is bounded by one multishot arming's budget, however much the
 * kernel holds for it; the receive is re-armed when its budget is spent; and nothing is lost or
 * reordered across a suspension. Small provided buffers (the read buffer cap) make a queue of a
 * few dozen buffers out of a few KiB, so an unbounded multishot receive would visibly overshoot.
 */
@Timeout(30)
class SuspendedReceiveTest {
    private static final int BUFFER = 1024;
    private static final Duration GUARD = Duration.ofSeconds(10);

    private final Recorder events = new Recorder();
    private IoUringPoller poller;
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel accepted;

    @BeforeEach
    void open() throws IOException {
        assumeTrue(IoUringTransport.isAvailable(), () -> "io_uring unavailable: " + IoUringTransport.unavailableReason());
        Options options = Options.builder().readBufferCap(BUFFER).inboundBufferCap(BUFFER).build();
        poller = new IoUringPoller(events, options);
        poller.poll(0); // the ring and its provided buffers exist from the first poll on
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        client = SocketChannel.open(server.getLocalAddress());
        accepted = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {client, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
        if (poller != null) {
            poller.close();
        }
    }

    @Test
    void aSuspendedSocketReceivesAtMostOneArmingsBudgetAfterTheSuspensionAndLosesNothing() throws Exception {
        assumeTrue(poller.receiving().isMultishot(), "the kernel refused multishot receive");
        int total = 32 * BUFFER;
        byte[] sent = pattern(total);
        client.write(ByteBuffer.wrap(sent));
        // Everything waits in the server's socket before the first receive is armed: a receive
        // that is not bounded would take buffer after buffer of it at once.
        awaitAvailable(accepted, total);
        IoUringSocket socket = (IoUringSocket) poller.adopt(accepted, "conn");
        events.suspendOnRead = socket;
        pollUntil(() -> events.reads > 0);
        for (int i = 0; i < 5; i++) {
            poller.poll(1_000_000); // the cancel, and whatever completions were on their way
        }
        int bound = poller.receiving().heldAtMost();
        assertThat(events.reads).as("onRead calls after the handler suspended at the first").isEqualTo(1);
        assertThat(events.received.size() + socket.suspendedBytes())
                .as("bytes taken from the kernel while reading was suspended at most one arming's budget and a buffer")
                .isLessThanOrEqualTo(bound);

        events.suspendOnRead = null;
        socket.readInterest(true);
        pollUntil(() -> events.received.size() == total);
        assertThat(events.received.toByteArray()).as("every byte, in order").isEqualTo(sent);
        assertThat(events.errors).isZero();
    }

    @Test
    void aReceiveWhoseBudgetIsSpentIsArmedAgain() throws Exception {
        int total = 256 * BUFFER; // many arming budgets; more than the ring's buffers
        byte[] sent = pattern(total);
        poller.adopt(accepted, "conn");
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                client.write(ByteBuffer.wrap(sent));
                client.shutdownOutput();
            } catch (IOException e) {
                // seen as missing bytes
            }
        });
        pollUntil(() -> events.ended);
        writer.join(GUARD.toMillis());
        assertThat(events.received.toByteArray()).isEqualTo(sent);
        assertThat(events.errors).isZero();
    }

    @Test
    void theReceiveSwitchMakesALoopReceiveOneAtATimeAsAnOldKernelWould() throws Exception {
        System.setProperty(IoUringPoller.RECEIVE_PROPERTY, "single");
        Recorder single = new Recorder();
        try (IoUringPoller old = new IoUringPoller(single, Options.builder().readBufferCap(BUFFER)
                .inboundBufferCap(BUFFER).build())) {
            old.poll(0);
            assertThat(old.receiving().isMultishot()).as("multishot receive with the switch on").isFalse();
            int total = 8 * BUFFER;
            byte[] sent = pattern(total);
            old.adopt(accepted, "conn");
            client.write(ByteBuffer.wrap(sent));
            client.shutdownOutput();
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (!single.ended) {
                assertThat(System.nanoTime() - deadline).as("waited too long").isNegative();
                old.poll(10_000_000);
            }
            assertThat(single.received.toByteArray()).isEqualTo(sent);
        } finally {
            System.clearProperty(IoUringPoller.RECEIVE_PROPERTY);
        }
    }

    private void pollUntil(BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited too long").isNegative();
            poller.poll(10_000_000);
        }
    }

    private static void awaitAvailable(SocketChannel channel, int bytes) throws IOException {
        InputStream in = channel.socket().getInputStream();
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (in.available() < bytes) {
            assertThat(System.nanoTime() - deadline).as("the bytes never reached the socket").isNegative();
            Thread.onSpinWait();
        }
    }

    private static byte[] pattern(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 10));
        }
        return bytes;
    }

    /** Records what the poller reports; suspends reading at a read when asked to, as a handler would. */
    private static final class Recorder implements IoEvents {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int reads;
        int errors;
        boolean ended;
        Socket suspendOnRead;

        @Override
        public void onRead(Object attachment, ByteBuffer data) {
            reads++;
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            received.writeBytes(copy);
            if (suspendOnRead != null) {
                suspendOnRead.readInterest(false);
            }
        }

        @Override
        public void onReadEnd(Object attachment) {
            ended = true;
        }

        @Override
        public void onError(Object attachment, IOException cause) {
            errors++;
        }

        @Override public void onAccept(Listener listener, Object accepted, SocketAddress remote) { }
        @Override public void onDescriptorsExhausted(Listener listener) { }
        @Override public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) { }
        @Override public void onHangUp(Object attachment) { }
        @Override public void onWritable(Object attachment) { }
        @Override public void onConnected(Object attachment) { }
        @Override public void onClosed(Object attachment) { }
    }
}
