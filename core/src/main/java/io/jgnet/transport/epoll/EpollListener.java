package io.jgnet.transport.epoll;

import io.jgnet.Options;
import io.jgnet.transport.Address;
import io.jgnet.transport.Listener;
import io.jgnet.transport.fd.PeerAddress;
import io.jgnet.transport.fd.SocketDescriptors;
import io.jgnet.linux.Epoll;
import io.jgnet.linux.Errno;
import io.jgnet.linux.JdkSocketOptions;
import io.jgnet.linux.Multicast;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.SockAddr;
import io.jgnet.linux.Sockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * A bound stream or datagram listener descriptor on an {@link EpollPoller}. Owned by the loop
 * thread.
 */
final class EpollListener implements Listener, EpollPoller.EpollHandle {
    /** A connection accepted here, on its way to the loop that will own it. */
    record Accepted(int fd, SocketAddress remote) {
    }

    private final EpollPoller poller;
    private final Address address;
    private final int fd;
    private final boolean perLoop;
    private final boolean datagram;
    private final SocketAddress local;
    private final SocketDescriptors.DatagramInbox inbox;
    /** The peer's sockaddr and its length, filled by accept4. */
    private final MemorySegment peer;
    private final MemorySegment peerLength;
    private boolean closed;

    private EpollListener(EpollPoller poller, Address address, int fd, boolean perLoop, boolean datagram) throws IOException {
        this.poller = poller;
        this.address = address;
        this.fd = fd;
        this.perLoop = perLoop;
        this.datagram = datagram;
        this.local = SocketDescriptors.boundAddress(fd, address, poller.state);
        this.inbox = new SocketDescriptors.DatagramInbox(poller.senders);
        Arena arena = Arena.ofAuto();
        this.peer = SockAddr.allocateStorage(arena);
        this.peerLength = arena.allocate(ValueLayout.JAVA_INT);
    }

    static EpollListener open(EpollPoller poller, Address address, Options options, boolean perLoop) throws IOException {
        int fd = SocketDescriptors.listen(address, options, perLoop, poller.state);
        try {
            EpollListener listener = new EpollListener(poller, address, fd, perLoop,
                    address.protocol() == Address.Protocol.DATAGRAM);
            poller.register(fd, Epoll.EPOLLIN, listener);
            return listener;
        } catch (IOException | RuntimeException e) {
            poller.closeFd(fd);
            throw e;
        }
    }

    @Override
    public void handle(int readyEvents) {
        if (datagram) {
            receiveDatagrams();
        } else {
            acceptConnections();
        }
    }

    private void acceptConnections() {
        for (int i = 0; i < EpollPoller.MAX_ACCEPTS_PER_EVENT && !closed; i++) {
            int accepted = Sockets.accept4(fd, peer, peerLength, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, poller.state);
            if (accepted < 0) {
                if (-accepted == Errno.EINTR || -accepted == Errno.ECONNABORTED) {
                    continue;
                }
                if (Errno.isAcceptShortage(-accepted)) {
                    // No descriptor or kernel memory left: say so without allocating; the engine pauses us.
                    poller.events.onDescriptorsExhausted(this);
                    return;
                }
                if (-accepted != Errno.EAGAIN) {
                    // Anything else: the listener stays; the next event tries again.
                    System.getLogger("io.jgnet").log(System.Logger.Level.WARNING, "listener " + address + ": "
                            + new ErrnoException("accept4(fd " + fd + ")", -accepted).getMessage());
                }
                return;
            }
            SocketAddress remote = address.family() == Address.Family.UNIX
                    ? PeerAddress.UNNAMED_UNIX : SockAddr.decode(peer, peerLength.get(ValueLayout.JAVA_INT, 0));
            poller.events.onAccept(this, new Accepted(accepted, remote), remote);
        }
    }

    private void receiveDatagrams() {
        for (int i = 0; i < EpollPoller.MAX_ACCEPTS_PER_EVENT && !closed; i++) {
            if (!inbox.receiveOne(fd, this, poller.readBuffer, poller.readSegment, poller.events, poller.state)) {
                return;
            }
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
        poller.datagrams.send(fd, datagram, to);
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
        setInterest(0);
    }

    @Override
    public void resumeAccepting() {
        setInterest(Epoll.EPOLLIN);
    }

    private void setInterest(int events) {
        if (closed) {
            return;
        }
        try {
            poller.modify(fd, events);
        } catch (IOException e) {
            // Only a closed listener fails here, and then there is nothing to pause or resume.
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
        poller.closeFd(fd);
        address.deleteUnixSocketFile();
    }

    @Override
    public void closeHandle() {
        close();
    }
}
