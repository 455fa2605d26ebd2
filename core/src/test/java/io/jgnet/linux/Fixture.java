package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-test native resources: a CallState, a shared arena (tests may run on a timeout thread) and
 * the descriptors a test opened, closed afterwards. Descriptors a test closes itself go through
 * {@link #close(int)} so that cleanup never closes a number the JVM has reused since.
 */
final class Fixture implements AutoCloseable {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final CallState state = new CallState();
    final Arena arena = Arena.ofShared();
    private final List<Integer> fds = new ArrayList<>();

    int track(int fd) {
        assertThat(fd).as("descriptor").isGreaterThanOrEqualTo(0);
        fds.add(fd);
        return fd;
    }

    void close(int fd) throws IOException {
        fds.remove(Integer.valueOf(fd));
        Io.close(fd, state);
    }

    /** A descriptor number that is certainly closed: opened, then closed. */
    int closedFd() throws IOException {
        int fd = EventFd.create(0, EventFd.EFD_CLOEXEC, state);
        Io.close(fd, state);
        return fd;
    }

    int tcpSocket(int extraFlags) throws IOException {
        return track(Sockets.socket(Sockets.AF_INET,
                Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC | extraFlags, 0, state));
    }

    /** A TCP listener on 127.0.0.1 and a port the kernel picks. */
    int listener() throws IOException {
        int fd = tcpSocket(0);
        Sockets.bind(fd, new InetSocketAddress(LOOPBACK, 0), state);
        Sockets.listen(fd, 16, state);
        return fd;
    }

    InetSocketAddress localAddress(int fd) throws IOException {
        return (InetSocketAddress) Sockets.localAddress(fd, state);
    }

    /** Accepts one pending connection as a blocking socket, so reads wait for data. */
    int acceptBlocking(int listener) {
        return track(Sockets.accept4(listener, MemorySegment.NULL, MemorySegment.NULL,
                Sockets.SOCK_CLOEXEC, state));
    }

    MemorySegment bytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    static String string(MemorySegment segment, long offset, long length) {
        byte[] bytes = segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        for (int fd : fds) {
            try {
                Io.close(fd, state);
            } catch (IOException ignored) {
                // best effort: the test already failed or closed it
            }
        }
        fds.clear();
        arena.close();
    }
}
