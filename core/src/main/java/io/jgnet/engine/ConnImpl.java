package io.jgnet.engine;

import io.jgnet.Action;
import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.EventLoop;
import io.jgnet.Options;
import io.jgnet.buffer.ElasticBuffer;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jdk.net.ExtendedSocketOptions;

/**
 * The engine's connection: read side, write side and life cycle of one socket.
 *
 * <pre>
 *             dial                      close() / Action.CLOSE
 *  CONNECTING ------> OPEN ----------------------------------> CLOSING
 *      |                |  peer reset, error, cap exceeded         | output sent, or
 *      | dial failed    |  stop deadline                           | closeTimeout
 *      v                v                                          v
 *   (future fails)    CLOSED  <--------------------------------- CLOSED
 * </pre>
 *
 * A UDP listener's datagrams are connections too ({@link Kind#DATAGRAM_PEER}): short-lived,
 * never opened or closed, their writes answer the sender.
 *
 * <p>Owned by its loop thread; the "any thread" methods of {@link Conn} hop onto it.
 */
final class ConnImpl implements Conn {
    enum Kind { STREAM, DATAGRAM, DATAGRAM_PEER }

    enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    final EventLoopImpl loop;
    final Kind kind;
    Socket socket;
    private final Listener peerListener;
    private final SocketAddress peerAddress;

    private ElasticBuffer inbound;
    private ElasticBuffer outbound;
    /** The loop's read buffer while a callback reads straight from it, else null. */
    private ByteBuffer direct;

    volatile State state;
    private volatile boolean writable = true;
    /** The peer sent end of stream. */
    private boolean inputEnded;
    private boolean readingSuspended;
    /** shutdownOutput() was called: no more writes. */
    private boolean outputShutdown;
    /** shutdownOutput() waits for the pending output to be sent. */
    private boolean outputShutdownPending;
    private volatile Object context;
    /** Set when the connection must close at the end of the batch (a cap was exceeded). */
    private Throwable pendingFailure;
    boolean inFlushList;
    private Timer closeTimer;
    private List<AsyncCallback> closeCallbacks;
    /** For a dialed or enrolled connection: completes after onOpen, or fails with the dial. */
    CompletableFuture<Conn> openFuture;

    /** Links in the loop's list of connections; intrusive so that adding one allocates nothing. */
    ConnImpl prev;
    ConnImpl next;

    ConnImpl(EventLoopImpl loop, Kind kind, State state) {
        this(loop, kind, state, null, null);
    }

    ConnImpl(EventLoopImpl loop, Kind kind, State state, Listener peerListener, SocketAddress peerAddress) {
        this.loop = loop;
        this.kind = kind;
        this.state = state;
        this.peerListener = peerListener;
        this.peerAddress = peerAddress;
    }

    // ------------------------------------------------------------------ inbound (engine side)

    /** Bytes arrived: hands them to the handler, keeping what it leaves. */
    void deliver(ByteBuffer data) {
        if (state != State.OPEN) {
            return;
        }
        if (inbound == null || inbound.isEmpty()) {
            direct = data;
            try {
                loop.traffic(this);
            } finally {
                direct = null;
                loop.views.recycle();
            }
            if (data.hasRemaining() && state == State.OPEN && kind == Kind.STREAM) {
                inbound().append(data);
            }
        } else {
            inbound.append(data);
            loop.traffic(this);
        }
        if (inbound != null) {
            checkInboundCap();
            inbound.releaseIfEmpty();
        }
        // Answer now rather than after every other ready socket has been read: still one send
        // for what this callback wrote, but the peer gets it (and can send its next request)
        // sooner. At low concurrency this is worth a third more throughput and less CPU per
        // message; writes made to this connection later in the iteration still wait for the end.
        if (inFlushList && state == State.OPEN) {
            flushNow();
        }
    }

    /** Runs onTraffic over whatever is buffered (for {@link #wake}). */
    void deliverBuffered() {
        if (state == State.OPEN) {
            loop.traffic(this);
            if (inbound != null) {
                inbound.releaseIfEmpty();
            }
        }
    }

    private void checkInboundCap() {
        int cap = loop.options.inboundBufferCap();
        if (inbound.size() > cap && state == State.OPEN) {
            closeNow(new IOException("inbound buffer cap of " + cap + " bytes exceeded: the handler left "
                    + inbound.size() + " bytes unconsumed"));
        }
    }

    private ElasticBuffer inbound() {
        if (inbound == null) {
            inbound = new ElasticBuffer(loop.pool);
        }
        return inbound;
    }

    // -------------------------------------------------------------------------- read side

    @Override
    public ByteBuffer peek(int n) {
        loop.checkThread("peek");
        int length = clamp(n);
        return direct != null ? loop.views.view(direct, direct.position(), length)
                : inbound == null ? EMPTY : inbound.slice(0, length);
    }

