package io.jgnet.transport.epoll;

import io.jgnet.Options;
import io.jgnet.transport.Address;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Socket;
import io.jgnet.transport.fd.SocketDescriptors;
import io.jgnet.linux.CallState;
import io.jgnet.linux.Epoll;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.EventFd;
import io.jgnet.linux.ChannelDescriptor;
import io.jgnet.linux.DatagramSender;
import io.jgnet.linux.SockAddrCache;
import io.jgnet.linux.Io;
import io.jgnet.linux.Sockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loop's poller on one epoll instance, level-triggered. Each registered descriptor's epoll
 * data is its fd, which indexes {@link #byFd}: finding the handler for an event allocates
 * nothing. Other threads wake the loop through an eventfd.
 *
 * <p>Reads go into the loop's one shared direct buffer until the socket is drained (a short read
 * says so, saving the read that would only return EAGAIN) or {@link #MAX_READS_PER_EVENT}.
 * Write interest (EPOLLOUT) is armed only while output is pending.
 *
 * <p>Owned by the loop thread except {@link #wakeup()}.
 */
final class EpollPoller implements Poller {
    static final int MAX_READS_PER_EVENT = 16;
    static final int MAX_ACCEPTS_PER_EVENT = 64;
    /** Events taken per epoll_wait: enough that a busy loop rarely needs two waits per turn. */
    private static final int MAX_EVENTS = 512;

    final IoEvents events;
    final CallState state = new CallState();
    final ByteBuffer readBuffer;
    final MemorySegment readSegment;
    final DatagramSender datagrams = new DatagramSender(state);
    /** The senders of datagrams received on this loop's listeners. */
    final SockAddrCache senders = new SockAddrCache();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment eventArray;
    private final int epfd;
    private final int wakeFd;
    private EpollHandle[] byFd = new EpollHandle[1024];
    private final List<EpollSocket> connectedAtOnce = new ArrayList<>();
    private volatile boolean closed;
    final boolean edgeTriggered;
    /**
     * Sockets with input queued that no event will report: edge-triggered ones that stopped at
     * the per-event cap or resumed reading, and hung-up ones taken out of the set. The next poll
     * reads them first.
     */
    private final List<EpollSocket> readAgain = new ArrayList<>();
    private final List<EpollSocket> readAgainNow = new ArrayList<>();

    EpollPoller(IoEvents events, int readBufferSize, boolean edgeTriggered) throws IOException {
        this.events = events;
        this.edgeTriggered = edgeTriggered;
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        this.readSegment = MemorySegment.ofBuffer(readBuffer);
        this.eventArray = Epoll.allocateEvents(arena, MAX_EVENTS);
        this.epfd = Epoll.create(state);
        try {
            this.wakeFd = EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, state);
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, wakeFd, Epoll.EPOLLIN, wakeFd, state);
        } catch (IOException e) {
            Io.close(epfd, state);
            throw e;
        }
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        int handled = reportConnectedAtOnce() + readAgain();
        int timeoutMillis = handled > 0 || timeoutNanos == 0 || !readAgain.isEmpty() ? 0
                : timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        int ready = Epoll.wait(epfd, eventArray, MAX_EVENTS, timeoutMillis, state);
        if (ready < 0) {
            if (-ready == Errno.EINTR) {
                return handled;
            }
            throw new ErrnoException("epoll_wait(epfd " + epfd + ")", -ready);
        }
        for (int i = 0; i < ready; i++) {
            int fd = (int) Epoll.data(eventArray, i);
            int readyEvents = Epoll.events(eventArray, i);
            if (fd == wakeFd) {
                EventFd.read(wakeFd, state);
                continue;
            }
            EpollHandle handle = fd < byFd.length ? byFd[fd] : null;
            if (handle != null) {
                handle.handle(readyEvents);
            }
        }
        return handled + ready;
    }

    void readAgainLater(EpollSocket socket) {
        readAgain.add(socket);
    }

    private int readAgain() {
        if (readAgain.isEmpty()) {
            return 0;
        }
        readAgainNow.addAll(readAgain);
        readAgain.clear();
        for (EpollSocket socket : readAgainNow) {
            socket.readAgain();
        }
        int count = readAgainNow.size();
        readAgainNow.clear();
        return count;
    }

    private int reportConnectedAtOnce() {
        if (connectedAtOnce.isEmpty()) {
            return 0;
        }
        List<EpollSocket> ready = new ArrayList<>(connectedAtOnce);
        connectedAtOnce.clear();
        for (EpollSocket socket : ready) {
            events.onConnected(socket.attachment);
        }
        return ready.size();
    }

    @Override
    public long systemCalls() {
        return state.calls();
    }

    @Override
    public void wakeup() {
        // After close the descriptor number may belong to someone else: never signal it then.
        if (!closed) {
            EventFd.signal(wakeFd);
        }
    }

    // ---------------------------------------------------------------------- registration

    void register(int fd, int interest, EpollHandle handle) throws IOException {
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        byFd[fd] = handle;
        try {
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_ADD, fd, interest, fd, state);
        } catch (IOException e) {
            byFd[fd] = null;
            throw e;
        }
    }

    void modify(int fd, int interest) throws IOException {
        Epoll.ctl(epfd, Epoll.EPOLL_CTL_MOD, fd, interest, fd, state);
    }

    /** Takes {@code fd} out of the epoll set; it stays known to this poller (and is closed with it). */
    void deregister(int fd) {
        try {
            Epoll.ctl(epfd, Epoll.EPOLL_CTL_DEL, fd, 0, 0, state);
        } catch (IOException e) {
            // Not in the set: nothing to undo.
        }
    }

    /**
     * Forgets an enrolled channel's {@code fd} and closes the channel, which owns it. The
     * descriptor leaves the epoll set first: the set forgets a descriptor on close only when no
     * other descriptor refers to the same socket, and the user may have made one.
     */
    void closeChannel(int fd, java.io.Closeable channel) {
        deregister(fd);
        if (fd < byFd.length) {
            byFd[fd] = null;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The descriptor is released even when close reports an error.
        }
    }

    /** Forgets and closes {@code fd}; close removes it from the epoll set. */
    void closeFd(int fd) {
        if (fd < byFd.length) {
            byFd[fd] = null;
        }
        try {
            Io.close(fd, state);
        } catch (IOException e) {
            // The descriptor is released even when close reports an error.
        }
    }

    // ----------------------------------------------------------------------------- seam

    @Override
    public Listener listen(Address address, Options options, boolean perLoop) throws IOException {
        return EpollListener.open(this, address, options, perLoop);
    }

    @Override
    public Socket adopt(Object acceptedOrChannel, Object attachment) throws IOException {
        if (acceptedOrChannel instanceof NetworkChannel channel) {
            return enroll(channel, attachment);
        }
        if (!(acceptedOrChannel instanceof EpollListener.Accepted accepted)) {
            throw new IllegalArgumentException("the epoll transport cannot adopt " + acceptedOrChannel);
        }
        EpollSocket socket = new EpollSocket(this, accepted.fd(), false, attachment, accepted.remote());
        socket.packRemote();
        register(accepted.fd(), socket.interest(), socket);
        return socket;
    }

    @Override
    public Socket connect(Address address, Options options, Object attachment) throws IOException {
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        int fd = SocketDescriptors.socket(address, state);
        EpollSocket socket = new EpollSocket(this, fd, datagram, attachment, address.socketAddress());
        try {
            SocketDescriptors.prepareDial(fd, address, options, state);
            int result = Sockets.connect(fd, address.socketAddress(), state);
            if (result == 0) {
                register(fd, socket.interest(), socket);
                connectedAtOnce.add(socket);
            } else {
                socket.awaitConnect();
                register(fd, Epoll.EPOLLOUT, socket);
            }
        } catch (IOException | RuntimeException e) {
            closeFd(fd);
            throw e;
        }
        return socket;
    }

    @Override
    public void discard(Object accepted) {
        if (accepted instanceof EpollListener.Accepted a) {
            closeFd(a.fd());
        }
    }

    /** Serves a user's connected JDK channel through its own descriptor (see {@link ChannelDescriptor}). */
    private Socket enroll(NetworkChannel channel, Object attachment) throws IOException {
        SocketDescriptors.Enrolled enrolled = SocketDescriptors.Enrolled.of(channel, state);
        EpollSocket socket = new EpollSocket(this, enrolled.fd(), enrolled.datagram(), attachment, enrolled.remote(),
                channel);
        register(enrolled.fd(), socket.interest(), socket);
        return socket;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        for (int fd = 0; fd < byFd.length; fd++) {
            EpollHandle handle = byFd[fd];
            if (handle != null) {
                handle.closeHandle();
            }
        }
        Io.close(wakeFd, state);
        Io.close(epfd, state);
        datagrams.close();
        arena.close();
    }

    /** Something registered in the epoll set: a socket or a listener. */
    interface EpollHandle {
        void handle(int readyEvents);

        void closeHandle();
    }
}
