package io.jgnet.transport.iouring;

import static io.jgnet.transport.iouring.IoUringPoller.OP_ACCEPT;
import static io.jgnet.transport.iouring.IoUringPoller.OP_CANCEL;
import static io.jgnet.transport.iouring.IoUringPoller.OP_POLL;

import io.jgnet.Options;
import io.jgnet.linux.Cqe;
import io.jgnet.linux.Epoll;
import io.jgnet.linux.Errno;
import io.jgnet.linux.JdkSocketOptions;
import io.jgnet.linux.Multicast;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.IoUringSys;
import io.jgnet.linux.Sockets;
import io.jgnet.linux.Sqe;
import io.jgnet.transport.Address;
import io.jgnet.transport.Listener;
import io.jgnet.transport.fd.PeerAddress;
import io.jgnet.transport.fd.SocketDescriptors;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * A bound listener on an {@link IoUringPoller}: a stream listener keeps one multishot accept
 * armed (cancelled while accepting is paused); a datagram listener keeps one multishot recvmsg
 * armed into the loop's provided buffers and sends its replies as sendmsg operations
 * ({@link DatagramRing}); without provided-buffer rings, or on a kernel that refuses a multishot
 * recvmsg (before 6.0), it keeps a multishot poll armed and receives with {@code recvfrom}. Closing cancels what is in flight and closes
 * the descriptor once nothing is. Owned by the loop thread, except that the engine opens it on
 * the thread that starts the engine, before the loop runs: its first accept is armed at the
 * loop's first poll.
 */
final class IoUringListener extends IoUringPoller.Handle implements Listener {
    private static final int MAX_DATAGRAMS_PER_EVENT = 64;

    /** A connection accepted here, on its way to the loop that will own it. */
    record Accepted(int fd, SocketAddress remote) {
    }