    @Override
    public ByteBuffer next(int n) {
        loop.checkThread("next");
        int length = clamp(n);
        ByteBuffer view = direct != null ? loop.views.view(direct, direct.position(), length)
                : inbound == null ? EMPTY : inbound.slice(0, length);
        consume(length);
        return view;
    }

    @Override
    public int discard(int n) {
        loop.checkThread("discard");
        int length = clamp(n);
        consume(length);
        return length;
    }

    @Override
    public int inboundBuffered() {
        loop.checkThread("inboundBuffered");
        return buffered();
    }

    @Override
    public int read(ByteBuffer dst) {
        loop.checkThread("read");
        int length = Math.min(dst.remaining(), buffered());
        if (direct != null) {
            dst.put(dst.position(), direct, direct.position(), length);
            dst.position(dst.position() + length);
        } else if (inbound != null) {
            inbound.copyTo(dst);
        }
        consume(length);
        return length;
    }

    private int buffered() {
        return direct != null ? direct.remaining() : inbound == null ? 0 : inbound.size();
    }

    private int clamp(int n) {
        int available = buffered();
        return n < 0 || n > available ? available : n;
    }

    private void consume(int length) {
        if (direct != null) {
            direct.position(direct.position() + length);
        } else if (inbound != null) {
            inbound.consume(length);
        }
    }

