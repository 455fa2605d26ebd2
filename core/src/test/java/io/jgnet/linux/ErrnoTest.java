package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** errno capture, the two failure conventions, and what the exceptions say. */
@EnabledOnOs(OS.LINUX)
class ErrnoTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void closeFixture() {
        fx.close();
    }

    @Test
    void acceptPausesForDescriptorAndKernelMemoryShortagesOnly() {
        for (int errno : new int[] {Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM}) {
            assertThat(Errno.isAcceptShortage(errno)).as(Errno.name(errno)).isTrue();
        }
        for (int errno : new int[] {Errno.EAGAIN, Errno.EINTR, Errno.ECONNABORTED, Errno.EBADF}) {
            assertThat(Errno.isAcceptShortage(errno)).as(Errno.name(errno)).isFalse();
        }
    }

    @Test
    void everyErrnoConstantIsNamedAfterItself() throws IllegalAccessException {
        int named = 0;
        for (Field field : Errno.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
                assertThat(Errno.name(field.getInt(null))).isEqualTo(field.getName());
                named++;
            }
        }
        assertThat(named).isGreaterThan(30);
    }

    @Test
    void errnoValuesAreLinuxs() {
        // asm-generic values, shared by x86-64 and aarch64.
        assertThat(new int[] {Errno.EINTR, Errno.EBADF, Errno.EAGAIN, Errno.EINVAL, Errno.EPIPE,
                Errno.EADDRINUSE, Errno.ECONNRESET, Errno.ECONNREFUSED, Errno.EINPROGRESS})
                .containsExactly(4, 9, 11, 22, 32, 98, 104, 111, 115);
    }

    @Test
    void unknownErrnoIsShownAsANumber() {
        assertThat(Errno.name(4242)).isEqualTo("errno 4242");
    }

    @Test
    void describeIsTheCLibrarysText() {
        assertThat(Errno.describe(Errno.EBADF)).isEqualTo("Bad file descriptor");
        assertThat(Errno.describe(Errno.ECONNREFUSED)).isEqualTo("Connection refused");
    }

    @Test
    void exceptionMessageNamesCallErrnoAndText() {
        ErrnoException e = new ErrnoException("read(fd 3)", Errno.EAGAIN);
        assertThat(e).hasMessage("read(fd 3): EAGAIN (Resource temporarily unavailable)");
        assertThat(e.errno()).isEqualTo(Errno.EAGAIN);
        assertThat(e.call()).isEqualTo("read(fd 3)");
    }

    @Test
    void closingMinusOneThrowsEbadf() {
        assertThatThrownBy(() -> Io.close(-1, fx.state))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.EBADF))
                .hasMessage("close(fd -1): EBADF (Bad file descriptor)");
    }

    @Test
    void readingAClosedDescriptorReturnsMinusEbadf() throws IOException {
        int fd = fx.closedFd();
        MemorySegment buf = fx.arena.allocate(16);
        assertThat(Io.read(fd, buf, 0, 16, fx.state)).isEqualTo(-Errno.EBADF);
        assertThat(fx.state.errno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void readingAnEmptyNonblockingSocketReturnsMinusEagain() throws IOException {
        int listener = fx.listener();
        int client = fx.tcpSocket(0);
        Sockets.connect(client, fx.localAddress(listener), fx.state);
        int server = fx.track(Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, fx.state));
        MemorySegment buf = fx.arena.allocate(16);
        assertThat(Io.read(server, buf, 0, 16, fx.state)).isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void epollCtlOnAClosedDescriptorNamesOperationAndDescriptor() throws IOException {
        int epfd = fx.track(Epoll.create(fx.state));
        int fd = fx.closedFd();
        assertThatThrownBy(() -> Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, 0,
                fx.state))
                .hasMessage("epoll_ctl(ADD, fd " + fd + "): EBADF (Bad file descriptor)");
    }

    @Test
    void eachCallStateKeepsItsOwnErrno() throws IOException {
        CallState other = new CallState();
        MemorySegment buf = fx.arena.allocate(8);
        int efd = fx.track(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC,
                fx.state));
        assertThat(Io.read(fx.closedFd(), buf, 0, 8, fx.state)).isEqualTo(-Errno.EBADF);
        assertThat(Io.read(efd, buf, 0, 8, other)).isEqualTo(-Errno.EAGAIN);
        assertThat(fx.state.errno()).isEqualTo(Errno.EBADF);
        assertThat(other.errno()).isEqualTo(Errno.EAGAIN);
    }

    @Test
    void buffersOutsideTheSegmentAreRefusedBeforeTheKernelSeesThem() {
        MemorySegment buf = fx.arena.allocate(8);
        assertThatThrownBy(() -> Io.read(0, buf, 4, 8, fx.state))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Io.write(1, MemorySegment.ofArray(new byte[8]), 0, 8, fx.state))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