    private final Address address;
    private final int fd;
    private final boolean perLoop;
    private final boolean datagram;
    private final SocketAddress local;
    private final SocketDescriptors.DatagramInbox inbox;
    private boolean armed;
    /** The kernel refused a multishot recvmsg: datagrams are polled for and read. */
    private boolean recvmsgRefused;
    private boolean receivedAny;
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
        this.local = SocketDescriptors.boundAddress(fd, address, poller.state);
        this.inbox = datagram ? new SocketDescriptors.DatagramInbox(poller.ringDatagrams.senders()) : null;
    }

    static IoUringListener open(IoUringPoller poller, Address address, Options options, boolean perLoop)
            throws IOException {
        int fd = SocketDescriptors.listen(address, options, perLoop, poller.state);
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        IoUringListener listener;
        try {
            listener = new IoUringListener(poller, address, fd, perLoop, datagram);
        } catch (IOException | RuntimeException e) {
            poller.closeFd(fd);
            throw e;
        }
        if (poller.ringOpen()) {
            listener.arm();
        } else {
            poller.armLater(listener);
        }
        return listener;
    }

    @Override
    void arm() {
        if (closed) {
            return;
        }
        if (armed && datagram && !receivesByRing()) {
            // The last burst stopped at its cap: what waits raised no new poll completion.
            receiveDatagrams();
            return;
        }
        if (armed || (paused && !datagram)) {
            return;
        }
        armed = true;
        if (receivesByRing()) {
            poller.ringDatagrams.armReceive(this, fd, poller.buffers());
            return;
        }
        long at = sqe();
        if (datagram) {
            Sqe.prepPollAdd(poller.sqes(), at, fd, Epoll.EPOLLIN, true, userData(OP_POLL));
        } else {
            Sqe.prepAccept(poller.sqes(), at, fd, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, true,
                    userData(OP_ACCEPT));
        }
    }

    private boolean receivesByRing() {
        return datagram && poller.buffers() != null && !recvmsgRefused && !poller.oneReceiveAtATime();
    }

    @Override
    void complete(int op, int res, int flags) {
        if (op == OP_CANCEL) {
            inFlight--;
        } else if (op == DatagramRing.OP_SENDMSG) {
            inFlight--;
            replySent(res);
        } else {
            if ((flags & Cqe.IORING_CQE_F_MORE) == 0) {
                inFlight--;
                armed = false;
            }
            boolean fellBack = false;
            if (op == OP_ACCEPT) {
                accepted(res);
            } else if (op == DatagramRing.OP_RECVMSG) {
                fellBack = receivedMessage(res, flags);
            } else if (res > 0 && !closed) {
                receiveDatagrams();
            }
            if (!armed && !closed && !paused && (keepsGoingAfter(res) || fellBack)) {
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
                remote = address.family() == Address.Family.UNIX ? PeerAddress.UNNAMED_UNIX
                        : Sockets.remoteAddress(res, poller.state);
            } catch (IOException e) {
                // Gone before we asked who it was (ENOTCONN): nothing to serve.
                poller.closeFd(res);
                return;
            }
            poller.events.onAccept(this, new Accepted(res, remote), remote);
        } else if (Errno.isAcceptShortage(-res)) {
            // No descriptor or kernel memory left: say so without allocating; the engine pauses us.
            poller.events.onDescriptorsExhausted(this);
        } else if (res != -IoUringSys.ECANCELED && res != -Errno.ECONNABORTED && res != -Errno.EINTR
                && res != -Errno.EAGAIN) {
            // Anything else: the listener stays and accepts again.
            System.getLogger("io.jgnet").log(System.Logger.Level.WARNING, "listener " + address + ": "
                    + new ErrnoException("accept(fd " + fd + ")", -res).getMessage());
        }
    }

    /** One datagram of the multishot recvmsg; true if the kernel refused it and polling takes over. */
    private boolean receivedMessage(int res, int flags) {
        if (res >= 0 && (flags & Cqe.IORING_CQE_F_BUFFER) != 0) {
            int bid = Cqe.bufferId(flags);
            try {
                if (!closed) {
                    receivedAny = true;
                    DatagramRing ring = poller.ringDatagrams;
                    SocketAddress sender = ring.sender(poller.buffers(), bid);
                    poller.events.onDatagram(this, ring.payload(poller.buffers(), bid, res), sender);
                }
            } finally {
                poller.buffers().recycle(bid);
            }
        } else if (res == -Errno.EINVAL && !receivedAny) {
            recvmsgRefused = true; // before 6.0: no multishot recvmsg
            return true;
        }
        return false;
    }

    /** A reply's sendmsg completed: UDP may drop a datagram, and a refused one costs nothing else. */
    private void replySent(int res) {
        if (res < 0 && res != -Errno.EAGAIN && res != -IoUringSys.ECANCELED) {
            System.getLogger("io.jgnet").log(System.Logger.Level.DEBUG, "UDP reply from " + address + " failed: "
                    + new ErrnoException("sendmsg(fd " + fd + ")", -res).getMessage());
        }
    }

    private void receiveDatagrams() {
        for (int i = 0; i < MAX_DATAGRAMS_PER_EVENT; i++) {
            if (closed || !inbox.receiveOne(fd, this, poller.readBuffer, poller.readSegment, poller.events,
                    poller.state)) {
                return;
            }
        }
        // More may wait, and a multishot poll fires on arrivals only: take them at the next poll.
        poller.armLater(this);
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
        // The caller wants the kernel's answer now: after the sends queued on the ring, in order.
        poller.ringDatagrams.submitQueued();
        poller.datagrams.send(fd, datagram, to);
    }

    @Override
    public void reply(ByteBuffer datagram, SocketAddress to) throws IOException {
        if (closed || !poller.ringDatagrams.send(this, fd, datagram, to)) {
            send(datagram, to);
        }
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        JdkSocketOptions.set(fd, option, value, poller.state);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return JdkSocketOptions.get(fd, option, poller.state);
    }

    @Override
    public void membership(boolean join, InetAddress group, NetworkInterface nif) throws IOException {
        Multicast.membership(fd, join, group, JdkSocketOptions.index(nif), poller.state);
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
