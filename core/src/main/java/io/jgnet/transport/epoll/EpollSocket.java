package io.jgnet.transport.epoll;

import io.jgnet.transport.FileRegion;
import io.jgnet.transport.OutboundRegion;
import io.jgnet.transport.fd.FileSending;
import io.jgnet.transport.fd.PeerAddress;
import io.jgnet.transport.fd.SocketDescriptors;
import io.jgnet.transport.Socket;
import io.jgnet.linux.Epoll;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.Io;
import io.jgnet.linux.JdkSocketOptions;
import io.jgnet.linux.Multicast;
import io.jgnet.linux.Sockets;
import io.jgnet.linux.SocketOptions;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * One connected socket descriptor on an {@link EpollPoller}. Owned by the loop thread.
 */
final class EpollSocket implements Socket, EpollPoller.EpollHandle {
    private static final int READ_INTEREST = Epoll.EPOLLIN | Epoll.EPOLLRDHUP;
    /**
     * Edge-triggered sockets ask for everything once: output readiness then costs no
     * epoll_ctl, only a flag saying whether a write is waiting for it.
     */
    private static final int EDGE_INTEREST = Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLOUT | Epoll.EPOLLET;

    private final EpollPoller poller;
    private final int fd;
    private final boolean datagram;
    final Object attachment;
    private SocketAddress local;
    /** The peer's address; null while it is {@link #packedRemote} and no one asked for it. */
    private SocketAddress remote;
    /** An accepted IPv4 peer's address, packed until asked for (see {@link PeerAddress}). */
    private long packedRemote = PeerAddress.NONE;
    private int interest;
    private final boolean edge;
    /** The last flush left output for EPOLLOUT (level-triggered: keep EPOLLOUT armed). */
    private boolean outputLeft;
    /** Edge-triggered: a flush is waiting for EPOLLOUT. */
    private boolean wantsWrite;
    /** Edge-triggered: reads are off (the connection is closing). */
    private boolean readsOff;
    private boolean connecting;
    private boolean closed;
    /**
     * The kernel reported a hang-up while we were not reading: the socket is out of the epoll
     * set (level-triggered, the hang-up would wake every wait), and what it still holds is read
     * without events once reading resumes.
     */
    private boolean hungUp;
    /** For an enrolled JDK channel: its owner, closed in place of the bare descriptor. */
    private final java.io.Closeable channel;

    EpollSocket(EpollPoller poller, int fd, boolean datagram, Object attachment, SocketAddress remote) {
        this(poller, fd, datagram, attachment, remote, null);
    }

    EpollSocket(EpollPoller poller, int fd, boolean datagram, Object attachment, SocketAddress remote,
            java.io.Closeable channel) {
        this.channel = channel;
        this.poller = poller;
        this.fd = fd;
        this.datagram = datagram;
        this.attachment = attachment;
        this.remote = remote;
        this.edge = poller.edgeTriggered && !datagram;
        this.interest = edge ? EDGE_INTEREST : READ_INTEREST;
    }

    /** Accepted: keeps the peer's address packed (it came from the kernel: no host name is lost). */
    void packRemote() {
        packedRemote = PeerAddress.pack(remote);
        if (packedRemote != PeerAddress.NONE) {
            remote = null;
        }
    }

    /** The events to register this socket for once connected. */
    int interest() {
        return interest;
    }

