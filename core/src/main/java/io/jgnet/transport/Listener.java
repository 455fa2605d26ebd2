package io.jgnet.transport;

import java.io.IOException;
import java.net.SocketAddress;
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

    /** Stops listening and releases the socket. Idempotent. */
    void close();
}
