package io.jgnet.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * A bound listener owned by one poller. Loop thread only.
 */
public interface Listener {

    /** The address actually bound. */
    SocketAddress localAddress();

    /** What the user asked for. */
    Address address();

    /** Sends one datagram from a datagram listener (UDP replies). Drops it if the kernel's buffer is full. */
    void send(ByteBuffer datagram, SocketAddress to) throws IOException;

    /** Whether this listener belongs to one loop (reusePort, UDP), which then keeps what it accepts. */
    boolean perLoop();

    /**
     * Stops polling for connections (pending ones stay in the kernel's backlog) until
     * {@link #resumeAccepting}. Must not allocate: it runs when descriptors are exhausted.
     */
    void pauseAccepting();

    /** Polls for connections again after {@link #pauseAccepting}. */
    void resumeAccepting();

    /** Sets an option on the listening socket; {@link UnsupportedOperationException} names one the transport cannot set. */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    /** Reads an option of the listening socket; {@link UnsupportedOperationException} names one the transport cannot read. */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /** Joins ({@code join}) or leaves a multicast group on a datagram listener, on {@code nif}. */
    void membership(boolean join, InetAddress group, NetworkInterface nif) throws IOException;

    /** Stops listening and releases the socket. Idempotent. */
    void close();
}
