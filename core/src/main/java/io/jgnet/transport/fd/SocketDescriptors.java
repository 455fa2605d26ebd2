package io.jgnet.transport.fd;

import io.jgnet.Options;
import io.jgnet.linux.CallState;
import io.jgnet.linux.ChannelDescriptor;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.Io;
import io.jgnet.linux.JdkSocketOptions;
import io.jgnet.linux.SockAddr;
import io.jgnet.linux.SockAddrCache;
import io.jgnet.linux.SocketOptions;
import io.jgnet.linux.Sockets;
import io.jgnet.transport.Address;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * What the Linux transports (epoll, io_uring) do with socket descriptors in the same way, however
 * they wait for them: open a listening socket for an {@link Address}, find the descriptor of an
 * enrolled JDK channel, receive datagrams. Stateless; the calls run on the loop thread that owns
 * {@code state}.
 */
public final class SocketDescriptors {
    /** Pending connections the kernel may queue: large, since bursts of connects are normal. */
    private static final int BACKLOG = 4096;

    private SocketDescriptors() {
    }

    /**
     * The address family of {@code address}.
     *
     * @param address the address
     * @return AF_INET, AF_INET6 or AF_UNIX
     */
    public static int domain(Address address) {
        return switch (address.family()) {
            case INET -> Sockets.AF_INET;
            case INET6 -> Sockets.AF_INET6;
            case UNIX -> Sockets.AF_UNIX;
        };
    }

    /**
     * A new non-blocking socket for {@code address}, of its protocol.
     *
     * @param address where it will connect
     * @param state the loop's call state
     * @return the descriptor
     * @throws IOException when the kernel refuses one
     */
    public static int socket(Address address, CallState state) throws IOException {
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        return Sockets.socket(domain(address), (datagram ? Sockets.SOCK_DGRAM : Sockets.SOCK_STREAM)
                | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0, state);
    }

