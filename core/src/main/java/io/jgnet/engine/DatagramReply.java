package io.jgnet.engine;

import io.jgnet.transport.Listener;
import io.jgnet.AsyncCallback;
import io.jgnet.EventLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One datagram received by a UDP listener, as the {@link io.jgnet.Conn} its onTraffic sees:
 * the read side shows the datagram (during that callback only), and writes answer its sender
 * at once from the listener's socket. It has no socket, no buffers and no life cycle of its
 * own, so it is never opened or closed: {@code close()} and {@link io.jgnet.Action#CLOSE} end
 * nothing, and what needs a connection of its own (suspending reading, shutting down output,
 * {@code wake}) throws {@link UnsupportedOperationException} saying so. {@code sendTo},
 * multicast membership and socket options act on the listener's socket.
 *
 * <p>Without a sender it is the listener's own Conn ({@link io.jgnet.Engine#datagramListener}):
 * one per listener, made when it binds; it reads nothing and has no one to write to.
 *
 * <p>Made on the loop thread per datagram; the "any thread" methods hop onto the loop.
 */
final class DatagramReply implements Connection {
    private final Loop loop;
    private final Listener listener;
    private final SocketAddress sender;
    private final Inbound inbound;
    /** True while onTraffic runs for this datagram: only then does the read side show it. */
    private boolean delivering;
    private volatile Object context;

    DatagramReply(Loop loop, Listener listener, SocketAddress sender) {
        this.loop = loop;
        this.listener = listener;
        this.sender = sender;
        this.inbound = loop.replyInbound();
    }

    /** Runs onTraffic over {@code datagram}; what the handler leaves is dropped with it. */
    void deliver(ByteBuffer datagram) {
        inbound.lend(datagram);
        delivering = true;
        try {
            loop.handlers().traffic(this);
        } finally {
            delivering = false;
            inbound.endLend();
        }
    }

    // -------------------------------------------------------------------------- read side

    @Override
    public ByteBuffer peek(int n) {
        loop.checkThread("peek");
        return delivering ? inbound.peek(n) : NOTHING.duplicate();
    }

    @Override
    public ByteBuffer next(int n) {
        loop.checkThread("next");
        return delivering ? inbound.next(n) : NOTHING.duplicate();
    }

    @Override
    public int discard(int n) {
        loop.checkThread("discard");
        return delivering ? inbound.discard(n) : 0;
    }

    @Override
    public int inboundBuffered() {
        loop.checkThread("inboundBuffered");
        return delivering ? inbound.buffered() : 0;
    }

    @Override
    public int read(ByteBuffer dst) {
        loop.checkThread("read");
        return delivering ? inbound.read(dst) : 0;
    }

    // ------------------------------------------------------------------------- write side

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        loop.checkThread("write");
        reply(ByteBuffer.wrap(data, offset, length));
    }

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread("write");
        reply(data);
    }

    @Override
    public void writev(ByteBuffer... data) {
        loop.checkThread("writev");
        reply(Buffers.concat(data));
    }

    /** One frame, one datagram, as {@link #writev}. */
    @Override
    public void writeFrame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
        loop.checkThread("write");
        reply(Buffers.frame(header, headerBytes, payload, trailer, trailerLength));
    }

    @Override
    public void offload(java.util.concurrent.Callable<byte[]> task) {
        throw unsupported("offload");
    }

    @Override
    public void sendFile(java.nio.channels.FileChannel file, long position, long length) {
        OutboundFiles.close(file);
        throw unsupported("sendFile");
    }

    private void requirePeer() {
        if (sender == null) {
            throw new UnsupportedOperationException("the Conn of the UDP listener on " + listener.localAddress()
                    + " has no peer to write to; use sendTo");
        }
    }

    private void reply(ByteBuffer datagram) {
        requirePeer();
        try {
            int bytes = datagram.remaining();
            listener.reply(datagram, sender);
            loop.counters().wrote(bytes);
        } catch (IOException e) {
            // UDP may drop a datagram; one that cannot be sent costs nothing else.
            FailureLog.log(System.Logger.Level.DEBUG, "UDP reply to " + sender + " failed: " + e, null);
        }
    }

    /** Replies are sent as they are written: nothing waits. */
    @Override
    public void flush() {
        loop.checkThread("flush");
    }

    @Override
    public int outboundBuffered() {
        loop.checkThread("outboundBuffered");
        return 0;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public void suspendReading() {
        throw unsupported("suspendReading");
    }

    @Override
    public void resumeReading() {
        throw unsupported("resumeReading");
    }

    @Override
    public void shutdownOutput() {
        throw unsupported("shutdownOutput");
    }

    // ------------------------------------------------------------------------- any thread

    @Override
    public void asyncWrite(ByteBuffer data, AsyncCallback callback) {
        requirePeer();
        loop.execute(() -> {
            reply(data);
            loop.handlers().callback(callback, this, null);
        });
    }

    @Override
    public void asyncWrite(byte[] data, AsyncCallback callback) {
        asyncWrite(ByteBuffer.wrap(data), callback);
    }

    @Override
    public void asyncWritev(ByteBuffer[] data, AsyncCallback callback) {
        requirePeer();
        loop.execute(() -> {
            reply(Buffers.concat(data));
            loop.handlers().callback(callback, this, null);
        });
    }

    @Override
    public void wake(AsyncCallback callback) {
        throw unsupported("wake");
    }

    /** Ends nothing: a datagram has no connection to close. {@code callback} runs on the loop. */
    @Override
    public void close() {
        // See closeWithCallback.
    }

    @Override
    public void closeWithCallback(AsyncCallback callback) {
        if (callback != null) {
            loop.execute(() -> loop.handlers().callback(callback, this, null));
        }
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /** Whether the listener still serves: replies can be sent. */
    @Override
    public boolean isOpen() {
        return !loop.isStopping();
    }

    @Override
    public void handlerFailed(Throwable cause) {
        // The datagram is dropped; the listener goes on. The failure is logged by HandlerCalls.
    }

    @Override
    public boolean hearsOnClose() {
        return false;
    }

    // --------------------------------------------------------------------------- identity

    @Override
    public Object context() {
        return context;
    }

    @Override
    public void context(Object context) {
        this.context = context;
    }

    @Override
    public SocketAddress localAddress() {
        return listener.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return sender;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public String toString() {
        return sender == null ? "DatagramListener[" + localAddress() + "]"
                : "Datagram[" + localAddress() + " <- " + sender + "]";
    }

    // ------------------------------------------------------------------ socket options

    @Override
    public void setNoDelay(boolean noDelay) {
        throw unsupported("setNoDelay");
    }

    @Override
    public void setKeepAlive(Duration idle, Duration interval, int count) {
        throw unsupported("setKeepAlive");
    }

    @Override
    public void setSendBufferSize(int bytes) {
        throw unsupported("setSendBufferSize");
    }

    @Override
    public void setReceiveBufferSize(int bytes) {
        throw unsupported("setReceiveBufferSize");
    }

    @Override
    public void setLinger(Duration linger) {
        throw unsupported("setLinger");
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) {
        loop.checkThread("setOption");
        try {
            listener.setOption(option, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set " + option.name() + "=" + value + " on the UDP listener "
                    + listener.localAddress() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T getOption(SocketOption<T> option) {
        loop.checkThread("getOption");
        try {
            return listener.getOption(option);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + option.name() + " of the UDP listener "
                    + listener.localAddress() + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------- datagrams

    @Override
    public void sendTo(SocketAddress to, ByteBuffer datagram) {
        DatagramSends.sendTo(loop, listener::send, to, datagram, this);
    }

    @Override
    public void joinGroup(InetAddress group, NetworkInterface networkInterface) {
        membership(true, group, networkInterface);
    }

    @Override
    public void leaveGroup(InetAddress group, NetworkInterface networkInterface) {
        membership(false, group, networkInterface);
    }

    private void membership(boolean join, InetAddress group, NetworkInterface networkInterface) {
        DatagramSends.membership(loop, listener::membership, join, group, networkInterface, this);
    }

    private UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + " needs a connection of its own, and this is "
                + (sender == null ? "the UDP listener on " + listener.localAddress()
                        : "one datagram that the UDP listener on " + listener.localAddress() + " received from "
                                + sender + "; answer it with write")
                + ", or dial a UDP connection for a socket of your own");
    }

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
}