    // ------------------------------------------------------------------------- write side

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        loop.checkThread("write");
        checkWritable();
        if (kind != Kind.STREAM) {
            sendDatagram(ByteBuffer.wrap(data, offset, length));
            return;
        }
        outbound().append(data, offset, length);
        afterWrite();
    }

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread("write");
        checkWritable();
        if (kind != Kind.STREAM) {
            sendDatagram(data);
            return;
        }
        outbound().append(data);
        afterWrite();
    }

    @Override
    public void writev(ByteBuffer... data) {
        loop.checkThread("writev");
        checkWritable();
        if (kind != Kind.STREAM) {
            sendDatagram(Buffers.concat(data));
            return;
        }
        ElasticBuffer out = outbound();
        for (ByteBuffer buffer : data) {
            out.append(buffer);
        }
        afterWrite();
    }

    @Override
    public void flush() {
        loop.checkThread("flush");
        flushNow();
    }

    @Override
    public int outboundBuffered() {
        loop.checkThread("outboundBuffered");
        return outbound == null ? 0 : outbound.size();
    }

    @Override
    public boolean isWritable() {
        return writable && state == State.OPEN;
    }

    private void checkWritable() {
        if (outputShutdown && state == State.OPEN) {
            throw new IllegalStateException("connection " + describe() + " has shut down its output: cannot write");
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("connection " + describe() + " is " + state.name().toLowerCase()
                    + ": cannot write");
        }
    }

    private ElasticBuffer outbound() {
        if (outbound == null) {
            outbound = new ElasticBuffer(loop.pool);
        }
        return outbound;
    }

    private void afterWrite() {
        Options options = loop.options;
        int pending = outbound.size();
        if (pending > options.writeBufferCap()) {
            // Cut the connection, not the process: drop the output and close at the batch's end.
            outbound.release();
            pendingFailure = new IOException("write buffer cap of " + options.writeBufferCap()
                    + " bytes exceeded: the peer is not reading fast enough");
            state = State.CLOSING;
        } else if (pending > options.writeBufferHighWatermark()) {
            writable = false;
        }
        loop.needsFlush(this);
    }

    private void sendDatagram(ByteBuffer datagram) {
        try {
            if (kind == Kind.DATAGRAM_PEER) {
                peerListener.send(datagram, peerAddress);
            } else {
                socket.sendDatagram(datagram);
            }
        } catch (IOException e) {
            if (kind == Kind.DATAGRAM) {
                closeNow(e);
            } else {
                loop.log(System.Logger.Level.DEBUG, "UDP reply to " + peerAddress + " failed: " + e);
            }
        }
    }

    /** Called at the end of a batch (and by flush): sends what is pending with one write. */
    void flushNow() {
        if (pendingFailure != null) {
            Throwable failure = pendingFailure;
            pendingFailure = null;
            closeNow(failure);
            return;
        }
        if (state == State.CLOSED || outbound == null || outbound.isEmpty()) {
            finishClosingIfDrained();
            shutdownOutputIfDrained();
            return;
        }
        boolean drained;
        try {
            drained = socket.flush(outbound);
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (drained) {
            outbound.releaseIfEmpty();
            finishClosingIfDrained();
            shutdownOutputIfDrained();
        }
        if (!writable && state == State.OPEN && (outbound == null || outbound.size() < loop.options.writeBufferLowWatermark())) {
            writable = true;
            loop.notify(this, false);
        }
    }

    /** The peer sent end of stream: stop reading and let the handler choose close or half-close. */
    void inputEnded() {
        if (state != State.OPEN || inputEnded) {
            return;
        }
        inputEnded = true;
        socket.readInterest(false);
        loop.notify(this, true);
        closeIfBothDirectionsDone();
    }

    /** With input ended and output shut down and sent, nothing more can happen: close cleanly. */
    private void closeIfBothDirectionsDone() {
        if (state == State.OPEN && inputEnded && outputShutdown && !outputShutdownPending) {
            closeNow(null);
        }
    }

    private void shutdownOutputIfDrained() {
        if (outputShutdownPending && state == State.OPEN && (outbound == null || outbound.isEmpty())) {
            outputShutdownPending = false;
            try {
                socket.shutdownOutput();
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            closeIfBothDirectionsDone();
        }
    }

    @Override
    public void suspendReading() {
        loop.checkThread("suspendReading");
        if (state == State.OPEN && kind != Kind.DATAGRAM_PEER && !readingSuspended) {
            readingSuspended = true;
            socket.readInterest(false);
        }
    }

    @Override
    public void resumeReading() {
        loop.checkThread("resumeReading");
        if (state == State.OPEN && readingSuspended) {
            readingSuspended = false;
            if (!inputEnded) {
                socket.readInterest(true);
            }
        }
    }

    @Override
    public void shutdownOutput() {
        loop.checkThread("shutdownOutput");
        if (kind != Kind.STREAM) {
            throw new IllegalStateException("shutdownOutput needs a stream connection, not " + describe());
        }
        checkWritable();
        outputShutdown = true;
        outputShutdownPending = true;
        loop.needsFlush(this);
    }

    private void finishClosingIfDrained() {
        if (state == State.CLOSING && (outbound == null || outbound.isEmpty())) {
            closeNow(null);
        }
    }

    // ------------------------------------------------------------------------- any thread

    @Override
    public void asyncWrite(ByteBuffer data, AsyncCallback callback) {
        loop.execute(() -> writeThenComplete(data, null, callback));
    }

    @Override
    public void asyncWrite(byte[] data, AsyncCallback callback) {
        asyncWrite(ByteBuffer.wrap(data), callback);
    }

    @Override
    public void asyncWritev(ByteBuffer[] data, AsyncCallback callback) {
        loop.execute(() -> writeThenComplete(null, data, callback));
    }

    /** On the loop: writes one buffer or several, then tells {@code callback} how it went. */
    private void writeThenComplete(ByteBuffer one, ByteBuffer[] several, AsyncCallback callback) {
        Throwable error = null;
        if (state != State.OPEN) {
            error = closedError();
        } else {
            try {
                if (one != null) {
                    write(one);
                } else {
                    writev(several);
                }
            } catch (RuntimeException e) {
                error = e;
            }
        }
        loop.callback(callback, this, error);
    }

    @Override
    public void wake(AsyncCallback callback) {
        loop.execute(() -> {
            if (state == State.OPEN) {
                deliverBuffered();
                loop.callback(callback, this, null);
            } else {
                loop.callback(callback, this, closedError());
            }
        });
    }

    @Override
    public void close() {
        closeWithCallback(null);
    }

    @Override
    public void closeWithCallback(AsyncCallback callback) {
        if (loop.inEventLoop()) {
            closeOnLoop(callback);
        } else if (!loop.offer(() -> closeOnLoop(callback))) {
            // The loop has ended and closed every connection on its way out: nothing to close.
            loop.callback(callback, this, null);
        }
    }

    private void closeOnLoop(AsyncCallback callback) {
        if (kind == Kind.DATAGRAM_PEER) {
            loop.callback(callback, this, null);
            return;
        }
        if (state == State.CLOSED) {
            loop.callback(callback, this, null);
            return;
        }
        if (callback != null) {
            if (closeCallbacks == null) {
                closeCallbacks = new ArrayList<>(1);
            }
            closeCallbacks.add(callback);
        }
        beginClose(loop.options.closeTimeout());
    }

    /** Stops reading and closes once the pending output is sent, or at {@code timeout}. */
    void beginClose(Duration timeout) {
        switch (state) {
            case CLOSED -> {
                return;
            }
            case CONNECTING -> {
                closeNow(null);
                return;
            }
            case OPEN -> {
                state = State.CLOSING;
                if (kind == Kind.STREAM) {
                    socket.readInterest(false);
                }
            }
            case CLOSING -> {
                // Already draining: only the deadline may move closer.
            }
        }
        if (pendingFailure == null && (outbound == null || outbound.isEmpty())) {
            closeNow(null);
            return;
        }
        loop.needsFlush(this);
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        closeTimer = loop.scheduleOnLoop(() -> {
            if (loop.isStopping()) {
                // The stop gives each connection its deadline as close timeout: dropping output
                // here means the stop did not send everything, which stop() must report.
                loop.engine.markCut();
            }
            closeNow(new IOException("close timed out after " + timeout.toMillis()
                    + " ms with " + (outbound == null ? 0 : outbound.size()) + " bytes unsent"));
        }, timeout.toNanos());
    }

    /** Closes at once: releases the socket and buffers, tells the handler, runs close callbacks. */
    void closeNow(Throwable cause) {
        if (state == State.CLOSED || kind == Kind.DATAGRAM_PEER) {
            return;
        }
        if (pendingFailure != null) {
            // A cap was exceeded earlier in this batch: that is why the connection ends, not the
            // write the handler tried next (which throws because the connection is closing).
            if (cause != null && cause != pendingFailure) {
                pendingFailure.addSuppressed(cause);
            }
            cause = pendingFailure;
            pendingFailure = null;
        }
        boolean wasOpen = state != State.CONNECTING;
        state = State.CLOSED;
        writable = false;
        if (closeTimer != null) {
            closeTimer.cancel();
            closeTimer = null;
        }
        if (socket != null) {
            socket.close();
        }
        if (inbound != null) {
            inbound.release();
        }
        if (outbound != null) {
            outbound.release();
        }
        if (wasOpen) {
            loop.closed(this, cause);
        } else if (openFuture != null) {
            openFuture.completeExceptionally(cause != null ? cause
                    : new IOException("connection to " + describe() + " closed before it was open"));
        }
        if (closeCallbacks != null) {
            for (AsyncCallback callback : closeCallbacks) {
                loop.callback(callback, this, null);
            }
            closeCallbacks = null;
        }
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("connection " + describe() + " is closed");
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
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
        return kind == Kind.DATAGRAM_PEER ? peerListener.localAddress() : socket == null ? null : socket.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return kind == Kind.DATAGRAM_PEER ? peerAddress : socket == null ? null : socket.remoteAddress();
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    String describe() {
        return remoteAddress() + " (loop " + loop.index() + ")";
    }

    @Override
    public String toString() {
        return "Conn[" + localAddress() + " <-> " + remoteAddress() + ", " + state + "]";
    }

    // ---------------------------------------------------------------------- socket options

    @Override
    public void setNoDelay(boolean noDelay) {
        option(StandardSocketOptions.TCP_NODELAY, noDelay);
    }

    @Override
    public void setKeepAlive(Duration idle, Duration interval, int count) {
        option(StandardSocketOptions.SO_KEEPALIVE, idle != null);
        if (idle != null) {
            option(ExtendedSocketOptions.TCP_KEEPIDLE, (int) Math.max(1, idle.toSeconds()));
            option(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int) Math.max(1, interval.toSeconds()));
            option(ExtendedSocketOptions.TCP_KEEPCOUNT, count);
        }
    }

    @Override
    public void setSendBufferSize(int bytes) {
        option(StandardSocketOptions.SO_SNDBUF, bytes);
    }

    @Override
    public void setReceiveBufferSize(int bytes) {
        option(StandardSocketOptions.SO_RCVBUF, bytes);
    }

    @Override
    public void setLinger(Duration linger) {
        option(StandardSocketOptions.SO_LINGER, linger == null ? -1 : (int) linger.toSeconds());
    }

    private <T> void option(SocketOption<T> option, T value) {
        loop.checkThread("set " + option.name());
        if (kind == Kind.DATAGRAM_PEER || state == State.CLOSED) {
            throw new IllegalStateException("cannot set " + option.name() + " on " + describe() + ": "
                    + (kind == Kind.DATAGRAM_PEER ? "a UDP listener's datagram has no socket of its own" : "closed"));
        }
        try {
            socket.setOption(option, value);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot set " + option.name() + "=" + value + " on " + describe()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Applies the engine's socket options to a new connection. */
    void applyOptions(Options options, boolean tcp) throws IOException {
        if (tcp) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
            if (options.tcpKeepAliveIdle() != null) {
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, (int) options.tcpKeepAliveIdle().toSeconds());
                socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int) options.tcpKeepAliveInterval().toSeconds());
                socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, options.tcpKeepAliveCount());
            }
        }
        if (options.socketSendBuffer() > 0) {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, options.socketSendBuffer());
        }
        if (options.socketReceiveBuffer() > 0) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, options.socketReceiveBuffer());
        }
    }

    /** Runs the handler's verdict on this connection. */
    void act(Action action) {
        if (action == Action.CLOSE) {
            beginClose(loop.options.closeTimeout());
        } else if (action == Action.SHUTDOWN) {
            loop.engine.shutdownFromCallback();
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
}