    /**
     * A socket bound to {@code address} with the engine's options (and SO_REUSEPORT for a
     * listener per loop), listening if it is a stream socket. A stale unix socket file is removed
     * first. Nothing is left open on failure.
     *
     * @param address what to bind
     * @param options the engine's options
     * @param perLoop whether several loops bind the same address
     * @param state the loop's call state
     * @return the descriptor
     * @throws IOException when the socket cannot be made or bound
     */
    public static int listen(Address address, Options options, boolean perLoop, CallState state) throws IOException {
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        int fd = socket(address, state);
        try {
            if (address.family() == Address.Family.UNIX) {
                address.removeStaleUnixSocket();
            } else {
                // Never on UDP unless asked for (listenerOptions): there it lets a second socket take the port.
                SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR,
                        options.reuseAddr() && !datagram ? 1 : 0, state);
                if (perLoop) {
                    SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEPORT, 1, state);
                }
            }
            if (options.socketReceiveBuffer() > 0) {
                SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF,
                        options.socketReceiveBuffer(), state);
            }
            if (datagram && options.socketSendBuffer() > 0) {
                SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF,
                        options.socketSendBuffer(), state);
            }
            setAll(fd, options.listenerOptions(), state);
            Sockets.bind(fd, address.socketAddress(), state);
            if (!datagram) {
                Sockets.listen(fd, BACKLOG, state);
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd, state);
            throw e;
        }
    }

    /**
     * Readies a new socket to connect to {@code address}: the connection options, and for a unix
     * datagram socket an autobind to an abstract name, without which the peer could not answer.
     *
     * @param fd the socket, not yet connected
     * @param address where it will connect
     * @param options the engine's options
     * @param state the loop's call state
     * @throws IOException when an option or the bind is refused
     */
    public static void prepareDial(int fd, Address address, Options options, CallState state) throws IOException {
        setAll(fd, options.connectionOptions(), state);
        if (address.family() == Address.Family.UNIX && address.protocol() == Address.Protocol.DATAGRAM) {
            Sockets.bind(fd, UnixDomainSocketAddress.of(""), state);
        }
    }

    /**
     * Sets {@code options} on {@code fd} in order (see {@link JdkSocketOptions}).
     *
     * @param fd the socket
     * @param options the options and their values
     * @param state the loop's call state
     * @throws IOException when the kernel refuses one
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void setAll(int fd, Map<SocketOption<?>, Object> options, CallState state) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> entry : options.entrySet()) {
            JdkSocketOptions.set(fd, (SocketOption) entry.getKey(), entry.getValue(), state);
        }
    }

    /**
     * The local address a listener reports: the path for a unix socket, else what the kernel bound.
     *
     * @param fd the bound socket
     * @param address what was asked for
     * @param state the loop's call state
     * @return the bound address
     * @throws IOException when the kernel cannot say
     */
    public static SocketAddress boundAddress(int fd, Address address, CallState state) throws IOException {
        return address.family() == Address.Family.UNIX ? address.socketAddress() : Sockets.localAddress(fd, state);
    }

    /** A user's connected JDK channel, switched to non-blocking, and its descriptor. */
    public record Enrolled(int fd, boolean datagram, SocketAddress remote) {
        /**
         * Finds the descriptor of {@code channel} (see {@link ChannelDescriptor}).
         *
         * @param channel a connected SocketChannel or DatagramChannel
         * @param state the loop's call state
         * @return its descriptor and peer
         * @throws IOException when it cannot be found or configured
         */
        public static Enrolled of(NetworkChannel channel, CallState state) throws IOException {
            ((SelectableChannel) channel).configureBlocking(false);
            int fd = ChannelDescriptor.find(channel, state);
            boolean datagram = channel instanceof DatagramChannel;
            SocketAddress remote = datagram ? ((DatagramChannel) channel).getRemoteAddress()
                    : ((SocketChannel) channel).getRemoteAddress();
            return new Enrolled(fd, datagram, remote);
        }
    }

    /**
     * Closes {@code fd}, ignoring the error: the descriptor is released even when close reports one.
     *
     * @param fd the descriptor
     * @param state the loop's call state
     */
    public static void closeQuietly(int fd, CallState state) {
        try {
            Io.close(fd, state);
        } catch (IOException e) {
            // released anyway
        }
    }

    /**
     * Receives the datagrams waiting on a listener's socket with {@code recvfrom}, each reported
     * as {@link IoEvents#onDatagram}, its sender decoded through the loop's cache (a peer seen
     * before costs no allocation). One per listener; loop thread only.
     */
    public static final class DatagramInbox {
        private final MemorySegment peer;
        private final MemorySegment peerLength;
        private final SockAddrCache senders;

        /** An inbox with its own sockaddr memory, allocated once, decoding through {@code senders} (the loop's). */
        public DatagramInbox(SockAddrCache senders) {
            Arena arena = Arena.ofAuto();
            this.peer = SockAddr.allocateStorage(arena);
            this.peerLength = arena.allocate(ValueLayout.JAVA_INT);
            this.senders = senders;
        }

        /**
         * Receives one datagram waiting on {@code fd} into {@code buffer} and reports it.
         *
         * @param fd the listener's socket
         * @param listener the listener, for the event
         * @param buffer the loop's read buffer, direct
         * @param segment {@code buffer}'s memory
         * @param events where to report it
         * @param state the loop's call state
         * @return false when none was waiting (or the socket failed)
         */
        public boolean receiveOne(int fd, Listener listener, ByteBuffer buffer, MemorySegment segment,
                IoEvents events, CallState state) {
            long n;
            do {
                n = Sockets.recvfrom(fd, segment, 0, buffer.capacity(), 0, peer, peerLength, state);
            } while (n == -Errno.EINTR);
            if (n < 0) {
                return false;
            }
            SocketAddress sender = senders.decode(peer, 0, peerLength.get(ValueLayout.JAVA_INT, 0));
            buffer.limit((int) n).position(0);
            events.onDatagram(listener, buffer, sender);
            return true;
        }
    }

    /** Enough reads to empty a receive buffer of several megabytes with a 64 KiB scratch. */
    private static final int DISCARD_READS = 256;

    /**
     * {@link io.jgnet.transport.Socket#discardInput} for a stream descriptor: reads into
     * {@code scratch} until EAGAIN; returns the bytes dropped, or -1 at end of stream.
     */
    public static long discardInput(int fd, MemorySegment scratch, int capacity, CallState state) throws IOException {
        long dropped = 0;
        for (int i = 0; i < DISCARD_READS; i++) {
            long n = Io.read(fd, scratch, 0, capacity, state);
            if (n > 0) {
                dropped += n;
            } else if (n == 0) {
                return -1;
            } else if (n == -Errno.EAGAIN) {
                return dropped;
            } else if (n != -Errno.EINTR) {
                throw new ErrnoException("read(fd " + fd + ")", (int) -n);
            }
        }
        return dropped;
    }

    /** {@link io.jgnet.transport.Socket#unacknowledgedOutput} for a stream descriptor; -1 if the kernel will not say. */
    public static long unacknowledgedOutput(int fd, CallState state) {
        try {
            return Sockets.sendQueued(fd, state);
        } catch (IOException e) {
            return -1;
        }
    }
}
