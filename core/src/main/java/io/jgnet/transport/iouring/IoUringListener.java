package io.jgnet.transport.iouring;

import static io.jgnet.transport.iouring.IoUringPoller.OP_ACCEPT;
import static io.jgnet.transport.iouring.IoUringPoller.OP_CANCEL;
import static io.jgnet.transport.iouring.IoUringPoller.OP_POLL;

import io.jgnet.Options;
import io.jgnet.linux.Cqe;
import io.jgnet.linux.Epoll;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.IoUringSys;
import io.jgnet.linux.SockAddr;
import io.jgnet.linux.SocketOptions;
import io.jgnet.linux.Sockets;
import io.jgnet.linux.Sqe;
import io.jgnet.transport.Address;
import io.jgnet.transport.Listener;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;

/**
 * A bound listener on an {@link IoUringPoller}: a stream listener keeps one multishot accept
 * armed (cancelled while accepting is paused); a datagram listener keeps a multishot poll armed
 * and receives with {@code recvfrom} when it fires. Closing cancels what is in flight and closes
 * the descriptor once nothing is. Owned by the loop thread, except that the engine opens it on
 * the thread that starts the engine, before the loop runs: its first accept is armed at the
 * loop's first poll.
 */
final class IoUringListener extends IoUringPoller.Handle implements Listener {
    /** Pending connections the kernel may queue: large, since bursts of connects are normal. */
    private static final int BACKLOG = 4096;
    private static final int MAX_DATAGRAMS_PER_EVENT = 64;

    /** A connection accepted here, on its way to the loop that will own it. */
    record Accepted(int fd, SocketAddress remote) {
    }

    private final Address address;
    private final int fd;
    private final boolean perLoop;
    private final boolean datagram;
    private final SocketAddress local;
    /** The sender's sockaddr and its length, filled by recvfrom. */
    private final MemorySegment peer;
    private final MemorySegment peerLength;
    private boolean armed;
    private boolean paused;
    private boolean closed;
    private boolean fdReleased;

    private IoUringListener(IoUringPoller poller, Address address, int fd, boolean perLoop, boolean datagram)
            throws IOException {
        super(poller);
        this.address = address;
        this.fd = fd;
        this.perLoop = perLoop;
        this.datagram = datagram;
        this.local = address.family() == Address.Family.UNIX ? address.socketAddress()
                : Sockets.localAddress(fd, poller.state);
        Arena arena = Arena.ofAuto();
        this.peer = SockAddr.allocateStorage(arena);
        this.peerLength = arena.allocate(ValueLayout.JAVA_INT);
    }

    static int domain(Address address) {
        return switch (address.family()) {
            case INET -> Sockets.AF_INET;
            case INET6 -> Sockets.AF_INET6;
            case UNIX -> Sockets.AF_UNIX;
        };
    }

