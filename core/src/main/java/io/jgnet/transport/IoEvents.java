package io.jgnet.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a poller reports to its loop. Called on the loop thread only, from inside
 * {@link Poller#poll}.
 *
 * <p>The events say what happened, not which system call saw it, so that a readiness transport
 * (which reports them as it makes the calls) and a completion transport (which reports them as
 * completions arrive) fit alike. Buffers handed in are the poller's and valid only during the
 * call: the engine consumes or copies what it needs before returning.
 */
public interface IoEvents {

    /** A stream listener accepted {@code accepted} (a transport-specific handle). */
    void onAccept(Listener listener, Object accepted, SocketAddress remote);

    /**
     * A stream listener could not accept for want of file descriptors (EMFILE, ENFILE). The
     * engine pauses it ({@link Listener#pauseAccepting}) until a descriptor is freed or a short
     * delay has passed. Transports must report this without allocating or logging: with no
     * descriptor left, both can fail.
     */
    void onDescriptorsExhausted(Listener listener);

    /** A datagram listener received {@code datagram} from {@code sender}. */
    void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender);

    /** Bytes arrived for the connection: {@code data} between position and limit. */
    void onRead(Object attachment, ByteBuffer data);

    /** The peer shut down its sending side (end of stream), after every byte it sent was reported. */
    void onReadEnd(Object attachment);

    /**
     * The kernel reports the socket gone in both directions (a hang-up, no error) while the
     * engine is not reading it. Bytes the peer sent before may still be queued: the transport
     * must stop reporting the hang-up, and once {@link Socket#readInterest reading is wanted}
     * again it must read them and then report {@link #onReadEnd}, as for any end of stream.
     */
    void onHangUp(Object attachment);

    /** More output can go: flush again. */
    void onWritable(Object attachment);

    /** A connect started by {@link Poller#connect} succeeded. */
    void onConnected(Object attachment);

    /** The socket failed (reset, refused, ...); the engine closes it with this cause. */
    void onError(Object attachment, IOException cause);

    /**
     * A socket the engine closed ({@link Socket#close}) is gone: every operation submitted for it
     * has ended, finished or cancelled (a region lent to it has been reported by
     * {@link OutboundRegion#sent}), and its descriptor is closed. Raised once per socket, after
     * every other event for it: by a readiness transport within {@code close}, by a completion
     * transport when the close's own completion arrives. Not raised for what a closing poller
     * releases.
     */
    void onClosed(Object attachment);
}