    @Override
    public void handle(int ready) {
        if (connecting) {
            finishConnect();
            return;
        }
        if ((ready & (Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0 && !readingWanted()) {
            // Not reading, so no read will report it; and level-triggered, the hang-up would be
            // reported again on every wait until the socket is closed.
            hangUp();
            return;
        }
        if (edge) {
            handleEdge(ready);
            return;
        }
        if ((ready & (Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0 && (interest & Epoll.EPOLLIN) != 0) {
            readUntilDrained(true);
        }
        if ((ready & Epoll.EPOLLOUT) != 0 && !closed && (interest & Epoll.EPOLLOUT) != 0) {
            // EPOLLOUT stays armed through the flush this causes: a large write or a file goes
            // out in socket-sized pieces, one wake-up each, and disarming before each piece only
            // to arm again after it cost two epoll_ctl per piece. Disarmed once nothing waits.
            outputLeft = false;
            poller.events.onWritable(attachment);
            if (!outputLeft && !closed && (interest & Epoll.EPOLLOUT) != 0) {
                setInterest(interest & ~Epoll.EPOLLOUT);
            }
        }
    }

    /**
     * Reads without a new event: after the fairness cap, when reading resumes on an
     * edge-triggered socket, or for one that hung up. No edge (or, hung up, no event at all) will
     * come for what is already queued, the end of stream included, so a short read proves
     * nothing here: read until the kernel says EAGAIN or end of stream, in fair slices.
     */
    void readAgain() {
        if (closed || connecting || !readingWanted()) {
            return;
        }
        if (readUntilDrained(false) == ReadOutcome.CAPPED && !closed) {
            poller.readAgainLater(this);
        }
    }

    /** Marks the socket as connecting: registered for EPOLLOUT only, which says the connect ended. */
    void awaitConnect() {
        connecting = true;
        interest = Epoll.EPOLLOUT;
    }

    private boolean readingWanted() {
        return edge ? !readsOff : (interest & Epoll.EPOLLIN) != 0;
    }

    /** The socket's pending error (SO_ERROR), or -1 after reporting that it could not be read. */
    private int pendingError() {
        try {
            return SocketOptions.getInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_ERROR, poller.state);
        } catch (IOException e) {
            poller.events.onError(attachment, e);
            return -1;
        }
    }

    private void hangUp() {
        int error = pendingError();
        if (error > 0) {
            poller.events.onError(attachment, new ErrnoException("socket fd " + fd, error));
        } else if (error == 0) {
            hungUp = true;
            poller.deregister(fd);
            poller.events.onHangUp(attachment);
        }
    }

    private void handleEdge(int ready) {
        if ((ready & (Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0 && !readsOff) {
            // The peer's FIN may have come with the last bytes, in the same edge: then a short
            // read does not mean done, and only reading on to end of stream will see it.
            boolean peerDone = (ready & (Epoll.EPOLLRDHUP | Epoll.EPOLLHUP)) != 0;
            if (readUntilDrained(!peerDone) == ReadOutcome.CAPPED && !closed) {
                poller.readAgainLater(this);
            }
        }
        if ((ready & Epoll.EPOLLOUT) != 0 && !closed && wantsWrite) {
            wantsWrite = false;
            poller.events.onWritable(attachment);
        }
    }

    private void finishConnect() {
        int error = pendingError();
        if (error != 0) {
            if (error > 0) {
                poller.events.onError(attachment, Sockets.connectFailure("connect(" + remote + ")", error));
            }
            return;
        }
        connecting = false;
        setInterest(edge ? EDGE_INTEREST : READ_INTEREST);
        if (!closed) {
            poller.events.onConnected(attachment);
        }
    }

    /** How a read burst ended: drained, at end of stream or error, or stopped at the fairness cap. */
    enum ReadOutcome { DONE, CAPPED }

    private ReadOutcome readUntilDrained(boolean shortReadMeansDrained) {
        ByteBuffer buffer = poller.readBuffer;
        int capacity = buffer.capacity();
        for (int i = 0; i < EpollPoller.MAX_READS_PER_EVENT; i++) {
            if (closed || readsOff || (!edge && (interest & Epoll.EPOLLIN) == 0)) {
                return ReadOutcome.DONE;
            }
            long n = Io.read(fd, poller.readSegment, 0, capacity, poller.state);
            if (n > 0) {
                buffer.limit((int) n).position(0);
                poller.events.onRead(attachment, buffer);
                // A short stream read means the socket is drained: skip the read that would
                // only say EAGAIN. Datagrams come one per read, so keep going for those.
                if (!datagram && n < capacity && shortReadMeansDrained) {
                    return ReadOutcome.DONE;
                }
            } else if (n == 0) {
                if (!datagram) {
                    poller.events.onReadEnd(attachment);
                    return ReadOutcome.DONE;
                }
            } else if (n == -Errno.EAGAIN) {
                return ReadOutcome.DONE;
            } else if (n != -Errno.EINTR) {
                poller.events.onError(attachment, new ErrnoException("read(fd " + fd + ")", (int) -n));
                return ReadOutcome.DONE;
            }
        }
        return ReadOutcome.CAPPED;
    }

    @Override
    public void flush(OutboundRegion out) throws IOException {
        while (!out.isEmpty()) {
            FileRegion file = out.file();
            long wanted;
            long n;
            if (file != null) {
                wanted = Math.min(file.remaining(), FileSending.MAX_PER_CALL);
                n = FileSending.sendfile(fd, file, poller.state);
                out.fileSent(Math.max(n, 0));
            } else {
                ByteBuffer pending = out.region();
                wanted = pending.remaining();
                n = Io.write(fd, MemorySegment.ofBuffer(pending), 0, wanted, poller.state);
                out.sent(n > 0 ? (int) n : 0);
            }
            if (n > 0) {
                if (n < wanted) {
                    // A partial write means the socket buffer is full: another write would
                    // only say EAGAIN, so wait for EPOLLOUT.
                    break;
                }
            } else if (n == -Errno.EAGAIN) {
                break;
            } else if (n != -Errno.EINTR) {
                throw new ErrnoException("write(fd " + fd + ")", (int) -n);
            }
        }
        if (out.isEmpty()) {
            return;
        }
        outputLeft = true;
        if (edge) {
            wantsWrite = true;
        } else if ((interest & Epoll.EPOLLOUT) == 0) {
            setInterest(interest | Epoll.EPOLLOUT);
        }
    }

    @Override
    public void sendDatagram(ByteBuffer datagram, SocketAddress to) throws IOException {
        poller.datagrams.send(fd, datagram, to);
    }

    @Override
    public void readInterest(boolean on) {
        if (hungUp) {
            boolean was = readingWanted();
            readsOff = !on;
            interest = on ? interest | Epoll.EPOLLIN | Epoll.EPOLLRDHUP : interest & ~(Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
            if (on && !was && !closed) {
                poller.readAgainLater(this);
            }
            return;
        }
        if (edge) {
            // Registered once for everything: ignoring input is enough. Turned back on, bytes
            // that arrived meanwhile raised no new edge, so look at the socket once more.
            boolean wasOff = readsOff;
            readsOff = !on;
            if (on && wasOff && !closed) {
                poller.readAgainLater(this);
            }
            return;
        }
        setInterest(on ? interest | Epoll.EPOLLIN | Epoll.EPOLLRDHUP : interest & ~(Epoll.EPOLLIN | Epoll.EPOLLRDHUP));
    }

    private void setInterest(int wanted) {
        if (closed || wanted == interest) {
            return;
        }
        if (hungUp) {
            // Out of the epoll set: nothing to tell the kernel.
            interest = wanted;
            return;
        }
        try {
            poller.modify(fd, wanted);
            interest = wanted;
        } catch (IOException e) {
            poller.events.onError(attachment, e);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        Sockets.shutdown(fd, Sockets.SHUT_WR, poller.state);
    }

    @Override
    public long discardInput() throws IOException {
        return SocketDescriptors.discardInput(fd, poller.readSegment, poller.readBuffer.capacity(), poller.state);
    }

    @Override
    public long unacknowledgedOutput() {
        return closed ? -1 : SocketDescriptors.unacknowledgedOutput(fd, poller.state);
    }

    @Override
    public void close() {
        if (!closed) {
            closeHandle();
            poller.events.onClosed(attachment);
        }
    }

    /** Releases the descriptor; the poller is closing, so no event follows. */
    @Override
    public void closeHandle() {
        if (!closed) {
            closed = true;
            if (channel == null) {
                poller.closeFd(fd);
            } else {
                poller.closeChannel(fd, channel);
            }
        }
    }

    @Override
    public SocketAddress localAddress() {
        if (local == null && !closed) {
            try {
                local = Sockets.localAddress(fd, poller.state);
            } catch (IOException e) {
                return null;
            }
        }
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remote == null && packedRemote != PeerAddress.NONE) {
            remote = PeerAddress.unpack(packedRemote);
        }
        return remote;
    }

    @Override
    public boolean isInet() {
        return packedRemote != PeerAddress.NONE || remote instanceof InetSocketAddress;
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
}
