package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * epoll and eventfd against real descriptors. Positive waits block ({@code timeout -1}) until
 * the event is there; only "nothing is ready" is asserted with {@code timeout 0}.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EpollTest {
    /** Uses all 64 bits, so a truncated or misplaced data field cannot pass. */
    private static final long TOKEN = 0xCAFE_BABE_DEAD_BEEFL;

    private final Fixture fx = new Fixture();
    private final MemorySegment events = Epoll.allocateEvents(fx.arena, 8);

    @AfterEach
    void closeFixture() {
        fx.close();
    }

    @Test
    void waitWithTimeoutZeroReturnsZeroWhenNothingIsReady() throws IOException {
        int epfd = fx.track(Epoll.create(fx.state));
        int efd = fx.track(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, fx.state));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, TOKEN, fx.state);
        assertThat(Epoll.wait(epfd, events, 8, 0, fx.state)).isZero();
    }

    @Test
    void aFailedWaitReportsItsErrnoThoughTheHotPathDoesNotCaptureIt() throws IOException {
        // An eventfd is not an epoll descriptor: EINVAL; a descriptor number never opened: EBADF.
        int efd = fx.track(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, fx.state));
        assertThat(Epoll.wait(efd, events, 8, -1, fx.state)).isEqualTo(-Errno.EINVAL);
        assertThat(Epoll.wait(Integer.MAX_VALUE, events, 8, -1, fx.state)).isEqualTo(-Errno.EBADF);
        assertThatThrownBy(() -> Epoll.wait(efd, events, 9, 0, fx.state))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("9 epoll events");
    }

    @Test
    void readableSocketIsReportedWithItsData() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);
            int epfd = fx.track(Epoll.create(fx.state));
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN | Epoll.EPOLLRDHUP, TOKEN,
                    fx.state);
            assertThat(Epoll.wait(epfd, events, 8, 0, fx.state)).isZero();

            client.write(ByteBuffer.wrap(new byte[] {42}));
            assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(1);
            assertThat(Epoll.events(events, 0)).isEqualTo(Epoll.EPOLLIN);
            assertThat(Epoll.data(events, 0)).isEqualTo(TOKEN);
        }
    }

    @Test
    void peerCloseIsReportedAsReadHangUp() throws IOException {
        int listener = fx.listener();
        SocketChannel client = SocketChannel.open(fx.localAddress(listener));
        int fd = fx.acceptBlocking(listener);
        client.close(); // sends FIN
        int epfd = fx.track(Epoll.create(fx.state));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN | Epoll.EPOLLRDHUP, 1, fx.state);
        assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(1);
        assertThat(Epoll.events(events, 0) & Epoll.EPOLLRDHUP).isEqualTo(Epoll.EPOLLRDHUP);
    }

    @Test
    void severalReadyDescriptorsFillConsecutiveEvents() throws IOException {
        int epfd = fx.track(Epoll.create(fx.state));
        for (long token = 1; token <= 5; token++) {
            int efd = fx.track(EventFd.create(1, EventFd.EFD_CLOEXEC, fx.state));
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, token << 40 | token,
                    fx.state);
        }
        assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(5);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            assertThat(Epoll.events(events, i)).isEqualTo(Epoll.EPOLLIN);
            seen.add(Epoll.data(events, i));
        }
        assertThat(seen).containsExactlyInAnyOrder(
                1L << 40 | 1, 2L << 40 | 2, 3L << 40 | 3, 4L << 40 | 4, 5L << 40 | 5);
    }

    @Test
    void maxEventsLimitsOneWait() throws IOException {
        int epfd = fx.track(Epoll.create(fx.state));
        for (int i = 0; i < 3; i++) {
            int efd = fx.track(EventFd.create(1, EventFd.EFD_CLOEXEC, fx.state));
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, i, fx.state);
        }
        assertThat(Epoll.wait(epfd, events, 2, -1, fx.state)).isEqualTo(2);
    }

    @Test
    void signalFromAnotherThreadWakesABlockedWait() throws Exception {
        int epfd = fx.track(Epoll.create(fx.state));
        int efd = fx.track(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, fx.state));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, TOKEN, fx.state);

        long[] written = new long[1];
        Thread waker = Thread.ofPlatform().start(() -> written[0] = EventFd.signal(efd));
        assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(1);
        waker.join();

        assertThat(written[0]).isEqualTo(Long.BYTES);
        assertThat(Epoll.data(events, 0)).isEqualTo(TOKEN);
        assertThat(EventFd.read(efd, fx.state)).isEqualTo(1);
        assertThat(EventFd.read(efd, fx.state)).isEqualTo(-Errno.EAGAIN);
        assertThat(Epoll.wait(epfd, events, 8, 0, fx.state)).isZero();
    }

    @Test
    void eventfdCountsSignalsUntilRead() throws IOException {
        int efd = fx.track(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, fx.state));
        EventFd.signal(efd);
        EventFd.signal(efd);
        EventFd.signal(efd);
        assertThat(EventFd.read(efd, fx.state)).isEqualTo(3);
    }

    @Test
    void signalOnAClosedDescriptorReportsFailure() throws IOException {
        assertThat(EventFd.signal(fx.closedFd())).isEqualTo(-1);
    }

    @Test
    void modifyChangesInterestAndDeleteStopsReports() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);
            int epfd = fx.track(Epoll.create(fx.state));
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, 1, fx.state);
            assertThat(client.isConnected()).isTrue(); // an open peer: no EPOLLIN, no HUP
            assertThat(Epoll.wait(epfd, events, 8, 0, fx.state)).isZero();

            Epoll.ctl(epfd, Epoll.EPOLL_CTL_MOD, fd, Epoll.EPOLLIN | Epoll.EPOLLOUT, 2, fx.state);
            assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(1);
            assertThat(Epoll.events(events, 0)).isEqualTo(Epoll.EPOLLOUT);
            assertThat(Epoll.data(events, 0)).isEqualTo(2);

            Epoll.ctl(epfd, Epoll.EPOLL_CTL_DEL, fd, 0, 0, fx.state);
            assertThat(Epoll.wait(epfd, events, 8, 0, fx.state)).isZero();
        }
    }

    @Test
    void edgeTriggeredReportsOnlyNewArrivals() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);
            int epfd = fx.track(Epoll.create(fx.state));
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN | Epoll.EPOLLET, 1, fx.state);

            client.write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(1);
            assertThat(Epoll.wait(epfd, events, 8, 0, fx.state)).as("no new edge").isZero();
            client.write(ByteBuffer.wrap(new byte[] {2}));
            assertThat(Epoll.wait(epfd, events, 8, -1, fx.state)).isEqualTo(1);
        }
    }

    @Test
    void addingTwiceAndDeletingAnUnknownDescriptorThrowNamedErrors() throws IOException {
        int epfd = fx.track(Epoll.create(fx.state));
        int efd = fx.track(EventFd.create(0, EventFd.EFD_CLOEXEC, fx.state));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, 0, fx.state);
        assertThatThrownBy(() -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, efd, Epoll.EPOLLIN, 0,
                fx.state))
                .hasMessage("epoll_ctl(ADD, fd " + efd + "): EEXIST (File exists)");
        int other = fx.track(EventFd.create(0, EventFd.EFD_CLOEXEC, fx.state));
        assertThatThrownBy(() -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_DEL, other, 0, 0, fx.state))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessageStartingWith("epoll_ctl(DEL, fd " + other + "): ENOENT");
    }

    @Test
    void waitRefusesMoreEventsThanTheArrayHolds() throws IOException {
        int epfd = fx.track(Epoll.create(fx.state));
        assertThatThrownBy(() -> Epoll.wait(epfd, events, 9, 0, fx.state))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
