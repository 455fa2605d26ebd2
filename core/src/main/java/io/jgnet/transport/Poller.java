package io.jgnet.transport;

import java.io.Closeable;
import java.io.IOException;
import io.jgnet.Options;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/**
 * The seam between one event loop and the kernel.
 *
 * <p>It is shaped by what the engine needs, not by system calls, so that readiness transports
 * (nio, epoll) and completion transports (io_uring) both fit: the poller tells the engine
 * (through {@link IoEvents}) "bytes arrived", "output can go on", "a connection came in",
 * "a connection is gone"; the engine tells the poller "listen", "adopt", "connect", "flush this
 * buffer", "close", "wake up". Each transport owns its loop's wait-and-dispatch cycle
 * ({@link #poll}), including how many reads it makes per ready socket.
 *
 * <p>Every method belongs to the loop thread except {@link #wakeup()}.
 */
public interface Poller extends Closeable {

    /**
     * Waits up to {@code timeoutNanos} (0: do not wait; negative: until woken) for I/O and
     * dispatches every ready event to {@link IoEvents}. Returns the number of events handled.
     */
    int poll(long timeoutNanos) throws IOException;

    /**
     * The calls into the kernel this poller has made (waits, reads, writes, accepts...), or
     * {@code -1} if the transport cannot see them. Any thread: a count eventually fresh.
     */
    default long systemCalls() {
        return -1;
    }

    /** Makes a {@link #poll} that is waiting, or the next one, return soon. Any thread. */
    void wakeup();

    /**
     * Binds a listener. Stream listeners report connections through
     * {@link IoEvents#onAccept}; datagram listeners report datagrams through
     * {@link IoEvents#onDatagram}. With {@code reusePort} several loops may bind the same address.
     */
    Listener listen(Address address, Options options, boolean reusePort) throws IOException;

    /**
     * Takes over a socket accepted by another loop's poller of the same transport (or a channel
     * enrolled by the user) and starts reading it. Events for it carry {@code attachment}.
     */
    Socket adopt(Object acceptedOrChannel, Object attachment) throws IOException;

    /**
     * Starts a non-blocking connect. Completion is reported by {@link IoEvents#onConnected} or
     * {@link IoEvents#onError} with {@code attachment}.
     */
    Socket connect(Address address, Options options, Object attachment) throws IOException;

    /** Closes an accepted socket that no loop will take (the engine is stopping). */
    void discard(Object accepted);

    /**
     * Why {@code channel} cannot be enrolled by {@link #adopt} on this transport, or
     * {@code null} if it can. Every transport takes a connected {@link SocketChannel} or
     * {@link DatagramChannel}; one that cannot says why here.
     */
    default String whyNotEnrollable(NetworkChannel channel) {
        boolean connected = channel instanceof SocketChannel socket ? socket.isConnected()
                : channel instanceof DatagramChannel datagram && datagram.isConnected();
        return connected ? null : "it must be a connected SocketChannel or DatagramChannel";
    }
}