    static IoUringListener open(IoUringPoller poller, Address address, Options options, boolean perLoop)
            throws IOException {
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        int fd = Sockets.socket(domain(address), (datagram ? Sockets.SOCK_DGRAM : Sockets.SOCK_STREAM)
                | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, poller.state);
        try {
            if (address.family() == Address.Family.UNIX) {
                address.removeStaleUnixSocket();
            } else {
                SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR,
                        options.reuseAddr() ? 1 : 0, poller.state);
                if (perLoop) {
                    SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEPORT, 1, poller.state);
                }
            }
            if (options.socketReceiveBuffer() > 0) {
                SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF,
                        options.socketReceiveBuffer(), poller.state);
            }
            if (datagram && options.socketSendBuffer() > 0) {
                SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF,
                        options.socketSendBuffer(), poller.state);
            }
            Sockets.bind(fd, address.socketAddress(), poller.state);
            if (!datagram) {
                Sockets.listen(fd, BACKLOG, poller.state);
            }
        } catch (IOException | RuntimeException e) {
            poller.closeFd(fd);
            throw e;
        }
        IoUringListener listener = new IoUringListener(poller, address, fd, perLoop, datagram);
        if (poller.ringOpen()) {
            listener.arm();
        } else {
            poller.armLater(listener);
        }
        return listener;
    }

    @Override
    void arm() {
        if (closed || armed || (paused && !datagram)) {
            return;
        }
        armed = true;
        long at = sqe();
        if (datagram) {
            Sqe.prepPollAdd(poller.sqes(), at, fd, Epoll.EPOLLIN, true, userData(OP_POLL));
        } else {
            Sqe.prepAccept(poller.sqes(), at, fd, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, true,
                    userData(OP_ACCEPT));
        }
    }

    @Override
    void complete(int op, int res, int flags) {
        if (op == OP_CANCEL) {
            inFlight--;
        } else {
            if ((flags & Cqe.IORING_CQE_F_MORE) == 0) {
                inFlight--;
                armed = false;
            }
            if (op == OP_ACCEPT) {
                accepted(res);
            } else if (res > 0 && !closed) {
                receiveDatagrams();
            }
            if (!armed && !closed && !paused && keepsGoingAfter(res)) {
                arm();
            }
        }
        if (closed && inFlight == 0) {
            closeNow();
            poller.release(id);
        }
    }

    private static boolean keepsGoingAfter(int res) {
        return res != -Errno.EBADF && res != -Errno.EINVAL && res != -Errno.ENOTSOCK;
    }

    private void accepted(int res) {
        if (res >= 0) {
            if (closed) {
                poller.closeFd(res);
                return;
            }
            SocketAddress remote;
            try {
                remote = address.family() == Address.Family.UNIX ? UnixDomainSocketAddress.of("")
                        : Sockets.remoteAddress(res, poller.state);
            } catch (IOException e) {
                // Gone before we asked who it was (ENOTCONN): nothing to serve.
                poller.closeFd(res);
                return;
            }
            poller.events.onAccept(this, new Accepted(res, remote), remote);
        } else if (res == -Errno.EMFILE || res == -Errno.ENFILE) {
            // No descriptor left: say so without allocating; the engine pauses us.
            poller.events.onDescriptorsExhausted(this);
        } else if (res != -IoUringSys.ECANCELED && res != -Errno.ECONNABORTED && res != -Errno.EINTR
                && res != -Errno.EAGAIN) {
            // ENOBUFS, ENOMEM and the like: the listener stays and accepts again.
            System.getLogger("io.jgnet").log(System.Logger.Level.WARNING, "listener " + address + ": "
                    + new ErrnoException("accept(fd " + fd + ")", -res).getMessage());
        }
    }

    private void receiveDatagrams() {
        ByteBuffer buffer = poller.readBuffer;
        for (int i = 0; i < MAX_DATAGRAMS_PER_EVENT && !closed; i++) {
            long n = Sockets.recvfrom(fd, poller.readSegment, 0, buffer.capacity(), 0, peer, peerLength, poller.state);
            if (n < 0) {
                if (n == -Errno.EINTR) {
                    continue;
                }
                return;
            }
            SocketAddress sender = SockAddr.decode(peer, peerLength.get(ValueLayout.JAVA_INT, 0));
            buffer.limit((int) n).position(0);
            poller.events.onDatagram(this, buffer, sender);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public void send(ByteBuffer datagram, SocketAddress to) throws IOException {
        long n = poller.datagrams.send(fd, datagram, to);
        if (n < 0 && n != -Errno.EAGAIN) {
            throw new ErrnoException("sendto(fd " + fd + ", " + to + ")", (int) -n);
        }
    }

    @Override
    public void pauseAccepting() {
        paused = true;
        if (armed && !closed && !datagram) {
            long at = sqe();
            Sqe.prepCancel(poller.sqes(), at, userData(OP_ACCEPT), 0, 0, userData(OP_CANCEL));
        }
    }

    @Override
    public void resumeAccepting() {
        paused = false;
        if (!closed && !armed && poller.ringOpen()) {
            arm();
        }
    }

    @Override
    public boolean perLoop() {
        return perLoop;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        address.deleteUnixSocketFile();
        if (inFlight > 0 && poller.ringOpen()) {
            cancelAll(fd);
            // Submit now: until the cancel runs, the kernel keeps the socket listening.
            poller.ring.submit();
        } else {
            closeNow();
            poller.release(id);
        }
    }

    @Override
    void closeNow() {
        closed = true;
        if (!fdReleased) {
            fdReleased = true;
            poller.closeFd(fd);
        }
    }
}
