package io.jgnet.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends datagrams with {@code sendto(2)} for one loop: a heap buffer, or a direct one of up to
 * {@value #COPIED_DIRECT} bytes, is staged in direct memory first, and the destination's sockaddr
 * is encoded into memory reused for every send (not again for the destination encoded last:
 * encoding an IPv4 address copies its bytes into a new array), so that a send allocates nothing (a direct
 * buffer's bytes reach the kernel only through a {@link MemorySegment} made for it, an object
 * per send; copying a small datagram costs less than that object). A datagram send never blocks, so every transport makes it at once.
 * Owned by one loop thread; {@link #close()} frees the memory.
 */
public final class DatagramSender implements AutoCloseable {
    private static final int STAGING = 64 * 1024;
    /** Direct datagrams up to this size are copied into the staging memory rather than wrapped. */
    static final int COPIED_DIRECT = 2048;

    private final CallState state;
    private final Arena arena = Arena.ofShared();
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING);
    private final MemorySegment stagingSegment = MemorySegment.ofBuffer(staging);
    private final MemorySegment address = SockAddr.allocateStorage(arena);
    /** The destination {@link #address} holds, and its length. */
    private SocketAddress encoded;
    private int encodedLength;

    /**
     * A sender making its calls with {@code state}.
     *
     * @param state the loop's call state
     */
    public DatagramSender(CallState state) {
        this.state = state;
    }

    /**
     * Sends the remaining bytes of {@code datagram} (consuming them) to {@code to}, or on a
     * connected socket when {@code to} is null.
     *
     * <p>A full socket buffer (EAGAIN) drops the datagram, as UDP may; every transport's datagram
     * sends share this rule here.
     *
     * @param fd the socket
     * @param datagram the payload, heap or direct
     * @param to the destination, or null on a connected socket
     * @throws ErrnoException if the kernel refuses it for any other reason
     */
    public void send(int fd, ByteBuffer datagram, SocketAddress to) throws ErrnoException {
        int length = datagram.remaining();
        MemorySegment data;
        if (datagram.isDirect() && length > COPIED_DIRECT) {
            data = MemorySegment.ofBuffer(datagram);
        } else {
            if (length > STAGING) {
                throw new ErrnoException(call(fd, to), Errno.EMSGSIZE);
            }
            staging.clear();
            staging.put(0, datagram, datagram.position(), length);
            data = stagingSegment;
        }
        MemorySegment addr = MemorySegment.NULL;
        int addrLength = 0;
        if (to != null) {
            addr = address;
            if (to != encoded) {
                encoded = null; // an encoding that throws leaves nothing half-remembered
                encodedLength = SockAddr.encode(to, addr);
                encoded = to;
            }
            addrLength = encodedLength;
        }
        long n = Sockets.sendto(fd, data, 0, length, Sockets.MSG_NOSIGNAL, addr, addrLength, state);
        datagram.position(datagram.limit());
        if (n < 0 && n != -Errno.EAGAIN) {
            throw new ErrnoException(call(fd, to), (int) -n);
        }
    }

    private static String call(int fd, SocketAddress to) {
        return to == null ? "send(fd " + fd + ")" : "sendto(fd " + fd + ", " + to + ")";
    }

    @Override
    public void close() {
        arena.close();
    }
}
