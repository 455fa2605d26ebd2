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

    /**
     * Sends one datagram from a datagram listener now ({@code sendTo}): a refusal throws. Drops it
     * if the kernel's buffer is full.
     */
    void send(ByteBuffer datagram, SocketAddress to) throws IOException;

    /**
     * Sends one datagram from a datagram listener in answer to one it received. Unlike
     * {@link #send}, a completion transport may queue it (copied: the caller keeps its buffer) and
     * send it with its next batch, after the replies before it; a refusal known only then is logged,
     * not thrown. Readiness transports send it now.
     */
    default void reply(ByteBuffer datagram, SocketAddress to) throws IOException {
        send(datagram, to);
    }

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
