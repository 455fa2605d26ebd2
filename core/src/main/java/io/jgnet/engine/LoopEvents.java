package io.jgnet.engine;

import io.jgnet.transport.Listener;
import io.jgnet.transport.IoEvents;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A loop's ear for its transport: turns each {@link IoEvents} event into a transition of the
 * connection it is about. Whatever an event's handling throws, {@link Error}s included, closes
 * that connection with the cause and goes no further, so one connection's failure never ends
 * the loop.
 *
 * <p>Every event marks the start of the loop's work in this iteration, for its busy time
 * ({@link LoopCounters#working}).
 *
 * <p>Called on the loop thread only, from inside {@link Poller#poll}.
 */
final class LoopEvents implements IoEvents {
    private final Loop loop;
    private final LoopCounters counters;

    LoopEvents(Loop loop, LoopCounters counters) {
        this.loop = loop;
        this.counters = counters;
    }

    @Override
    public void onAccept(Listener listener, Object accepted, SocketAddress remote) {
        counters.working();
        loop.accepted(listener, accepted, remote);
    }

    @Override
    public void onDescriptorsExhausted(Listener listener) {
        counters.working();
        loop.acceptBackoff().exhausted(listener);
    }

    @Override
    public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) {
        counters.read(datagram.remaining());
        new DatagramReply(loop, listener, sender).deliver(datagram);
    }

    @Override
    public void onRead(Object attachment, ByteBuffer data) {
        counters.read(data.remaining());
        SocketConnection conn = (SocketConnection) attachment;
        try {
            conn.received(data);
        } catch (Throwable t) {
            conn.closeNow(t);
        }
    }

    @Override
    public void onReadEnd(Object attachment) {
        counters.working();
        SocketConnection conn = (SocketConnection) attachment;
        try {
            conn.inputEnded();
        } catch (Throwable t) {
            conn.closeNow(t);
        }
    }

    @Override
    public void onHangUp(Object attachment) {
        counters.working();
        SocketConnection conn = (SocketConnection) attachment;
        try {
            conn.hungUp();
        } catch (Throwable t) {
            conn.closeNow(t);
        }
    }

    @Override
    public void onWritable(Object attachment) {
        counters.working();
        SocketConnection conn = (SocketConnection) attachment;
        try {
            conn.writable();
        } catch (Throwable t) {
            conn.closeNow(t);
        }
    }

    @Override
    public void onConnected(Object attachment) {
        counters.working();
        SocketConnection conn = (SocketConnection) attachment;
        try {
            loop.connected(conn);
        } catch (Throwable t) {
            conn.closeNow(t);
        }
    }

    /** The descriptor is really free now (on io_uring, later than close): a paused listener may take one. */
    @Override
    public void onClosed(Object attachment) {
        loop.acceptBackoff().descriptorFreed();
    }

    @Override
    public void onError(Object attachment, IOException cause) {
        counters.working();
        loop.connectFailed((SocketConnection) attachment, cause);
    }
}
