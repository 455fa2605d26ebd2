package io.jgnet.engine;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * What a poller reports to its loop. Called on the loop thread only, from inside
 * {@link Poller#poll}.
 *
 * <p>Buffers handed in are the poller's and valid only during the call: the engine consumes or
 * copies what it needs before returning.
 */
public interface IoEvents {

    /** A stream listener accepted {@code accepted} (a transport-specific handle). */
    void onAccept(Listener listener, Object accepted, SocketAddress remote);

    /** A datagram listener received {@code datagram} from {@code sender}. */
    void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender);

    /** Bytes arrived for the connection: {@code data} between position and limit. */
    void onRead(Object attachment, ByteBuffer data);

    /** The peer shut down its sending side (end of stream). */
    void onReadEnd(Object attachment);

    /**
     * The socket is gone in both directions (the kernel reports a hang-up) while the engine is
     * not reading it, so no end of stream or read error will say so: close it.
     */
    void onHangUp(Object attachment);

    /** More output can go: flush again. */
    void onWritable(Object attachment);

    /** A connect started by {@link Poller#connect} succeeded. */
    void onConnected(Object attachment);

    /** The socket failed (reset, refused, ...); the engine closes it with this cause. */
    void onError(Object attachment, IOException cause);
}
