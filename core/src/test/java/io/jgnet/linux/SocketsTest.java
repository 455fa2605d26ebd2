package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sockets on loopback. Reads that need data use blocking descriptors (or MSG_WAITALL), so
 * nothing sleeps; the timeout fails a test that would otherwise hang.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketsTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void closeFixture() {
        fx.close();
    }

    @Test
    void listenerReportsTheLoopbackAddressAndPortItWasGiven() throws IOException {
        int listener = fx.listener();
        InetSocketAddress local = fx.localAddress(listener);
        assertThat(local.getAddress()).isEqualTo(Fixture.LOOPBACK);
        assertThat(local.getPort()).isBetween(1, 65535);

        MemorySegment addr = SockAddr.allocateStorage(fx.arena);
        MemorySegment length = fx.arena.allocate(JAVA_INT);
        Sockets.getsockname(listener, addr, length, fx.state);
        assertThat(length.get(JAVA_INT, 0)).isEqualTo(SockAddr.IN_SIZE);
        assertThat(SockAddr.decode(addr, length.get(JAVA_INT, 0))).isEqualTo(local);
    }

    @Test
    void acceptReturnsTheJavaClientsConnectionAndAddress() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            MemorySegment addr = SockAddr.allocateStorage(fx.arena);
            MemorySegment length = fx.arena.allocate(JAVA_INT);
            int fd = fx.track(Sockets.accept4(listener, addr, length,
                    Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, fx.state));

            assertThat(SockAddr.decode(addr, length.get(JAVA_INT, 0)))
                    .isEqualTo(client.getLocalAddress());
            assertThat(Sockets.remoteAddress(fd, fx.state)).isEqualTo(client.getLocalAddress());
            assertThat(Sockets.localAddress(fd, fx.state)).isEqualTo(client.getRemoteAddress());
        }
    }

    @Test
    void acceptWithNothingPendingReturnsMinusEagain() throws IOException {
        int listener = fx.tcpSocket(Sockets.SOCK_NONBLOCK);
        Sockets.bind(listener, new InetSocketAddress(Fixture.LOOPBACK, 0), fx.state);
        Sockets.listen(listener, 1, fx.state);
        assertThat(Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL, 0, fx.state))
                .isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void writeAndReadCarryBytesBothWays() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);

            MemorySegment out = fx.bytes("..hello..");
            assertThat(Io.write(fd, out, 2, 5, fx.state)).isEqualTo(5);
            assertThat(readFully(client, 5)).isEqualTo("hello");

            client.write(ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)));
            MemorySegment in = fx.arena.allocate(16);
            assertThat(Io.read(fd, in, 3, 5, fx.state)).isEqualTo(5);
            assertThat(Fixture.string(in, 3, 5)).isEqualTo("world");
        }
    }

    @Test
    void writevAndReadvGatherAndScatterSeveralBuffersInOrder() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);

            MemorySegment out = fx.bytes("xxABxCDExxFGHIJ");
            MemorySegment iov = IoVec.allocate(fx.arena, 3);
            IoVec.set(iov, 0, out, 2, 2);
            IoVec.set(iov, 1, out, 5, 3);
            IoVec.set(iov, 2, out, 10, 5);
            assertThat(Io.writev(fd, iov, 3, fx.state)).isEqualTo(10);
            assertThat(readFully(client, 10)).isEqualTo("ABCDEFGHIJ");

            client.write(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)));
            MemorySegment in = fx.arena.allocate(32);
            waitUntilReadable(fd, in, 10); // so that one readv sees all ten bytes
            IoVec.set(iov, 0, in, 0, 3);
            IoVec.set(iov, 1, in, 10, 3);
            IoVec.set(iov, 2, in, 20, 4);
            assertThat(Io.readv(fd, iov, 3, fx.state)).isEqualTo(10);
            assertThat(Fixture.string(in, 0, 3)).isEqualTo("012");
            assertThat(Fixture.string(in, 10, 3)).isEqualTo("345");
            assertThat(Fixture.string(in, 20, 4)).isEqualTo("6789");
        }
    }

    @Test
    void nonblockingConnectCompletesAndIsAccepted() throws IOException {
        int listener = fx.listener();
        InetSocketAddress target = fx.localAddress(listener);
        int fd = fx.tcpSocket(Sockets.SOCK_NONBLOCK);
        int result = Sockets.connect(fd, target, fx.state);
        assertThat(result).isIn(0, -Errno.EINPROGRESS);

        int epfd = fx.track(Epoll.create(fx.state));
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLOUT, 7, fx.state);
        MemorySegment events = Epoll.allocateEvents(fx.arena, 1);
        assertThat(Epoll.wait(epfd, events, 1, -1, fx.state)).isEqualTo(1);
        assertThat(Epoll.events(events, 0) & Epoll.EPOLLOUT).isNotZero();
        assertThat(SocketOptions.getInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_ERROR,
                fx.state)).isZero();
        assertThat(Sockets.remoteAddress(fd, fx.state)).isEqualTo(target);
        int accepted = fx.acceptBlocking(listener);
        assertThat(Sockets.remoteAddress(accepted, fx.state))
                .isEqualTo(Sockets.localAddress(fd, fx.state));
    }

    @Test
    void connectToAPortWithNoListenerThrowsConnectExceptionNamingTheCall() throws IOException {
        int bound = fx.tcpSocket(0); // bound but not listening: a SYN to it is answered by RST
        Sockets.bind(bound, new InetSocketAddress(Fixture.LOOPBACK, 0), fx.state);
        InetSocketAddress target = fx.localAddress(bound);
        int fd = fx.tcpSocket(0);

        assertThatThrownBy(() -> Sockets.connect(fd, target, fx.state))
                .isInstanceOf(ConnectException.class)
                .hasMessage("connect(fd " + fd + ", " + target
                        + "): ECONNREFUSED (Connection refused)")
                .cause().isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED));
    }

    @Test
    void bindingAnAddressInUseThrowsBindException() throws IOException {
        InetSocketAddress taken = fx.localAddress(fx.listener());
        int fd = fx.tcpSocket(0);
        assertThatThrownBy(() -> Sockets.bind(fd, taken, fx.state))
                .isInstanceOf(BindException.class)
                .hasMessage("bind(fd " + fd + ", " + taken
                        + "): EADDRINUSE (Address already in use)");
    }

    @Test
    void shutdownOfOutputGivesThePeerEndOfStream() throws IOException {
        int listener = fx.listener();
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            int fd = fx.acceptBlocking(listener);
            Sockets.shutdown(fd, Sockets.SHUT_WR, fx.state);
            assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void writingToAResetConnectionFailsWithoutKillingTheJvm() throws IOException {
        int listener = fx.listener();
        int fd;
        try (SocketChannel client = SocketChannel.open(fx.localAddress(listener))) {
            fd = fx.acceptBlocking(listener);
            client.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
        }
        awaitReadable(fd); // the RST has arrived
        MemorySegment out = fx.bytes("x");
        long first = Io.write(fd, out, 0, 1, fx.state);
        long second = Io.write(fd, out, 0, 1, fx.state);
        assertThat(first).isIn(-(long) Errno.ECONNRESET, -(long) Errno.EPIPE);
        assertThat(second).isEqualTo(-Errno.EPIPE); // SIGPIPE is ignored by the JVM
    }

    @Test
    void udpDatagramCarriesItsSendersAddress() throws IOException {
        int a = udpSocket(0);
        int b = udpSocket(Sockets.SOCK_NONBLOCK);
        InetSocketAddress aAddress = fx.localAddress(a);
        MemorySegment to = SockAddr.allocateStorage(fx.arena);
        int toLength = SockAddr.encode(fx.localAddress(b), to);
        MemorySegment in = fx.arena.allocate(64);
        MemorySegment from = SockAddr.allocateStorage(fx.arena);
        MemorySegment fromLength = fx.arena.allocate(JAVA_INT);

        assertThat(Sockets.recvfrom(b, in, 0, 64, 0, from, fromLength, fx.state))
                .isEqualTo(-Errno.EAGAIN);
        MemorySegment datagram = fx.bytes("ping");
        assertThat(Sockets.sendto(a, datagram, 0, 4, 0, to, toLength, fx.state)).isEqualTo(4);
        awaitReadable(b);
        long n = Sockets.recvfrom(b, in, 0, 64, 0, from, fromLength, fx.state);
        assertThat(n).isEqualTo(4);
        assertThat(Fixture.string(in, 0, 4)).isEqualTo("ping");
        assertThat(SockAddr.decode(from, fromLength.get(JAVA_INT, 0))).isEqualTo(aAddress);
    }

    @Test
    void unixSocketsBindToAPathAndAcceptUnnamedPeers(@TempDir Path dir) throws IOException {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
        int listener = fx.track(Sockets.socket(Sockets.AF_UNIX,
                Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, fx.state));
        Sockets.bind(listener, path, fx.state);
        Sockets.listen(listener, 4, fx.state);
        assertThat(Sockets.localAddress(listener, fx.state)).isEqualTo(path);

        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(path);
            int fd = fx.acceptBlocking(listener);
            assertThat(Sockets.remoteAddress(fd, fx.state))
                    .isEqualTo(UnixDomainSocketAddress.of(""));
            assertThat(Io.write(fd, fx.bytes("hi"), 0, 2, fx.state)).isEqualTo(2);
            assertThat(readFully(client, 2)).isEqualTo("hi");
        }
    }

    private int udpSocket(int extraFlags) throws IOException {
        int fd = fx.track(Sockets.socket(Sockets.AF_INET,
                Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC | extraFlags, 0, fx.state));
        Sockets.bind(fd, new InetSocketAddress(Fixture.LOOPBACK, 0), fx.state);
        return fd;
    }

    /** Blocks until {@code fd} is readable (or hung up), without sleeping. */
    private void awaitReadable(int fd) throws IOException {
        int epfd = Epoll.create(fx.state);
        try {
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN, 0, fx.state);
            assertThat(Epoll.wait(epfd, Epoll.allocateEvents(fx.arena, 1), 1, -1, fx.state))
                    .isEqualTo(1);
        } finally {
            Io.close(epfd, fx.state);
        }
    }

    /** Blocks until {@code count} bytes are queued on the blocking socket {@code fd}. */
    private void waitUntilReadable(int fd, MemorySegment scratch, int count) {
        assertThat(Sockets.recvfrom(fd, scratch, 0, count,
                Sockets.MSG_PEEK | Sockets.MSG_WAITALL, MemorySegment.NULL, MemorySegment.NULL,
                fx.state)).isEqualTo(count);
    }

    private static String readFully(SocketChannel channel, int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }
}
