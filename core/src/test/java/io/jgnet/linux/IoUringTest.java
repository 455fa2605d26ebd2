package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link IoUring}, {@link BufRing} and the {@link Sqe} writers against the running kernel, with
 * real descriptors and sockets. Skips (printing why) where io_uring is unavailable, e.g. in a
 * container whose seccomp profile denies it. Every wait blocks until the completion is there;
 * only the timeouts under test expire.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringTest {
    private final Fixture fx = new Fixture();
    private final List<IoUring> rings = new ArrayList<>();

    record Completion(long userData, int res, int flags) {
    }

    @BeforeEach
    void requireIoUring() {
        String reason = IoUringAvailability.unavailableReason();
        if (reason != null) {
            System.out.println("IoUringTest skipped: " + reason);
        }
        assumeTrue(reason == null, () -> "io_uring unavailable: " + reason);
    }

    @AfterEach
    void close() throws IOException {
        for (IoUring ring : rings) {
            ring.close();
        }
        fx.close();
    }

    /** Opened on the test's thread, which is the only one allowed to submit (SINGLE_ISSUER). */
    private IoUring ring(int entries) throws IOException {
        IoUring ring = IoUring.open(entries, fx.state);
        rings.add(ring);
        return ring;
    }

    /** Reaps until {@code count} completions have come, waiting in the kernel for each batch. */
    private static List<Completion> await(IoUring ring, int count) {
        List<Completion> seen = new ArrayList<>();
        ring.reap((data, res, flags) -> seen.add(new Completion(data, res, flags)));
        while (seen.size() < count) {
            int entered = ring.submitAndWait(1, -1);
            assertThat(entered).as("io_uring_enter").isGreaterThanOrEqualTo(-Errno.EINTR);
            ring.reap((data, res, flags) -> seen.add(new Completion(data, res, flags)));
        }
        assertThat(seen).as("completions").hasSize(count);
        return seen;
    }

    @Test
    void nopRoundTripsItsUserData() throws IOException {
        IoUring ring = ring(8);
        System.out.println("io_uring here: " + ring.describe());
        Sqe.prepNop(ring.sqes(), ring.nextSqe(), 0xCAFE_BABE_DEAD_BEEFL);
        assertThat(ring.submitAndWait(1, -1)).isEqualTo(1);
        assertThat(await(ring, 1)).containsExactly(new Completion(0xCAFE_BABE_DEAD_BEEFL, 0, 0));
        assertThat(ring.ready()).isZero();
    }

    @Test
    void theDefaultRingTakesTheBestFlagsThisKernelAccepts() throws IOException {
        IoUring ring = ring(8);
        assertThat(IoUring.DEFAULT_FLAGS).contains(ring.setupFlags());
        assertThat(ring.features() & IoUringAvailability.REQUIRED_FEATURES)
                .isEqualTo(IoUringAvailability.REQUIRED_FEATURES);
        assertThat(ring.sqEntries()).isEqualTo(8);
        assertThat(ring.cqEntries()).isEqualTo(16);
    }

    @Test
    void aFlagTheKernelRefusesFallsBackToTheNextSet() throws IOException {
        int impossible = 1 << 30;
        IoUring ring = IoUring.open(4, 0, new int[] {impossible, 0}, fx.state);
        rings.add(ring);
        assertThat(ring.setupFlags()).isZero();
        assertThatThrownBy(() -> IoUring.open(4, 0, new int[] {impossible}, fx.state))
                .isInstanceOf(ErrnoException.class)
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("io_uring_setup(4, flags bit30)");
    }

    @Test
    void aTimeoutSqeCompletesWithEtime() throws IOException {
        IoUring ring = ring(4);
        MemorySegment timespec = fx.arena.allocate(IoUringSys.TIMESPEC_SIZE, 8);
        IoUringSys.setTimespec(timespec, 1_000_000);
        Sqe.prepTimeout(ring.sqes(), ring.nextSqe(), timespec, 0, 0, 7);
        assertThat(await(ring, 1)).containsExactly(new Completion(7, -IoUringSys.ETIME, 0));
    }

    @Test
    void aWaitWithATimeoutReturnsEtimeWhenNothingCompletes() throws IOException {
        IoUring ring = ring(4);
        assertThat(ring.submitAndWait(1, 1_000_000)).isEqualTo(-IoUringSys.ETIME);
        assertThat(ring.ready()).isZero();
    }

    @Test
    void anEventfdReadCompletesWhenAnotherThreadWrites() throws Exception {
        IoUring ring = ring(4);
        int efd = fx.track(EventFd.create(0, EventFd.EFD_CLOEXEC, fx.state));
        MemorySegment counter = fx.arena.allocate(JAVA_LONG);
        Sqe.prepRead(ring.sqes(), ring.nextSqe(), efd, counter, 0, 8, 42);
        assertThat(ring.submit()).isEqualTo(1);
        assertThat(ring.ready()).isZero();
        Thread waker = Thread.ofPlatform().start(() -> EventFd.signal(efd));
        assertThat(await(ring, 1)).containsExactly(new Completion(42, 8, 0));
        assertThat(counter.get(JAVA_LONG, 0)).isEqualTo(1);
        waker.join();
    }

    @Test
    void submitWithoutWaitingRunsCompletionWorkTheKernelFlagged() throws Exception {
        IoUring ring = ring(4);
        int efd = fx.track(EventFd.create(0, EventFd.EFD_CLOEXEC, fx.state));
        MemorySegment counter = fx.arena.allocate(JAVA_LONG);
        Sqe.prepRead(ring.sqes(), ring.nextSqe(), efd, counter, 0, 8, 43);
        assertThat(ring.submit()).isEqualTo(1);
        Thread waker = Thread.ofPlatform().start(() -> EventFd.signal(efd));
        waker.join();
        // The wake-up queued completion work for this thread (deferred or cooperative taskrun):
        // a submit with nothing to submit must still enter to run it.
        assertThat(ring.submit()).isZero();
        List<Completion> seen = new ArrayList<>();
        ring.reap((data, res, flags) -> seen.add(new Completion(data, res, flags)));
        assertThat(seen).containsExactly(new Completion(43, 8, 0));
    }

    @Test
    void msgRingPostsACompletionToAnotherRing() throws IOException {
        IoUring sender = ring(4);
        IoUring receiver = ring(4);
        Sqe.prepMsgRing(sender.sqes(), sender.nextSqe(), receiver.fd(), 99, 0x1234, 1);
        assertThat(await(sender, 1)).containsExactly(new Completion(1, 0, 0));
        assertThat(await(receiver, 1)).containsExactly(new Completion(0x1234, 99, 0));
    }

    @Test
    void sendAndRecvOverLoopbackTcp() throws IOException {
        IoUring ring = ring(8);
        int listener = fx.listener();
        try (SocketChannel peer = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);
            MemorySegment in = fx.arena.allocate(64);
            Sqe.prepRecv(ring.sqes(), ring.nextSqe(), fd, in, 0, 64, 0, 1);
            assertThat(ring.submit()).isEqualTo(1);
            peer.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            assertThat(await(ring, 1)).containsExactly(new Completion(1, 4, 0));
            assertThat(Fixture.string(in, 0, 4)).isEqualTo("ping");

            MemorySegment out = fx.bytes("pong!");
            Sqe.prepSend(ring.sqes(), ring.nextSqe(), fd, out, 0, 5, Sockets.MSG_NOSIGNAL, 2);
            assertThat(await(ring, 1)).containsExactly(new Completion(2, 5, 0));
            ByteBuffer reply = ByteBuffer.allocate(5);
            while (reply.hasRemaining()) {
                assertThat(peer.read(reply)).isPositive();
            }
            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("pong!");
        }
    }

    @Test
    void multishotAcceptPostsOneCompletionPerConnectionAndStaysArmed() throws IOException {
        IoUring ring = ring(8);
        int listener = fx.listener();
        Sqe.prepAccept(ring.sqes(), ring.nextSqe(), listener,
                Sockets.SOCK_CLOEXEC | Sockets.SOCK_NONBLOCK, true, 5);
        assertThat(ring.submit()).isEqualTo(1);
        try (SocketChannel a = SocketChannel.open(fx.localAddress(listener));
                SocketChannel b = SocketChannel.open(fx.localAddress(listener))) {
            List<Completion> accepted = await(ring, 2);
            for (Completion c : accepted) {
                assertThat(c.userData()).isEqualTo(5);
                assertThat(c.res()).as("accepted descriptor").isGreaterThanOrEqualTo(0);
                fx.track(c.res());
                assertThat(Cqe.hasMore(c.flags())).as("still armed").isTrue();
            }
            assertThat(accepted.get(0).res()).isNotEqualTo(accepted.get(1).res());
            // Cancelling ends the multishot: its last CQE has no F_MORE.
            Sqe.prepCancel(ring.sqes(), ring.nextSqe(), 5, -1, 0, 6);
            List<Completion> ended = await(ring, 2);
            assertThat(ended).containsExactlyInAnyOrder(new Completion(6, 0, 0),
                    new Completion(5, -IoUringSys.ECANCELED, 0));
        }
    }

    @Test
    void multishotRecvPicksProvidedBuffersAndReusesRecycledOnes() throws IOException {
        IoUring ring = ring(8);
        int listener = fx.listener();
        try (SocketChannel peer = SocketChannel.open(fx.localAddress(listener));
                BufRing buffers = BufRing.register(ring, (short) 3, 4, 16)) {
            int fd = fx.acceptBlocking(listener);
            Sqe.prepRecvMultishot(ring.sqes(), ring.nextSqe(), fd, buffers.group(), 9);
            assertThat(ring.submit()).isEqualTo(1);
            Set<Integer> used = new HashSet<>();
            // Three times as many messages as buffers: only recycling keeps the receive going.
            for (int i = 0; i < 12; i++) {
                String message = "message " + i;
                peer.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.US_ASCII)));
                Completion c = await(ring, 1).getFirst();
                assertThat(c.userData()).isEqualTo(9);
                assertThat(c.res()).as("bytes received").isEqualTo(message.length());
                assertThat(c.flags() & Cqe.IORING_CQE_F_BUFFER).isNotZero();
                assertThat(Cqe.hasMore(c.flags())).as("still armed").isTrue();
                int bid = Cqe.bufferId(c.flags());
                assertThat(bid).isBetween(0, 3);
                assertThat(Fixture.string(buffers.buffers(), buffers.offset(bid), c.res()))
                        .isEqualTo(message);
                used.add(bid);
                buffers.recycle(bid);
            }
            assertThat(used).hasSize(4);
            peer.shutdownOutput();
            Completion end = await(ring, 1).getFirst();
            assertThat(end.res()).as("end of stream").isZero();
            assertThat(Cqe.hasMore(end.flags())).isFalse();
        }
    }

    @Test
    void aMultishotRecvWithoutBuffersEndsWithEnobufs() throws IOException {
        IoUring ring = ring(8);
        int listener = fx.listener();
        try (SocketChannel peer = SocketChannel.open(fx.localAddress(listener));
                BufRing buffers = BufRing.register(ring, (short) 4, 1, 16)) {
            int fd = fx.acceptBlocking(listener);
            Sqe.prepRecvMultishot(ring.sqes(), ring.nextSqe(), fd, buffers.group(), 9);
            peer.write(ByteBuffer.wrap(new byte[] {1}));
            Completion first = await(ring, 1).getFirst();
            assertThat(first.res()).isEqualTo(1);
            // Not recycled: the next arrival finds the group empty.
            peer.write(ByteBuffer.wrap(new byte[] {2}));
            Completion dry = await(ring, 1).getFirst();
            assertThat(dry.res()).isEqualTo(-Errno.ENOBUFS);
            assertThat(Cqe.hasMore(dry.flags())).isFalse();
        }
    }

    @Test
    void aMultishotRecvWithATotalLimitEndsOnceItHasReceivedThatMuch() throws IOException {
        IoUring ring = ring(8);
        int listener = fx.listener();
        try (SocketChannel peer = SocketChannel.open(fx.localAddress(listener));
                BufRing buffers = BufRing.register(ring, (short) 5, 4, 16)) {
            int fd = fx.acceptBlocking(listener);
            Sqe.prepRecvMultishot(ring.sqes(), ring.nextSqe(), fd, buffers.group(), 40, 9);
            List<Integer> received = new ArrayList<>();
            Completion c;
            do {
                peer.write(ByteBuffer.wrap(new byte[16]));
                c = await(ring, 1).getFirst();
                assumeTrue(c.res() != -Errno.EINVAL, "no multishot receive limit before kernel 6.17");
                assertThat(c.res()).as("bytes received").isEqualTo(16);
                received.add(c.res());
                buffers.recycle(Cqe.bufferId(c.flags()));
            } while (Cqe.hasMore(c.flags()) && received.size() < 10);
            // 16 + 16 < 40 <= 48: the third receive passes the limit and ends the request.
            assertThat(received).hasSize(3);
            assertThat(Cqe.hasMore(c.flags())).isFalse();
        }
    }

    @Test
    void aFullSubmissionQueueIsFlushedInsteadOfFailing() throws IOException {
        IoUring ring = ring(4);
        assertThat(ring.sqEntries()).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            Sqe.prepNop(ring.sqes(), ring.nextSqe(), i);
        }
        // Two flushes of 4 happened inside nextSqe; 2 wait for this submit.
        assertThat(ring.unsubmitted()).isEqualTo(2);
        List<Completion> done = await(ring, 10);
        assertThat(done).extracting(Completion::userData)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void completionsBeyondTheCqAreKeptAndReapedAfterTheOverflow() throws IOException {
        IoUring ring = IoUring.open(4, 4, IoUring.DEFAULT_FLAGS, fx.state);
        rings.add(ring);
        assertThat(ring.cqEntries()).isEqualTo(4);
        for (int i = 0; i < 12; i++) {
            Sqe.prepNop(ring.sqes(), ring.nextSqe(), i);
        }
        assertThat(ring.submit()).isEqualTo(4);
        assertThat(ring.cqOverflowed()).as("12 NOPs in a CQ of 4").isTrue();
        List<Completion> done = await(ring, 12);
        assertThat(done).extracting(Completion::userData)
                .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(ring.cqOverflowed()).isFalse();
    }

    @Test
    void theProbeListsEveryOpcodeTheTransportNeeds() throws IOException {
        BitSet supported = ring(4).probe();
        System.out.println("io_uring opcodes supported here: " + supported);
        for (byte op : IoUringAvailability.REQUIRED_OPCODES) {
            assertThat(supported.get(op)).as("opcode " + op).isTrue();
        }
        assertThat(supported.get(255)).isFalse();
        assertThat(IoUringAvailability.opcodeReason(supported)).isNull();
    }
}
