package io.jgnet.engine;

import io.jgnet.transport.Socket;
import io.jgnet.Action;
import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.ConnectionTimeoutException;
import io.jgnet.EventLoop;
import io.jgnet.Options;
import io.jgnet.Timeouts;
import io.jgnet.TlsSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;

/**
 * A connection with a socket of its own: a TCP or unix stream, or a dialed or enrolled UDP
 * socket. Its life is one state machine with two halves, the input (what the peer sends) and
 * the output (what we send); every event of the socket, the handler and the loop is a
 * transition of one half or both.
 *
 * <pre>
 *  INPUT                                      OUTPUT
 *
 *  CONNECTING                                 CONNECTING
 *      | bring-up (accepted, dialed,              | bring-up
 *      v  enrolled: one path)                     v
 *     OPEN &lt;---- resumeReading() ----+          OPEN ---- shutdownOutput() ----&gt; SHUTTING
 *      |  \                          |            |                                  |
 *      |   +-- suspendReading() --&gt; SUSPENDED     |                   output drained: FIN sent
 *      |                             |  ^  |      |                                  v
 *      | end of stream               |  |  |      |                                 SHUT
 *      v                             |  +--+      | close(), Action.CLOSE,          |
 *    ENDED &lt;-- end of stream --------+ hang-up:   | write cap passed           close()|
 *    (onHalfClose)  (after resume)     stays;     v                                  |
 *                                      the bytes DRAINING (no more writes) &lt;--------+ (SHUTTING)
 *                                      the kernel holds are read on resume, then the end
 *
 *  Beginning a close (close(), Action.CLOSE, the write cap, the engine's stop, a timeout the
 *  handler's onTimeout lets close) turns the input to CLOSED at once (nothing more is read)
 *  and the output to DRAINING. Once drained, a clean close sends FIN; if the peer is still
 *  sending then, or has not acknowledged all the output and the FIN, the input turns LINGERING:
 *  what arrives is read and dropped until the peer's end of stream, until the peer has
 *  everything and nothing is unread, or until the close deadline, because closing a socket
 *  with unread input (or that input arrives at after the close) makes the kernel reset the
 *  connection and throw away output the peer has not received yet.
 *  A timeout (idle, read, write, lifetime; see TimedConnection) applies while the output is
 *  OPEN, SHUTTING or SHUT; the read timeout only while the input is OPEN. onTimeout returning
 *  NONE is no transition: that timeout's clock restarts.
 *  Then both halves become CLOSED, and onClose runs once, when:
 *    - output DRAINING is drained (cause: none, or the cap that was passed), or the close
 *      timeout passes (cause: a timeout naming the bytes unsent);
 *    - input ENDED and output SHUT: both directions are done (clean);
 *    - the socket fails or is reset, or hangs up while its input is not SUSPENDED (nothing is
 *      left to read), or the stop deadline passes;
 *    - the handler throws (cause: its exception);
 *    - a write timeout expires (cause: the ConnectionTimeoutException), or another timeout
 *      expires with no output pending (else it drains first, as a close, with that cause).
 * </pre>
 *
 * A hang-up (the kernel's word for "the peer is gone in both directions") while reading is
 * suspended is not the end: the peer's last bytes may still sit in the kernel. The transport
 * reads them, and the end of stream after them, as soon as reading resumes; so no byte the
 * kernel received is lost because the handler was applying backpressure.
 *
 * <p>Owned by its loop thread; the "any thread" methods of {@link Conn} hop onto it.
 */
final class SocketConnection extends TimedConnection implements Connection {
    enum Input { CONNECTING, OPEN, SUSPENDED, ENDED, LINGERING, CLOSED }

    enum Output { CONNECTING, OPEN, SHUTTING, SHUT, DRAINING, CLOSED }

    private final boolean datagram;
    private final Inbound inbound;
    private final Outbound outbound;
    private Socket socket;
    /** The offloaded work and the output waiting for it, from the first offload on. */
    private OrderedWork work;

    private volatile Input input = Input.CONNECTING;
    private volatile Output output = Output.CONNECTING;
    /** Why the connection closes once its output is drained (a cap was passed), else null. */
    private Throwable failure;
    /** Once closed: why (null for a clean close). */
    private volatile Throwable closeCause;
    private Timer closeTimer;
    /** While the input lingers: the next look at whether the peer has everything; its delay doubles. */
    private Timer lingerCheck;
    private long lingerCheckNanos;
    private List<AsyncCallback> closeCallbacks;
    /** For a dialed or enrolled connection: completes after onOpen, or fails with the cause. */
    private CompletableFuture<Conn> openFuture;
    private volatile Object context;
    private boolean inFlushList;
    /** The output passed its high watermark and has not fallen below the low one since. */
    private boolean unwritable;
    /** This connection's place in its loop's {@link ConnectionList}, or -1. */
    private int slot = -1;
    /** Whether this connection was dialed (its connection options were set before connect). */
    private boolean dialed;
    /** The SSLEngine between the handler's plaintext and the socket, or null for plaintext. */
    private TlsLayer tls;

    SocketConnection(Loop loop, boolean datagram, Object context) {
        super(loop);
        this.datagram = datagram;
        this.context = context;
        Options options = loop.options();
        this.inbound = new Inbound(loop);
        this.outbound = new Outbound(loop.pool(), options.writeBufferCap(), options.writeBufferHighWatermark(),
                options.writeBufferLowWatermark(), loop.counters());
    }

    // --------------------------------------------------------------------- the loop's side

    /** The transport's socket, once the transport made or took it. */
    void attach(Socket socket) {
        this.socket = socket;
    }

    /** Dialed: the transport set the connection options before connecting. */
    void dialed() {
        this.dialed = true;
    }

    /** Before bring-up: TLS between this connection's handler and its socket. */
    void secure(TlsLayer tls) {
        this.tls = tls;
    }

    Socket socket() {
        return socket;
    }

    @Override
    public TlsSession tls() {
        return tls;
    }

    /** Dialed or enrolled: {@code future} completes after onOpen, or fails with the cause. */
    void completeOpenWith(CompletableFuture<Conn> future) {
        this.openFuture = future;
    }

    boolean isConnecting() {
        return output == Output.CONNECTING;
    }

    /** Bring-up: applies the engine's socket options, then both halves are open. */
    void open(Options options) throws IOException {
        if (!datagram && socket.isInet()) {
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
        if (!dialed) {
            // A dialed socket got them from the transport before it connected.
            setAll(options.connectionOptions());
        }
        input = Input.OPEN;
        output = Output.OPEN;
        if (options.timeouts().watchesConnections()) {
            startTimeouts(options.timeouts());
        }
        if (tls != null) {
            tls.start();
            loop.needsFlush(this); // a client's hello
        }
    }

    /** After onOpen: the dial or enroll that asked for this connection is done. */
    void opened() {
        if (openFuture != null) {
            openFuture.complete(this);
        }
    }

    int slot() {
        return slot;
    }

    void slot(int slot) {
        this.slot = slot;
    }

    /** Whether this connection waits in the loop's flush list; set by the loop. */
    boolean inFlushList() {
        return inFlushList;
    }

    void inFlushList(boolean listed) {
        this.inFlushList = listed;
    }

    // ------------------------------------------------------------- transitions: the socket

    /** Bytes arrived: hands them to the handler (through TLS, if any), keeping what it leaves. */
    void received(ByteBuffer data) {
        if (input == Input.CLOSED && tls != null && tls.readsWhileClosing()) {
            tls.received(data); // the handshake's records, before a close's output can be encrypted
            return;
        }
        if (input == Input.CONNECTING || input == Input.CLOSED || input == Input.LINGERING) {
            return;
        }
        readActivity();
        if (tls != null) {
            tls.received(data);
        } else {
            deliver(data);
        }
    }

    /** Plaintext for the handler: lent in place, or appended to what it left last time. */
    void deliver(ByteBuffer data) {
        if (inbound.holdsBytes()) {
            inbound.append(data);
            inbound.lendHeld();
            try {
                loop.handlers().traffic(this);
            } finally {
                inbound.endLend();
            }
        } else {
            inbound.lend(data);
            try {
                loop.handlers().traffic(this);
            } finally {
                inbound.endLend();
            }
            if (!datagram && input != Input.CLOSED) {
                inbound.keepRest(data);
            }
        }
        afterTraffic();
        // Answer now rather than after every other ready socket has been read: still one send
        // for what this callback wrote, but the peer gets it (and can send its next request)
        // sooner. At low concurrency this is worth a third more throughput and less CPU per
        // message; writes made to this connection later in the iteration still wait for the end.
        if (inFlushList && isOpen()) {
            flushNow();
        }
    }

    private void afterTraffic() {
        int cap = loop.options().inboundBufferCap();
        int left = inbound.buffered();
        if (left > cap && input != Input.CLOSED) {
            JgnetEvents.capExceeded(this, "inbound", cap, left);
            closeNow(new IOException("inbound buffer cap of " + cap + " bytes exceeded: the handler left "
                    + left + " bytes unconsumed"));
            return;
        }
        inbound.releaseIfEmpty();
    }

    /** The peer sent end of stream: the handler chooses between close and half-close. */
    void inputEnded() {
        if (input == Input.LINGERING) {
            closeNow(null);
            return;
        }
        if (input != Input.OPEN && input != Input.SUSPENDED) {
            return;
        }
        if (tls != null) {
            Throwable failed = tls.tcpEnded();
            if (failed != null) {
                closeNow(failed);
                return;
            }
        }
        input = Input.ENDED;
        socket.readInterest(false);
        loop.handlers().halfClose(this);
        closeIfBothDirectionsDone();
    }

    /**
     * The peer is gone in both directions. While reading is suspended that is not the end yet:
     * what the kernel still holds is read when reading resumes, and the end of stream follows
     * it. Otherwise nothing is left to read and nothing can be sent: close.
     */
    void hungUp() {
        if (input != Input.SUSPENDED) {
            closeNow(null);
        }
    }

    /** The socket can take more output. */
    void writable() {
        writeProgressed();
        flush();
    }

    /** The socket failed (reset, refused, a read or write error). */
    void failed(IOException cause) {
        // After our FIN a reset from the peer ends a close that was already clean.
        closeNow(input == Input.LINGERING ? null : cause);
    }

    // -------------------------------------------------------------------------- read side

    @Override
    public ByteBuffer peek(int n) {
        loop.checkThread("peek");
        return inbound.peek(n);
    }

    @Override
    public ByteBuffer next(int n) {
        loop.checkThread("next");
        return inbound.next(n);
    }

    @Override
    public int discard(int n) {
        loop.checkThread("discard");
        return inbound.discard(n);
    }

    @Override
    public int inboundBuffered() {
        loop.checkThread("inboundBuffered");
        return inbound.buffered();
    }

    @Override
    public int read(ByteBuffer dst) {
        loop.checkThread("read");
        return inbound.read(dst);
    }

    @Override
    public void suspendReading() {
        loop.checkThread("suspendReading");
        if (input == Input.OPEN) {
            input = Input.SUSPENDED;
            socket.readInterest(false);
        }
    }

    @Override
    public void resumeReading() {
        loop.checkThread("resumeReading");
        if (input == Input.SUSPENDED) {
            input = Input.OPEN;
            socket.readInterest(true);
            readingResumed();
            if (tls != null) {
                tls.resumed();
            }
        }
    }

    // ------------------------------------------------------------------------- write side

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        checkOutputOpen("write");
        if (datagram) {
            sendDatagram(ByteBuffer.wrap(data, offset, length));
        } else if (heldForWork()) {
            byte[] copy = Arrays.copyOfRange(data, offset, offset + length);
            holdForWork(copy.length, () -> write(copy));
        } else {
            queued(outbound.append(data, offset, length));
        }
    }

    @Override
    public void write(ByteBuffer data) {
        checkOutputOpen("write");
        if (datagram) {
            sendDatagram(data);
        } else if (heldForWork()) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            holdForWork(copy.length, () -> write(copy));
        } else {
            queued(outbound.append(data));
        }
    }

    @Override
    public void writeFrame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
        checkOutputOpen("write");
        if (datagram || heldForWork()) {
            write(Buffers.frame(header, headerBytes, payload, trailer, trailerLength)); // one datagram, or one held write
        } else {
            queued(outbound.appendFrame(header, headerBytes, payload, trailer, trailerLength));
        }
    }

    @Override
    public void writev(ByteBuffer... data) {
        checkOutputOpen("writev");
        if (datagram) {
            sendDatagram(Buffers.concat(data));
            return;
        }
        if (heldForWork()) {
            write(Buffers.concat(data));
            return;
        }
        boolean withinCap = true;
        for (ByteBuffer buffer : data) {
            withinCap = outbound.append(buffer);
            if (!withinCap) {
                break;
            }
        }
        queued(withinCap);
    }

    @Override
    public void sendFile(FileChannel file, long position, long length) {
        try {
            checkOutputOpen("sendFile");
            if (datagram) {
                throw new UnsupportedOperationException("sendFile needs a stream connection, not the UDP socket "
                        + describe());
            }
            long size = file.size();
            if (position < 0 || length < 0 || position > size - length) {
                throw new IllegalArgumentException("region [" + position + ", +" + length + ") is not within the file ("
                        + size + " bytes)");
            }
        } catch (IOException e) {
            OutboundFiles.close(file);
            throw new UncheckedIOException("cannot send file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            OutboundFiles.close(file);
            throw e;
        }
        if (heldForWork()) {
            work.hold(0, outbound.cap(), () -> {
                outbound.appendFile(file, position, length);
                queued(true);
            }, () -> OutboundFiles.close(file));
            return;
        }
        outbound.appendFile(file, position, length);
        queued(true);
    }

    // ------------------------------------------------------------------- offloaded work

    @Override
    public void offload(Callable<byte[]> task) {
        checkOutputOpen("offload");
        if (datagram) {
            throw new UnsupportedOperationException("offload needs a stream connection, not the UDP socket " + describe());
        }
        if (work == null) {
            work = new OrderedWork(this, loop);
        }
        work.submit(task);
    }

    /** Whether output written now must wait behind offloaded work. */
    private boolean heldForWork() {
        return work != null && work.holds();
    }

    private void holdForWork(int bytes, Runnable write) {
        if (!work.hold(bytes, outbound.cap(), write)) {
            queued(false);
        }
    }

    /** Too many tasks outstanding: stops reading if it is on; true if it was. */
    boolean pauseReadingForWork() {
        if (input != Input.OPEN) {
            return false;
        }
        input = Input.SUSPENDED;
        socket.readInterest(false);
        return true;
    }

    /** Few enough tasks remain: reads again, and serves what the handler left buffered. */
    void resumeReadingAfterWork() {
        if (input != Input.SUSPENDED) {
            return;
        }
        input = Input.OPEN;
        socket.readInterest(true);
        if (inbound.buffered() > 0) {
            loop.handlers().traffic(this);
            if (output != Output.CLOSED) {
                inbound.releaseIfEmpty();
            }
        }
    }

    /** An offloaded task threw: the connection ends with its exception, as if the handler had thrown it. */
    void workFailed(Throwable cause) {
        if (output != Output.CLOSED) {
            handlerFailed(cause);
        }
    }

    private void queued(boolean withinCap) {
        if (withinCap) {
            loop.needsFlush(this);
            if (!unwritable && !outbound.isWritable()) {
                unwritable = true;
                JgnetEvents.writability(this, false, outbound.size());
            }
            return;
        }
        JgnetEvents.capExceeded(this, "write", outbound.cap(), 0);
        // Cut the connection, not the process: the output is dropped, and the close (with the
        // cap as cause) happens at the end of the batch, not inside the handler's write.
        failure = new IOException("write buffer cap of " + outbound.cap()
                + " bytes exceeded: the peer is not reading fast enough");
        if (tls != null) {
            tls.dropOutput();
        }
        beginClose(loop.options().closeTimeout());
    }

    private void sendDatagram(ByteBuffer datagram) {
        try {
            int bytes = datagram.remaining();
            socket.sendDatagram(datagram, null);
            loop.counters().wrote(bytes);
        } catch (IOException e) {
            closeNow(e);
        }
    }

    @Override
    public void flush() {
        loop.checkThread("flush");
        flushNow();
    }

    /** Sends what is pending (one write on a readiness transport); called by the loop at the end of a batch. */
    void flushNow() {
        Output state = output;
        if (state == Output.CLOSED || state == Output.CONNECTING) {
            return;
        }
        boolean closing = state == Output.SHUTTING || state == Output.DRAINING;
        boolean timed = watchedTimeouts() != null;
        int before = timed ? outputWaiting() : 0;
        try {
            if (tls != null) {
                tls.flush(outbound, closing);
            } else if (!outbound.isEmpty()) {
                socket.flush(outbound);
            }
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (timed) {
            flushed(before, outputWaiting());
        }
        if (outputSent(closing) && !drained()) {
            return;
        }
        if (outbound.becameWritable() && isOpen()) {
            unwritable = false;
            JgnetEvents.writability(this, true, outbound.size());
            loop.handlers().writable(this);
        }
    }

    /** The output is sent: a pending half-close or close happens now. False if that closed the connection. */
    private boolean drained() {
        switch (output) {
            case SHUTTING -> {
                output = Output.SHUT;
                try {
                    socket.shutdownOutput();
                } catch (IOException e) {
                    closeNow(e);
                    return false;
                }
                return !closeIfBothDirectionsDone();
            }
            case DRAINING -> {
                closeAfterFin(null);
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * The output the kernel has not taken, for the write timeout: with TLS the records waiting
     * too, so that encrypting (plaintext in, as many bytes of records out) is not progress and
     * output that is all encrypted but stuck still counts as waiting.
     */
    private int outputWaiting() {
        return tls == null ? outbound.size() : (int) Math.min(Integer.MAX_VALUE, (long) outbound.size() + tls.waiting());
    }

    /** Whether all output is out: the plaintext, and with TLS its records and (closing) close_notify. */
    private boolean outputSent(boolean closing) {
        return outbound.isEmpty() && (tls == null || tls.sent(closing));
    }

    /** Input ended and output shut down and sent: nothing more can happen, so close cleanly. */
    private boolean closeIfBothDirectionsDone() {
        if (input == Input.ENDED && output == Output.SHUT) {
            closeNow(null);
            return true;
        }
        return false;
    }

    @Override
    public int outboundBuffered() {
        loop.checkThread("outboundBuffered");
        return outbound.size();
    }

    @Override
    public boolean isWritable() {
        return outbound.isWritable() && isOpen();
    }

    @Override
    public void shutdownOutput() {
        loop.checkThread("shutdownOutput");
        if (datagram) {
            throw new IllegalStateException("shutdownOutput needs a stream connection, not the UDP socket " + describe());
        }
        checkOutputOpen("shutdownOutput");
        output = Output.SHUTTING;
        loop.needsFlush(this);
    }

    private void checkOutputOpen(String operation) {
        loop.checkThread(operation);
        Output state = output;
        if (state != Output.OPEN) {
            String why = switch (state) {
                case SHUTTING, SHUT -> "has shut down its output";
                case DRAINING -> "is closing";
                case CONNECTING -> "is not open yet";
                default -> "is closed";
            };
            throw new IllegalStateException("connection " + describe() + " " + why + ": cannot " + operation);
        }
    }

    // ------------------------------------------------------------------------ closing

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
            loop.handlers().callback(callback, this, null);
        }
    }

    private void closeOnLoop(AsyncCallback callback) {
        if (output == Output.CLOSED) {
            loop.handlers().callback(callback, this, null);
            return;
        }
        if (heldForWork()) {
            // Replies of work offloaded before the close go out first; nothing more is read.
            pauseReadingForWork();
            work.holdClose(() -> closeOnLoop(callback));
            return;
        }
        if (callback != null) {
            if (closeCallbacks == null) {
                closeCallbacks = new ArrayList<>(1);
            }
            closeCallbacks.add(callback);
        }
        beginClose(loop.options().closeTimeout());
    }

    /** Stops reading and closes once the pending output is sent, or at {@code timeout}. */
    void beginClose(Duration timeout) {
        switch (output) {
            case CLOSED -> {
                return;
            }
            case CONNECTING, SHUT -> {
                closeNow(null);
                return;
            }
            case DRAINING -> {
                // Already draining: only the deadline may move closer.
            }
            default -> {
                if (input != Input.CLOSED) {
                    input = Input.CLOSED;
                    // A TLS handshake still reads: the pending output waits for its keys.
                    socket.readInterest(tls != null && tls.readsWhileClosing());
                }
                output = Output.DRAINING;
            }
        }
        if (failure == null && outputSent(true)) {
            closeAfterFin(timeout);
            return;
        }
        loop.needsFlush(this);
        if (failure != null) {
            return;
        }
        armCloseTimer(timeout);
    }

    private void armCloseTimer(Duration timeout) {
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        closeTimer = loop.scheduleOnLoop(() -> {
            if (loop.isStopping()) {
                // The stop gives each connection its deadline as close timeout: dropping output
                // here (or closing while the peer has not acknowledged all of it, which its next
                // bytes would turn into a reset) means the stop did not deliver everything, which
                // stop() must report.
                cutAtStopDeadline();
                return;
            }
            long unacknowledged = input == Input.LINGERING ? unacknowledged() : 0;
            closeNow(new IOException(input != Input.LINGERING
                    ? "close timed out after " + timeout.toMillis() + " ms with " + outbound.size() + " bytes unsent"
                    : unacknowledged > 0
                    ? "close timed out after " + timeout.toMillis() + " ms with " + unacknowledged
                            + " bytes the peer had not acknowledged"
                    : "close timed out after " + timeout.toMillis() + " ms: the peer kept sending after FIN"));
        }, timeout.toNanos());
    }

    /**
     * The engine's stop deadline passed with this connection still open: closes it, counting it
     * as cut unless the peer had acknowledged every byte and the FIN (it was only lingering for
     * the peer's end of stream).
     */
    void cutAtStopDeadline() {
        boolean delivered = input == Input.LINGERING && unacknowledged() == 0;
        if (!delivered) {
            loop.engine().markCut();
        }
        closeNow(delivered ? null : new IOException(input == Input.LINGERING
                ? "engine stopped before the peer acknowledged " + unacknowledged() + " bytes of output"
                : "engine stopped with " + outbound.size() + " bytes of output unsent"));
    }

    /**
     * A clean close, every byte written handed to the kernel: shut the output down first, so the
     * peer gets FIN after the last byte on every transport. The descriptor is closed only once
     * that cannot cost the peer any of it: a socket closed while the peer still sends answers
     * those bytes (unread input now, or input arriving later) with a reset, and a reset throws
     * away whatever output the kernel still holds. So the input lingers (read and dropped) while
     * the peer has unread bytes in flight or has not acknowledged all our output and the FIN,
     * until the peer's end of stream, a reset, or the close deadline ({@code timeout}, or the one
     * already running). A closed socket that the peer writes to afterwards still resets it, but
     * only after the peer's kernel holds every byte and the FIN: it reads them, then the end.
     */
    private void closeAfterFin(Duration timeout) {
        if (input == Input.LINGERING) {
            if (timeout != null) {
                armCloseTimer(timeout);
            }
            return;
        }
        if (datagram || socket == null || failure != null) {
            closeNow(null);
            return;
        }
        long unread;
        try {
            socket.shutdownOutput();
            unread = socket.discardInput();
        } catch (IOException e) {
            closeNow(null); // the peer is gone already: nothing left to tell it
            return;
        }
        if (deliveredAfterFin(unread)) {
            closeNow(null);
            return;
        }
        input = Input.LINGERING;
        socket.readInterest(true);
        lingerCheckNanos = FIRST_LINGER_CHECK_NANOS;
        scheduleLingerCheck();
        if (timeout != null || closeTimer == null) {
            armCloseTimer(timeout != null ? timeout : loop.options().closeTimeout());
        }
    }

    private static final long FIRST_LINGER_CHECK_NANOS = 1_000_000;
    private static final long LAST_LINGER_CHECK_NANOS = 100_000_000;

    /**
     * Whether closing now costs the peer nothing: it ended its output ({@code unread} -1), or
     * nothing of its input is unread and its kernel acknowledged all our output and the FIN.
     */
    private boolean deliveredAfterFin(long unread) {
        return unread < 0 || (unread == 0 && unacknowledged() <= 0);
    }

    /**
     * The output the peer has not acknowledged, from the kernel; 0 where the transport cannot
     * tell (a unix socket on nio, nio off Linux), so there only unread input lingers.
     */
    private long unacknowledged() {
        return socket == null ? 0 : Math.max(0, socket.unacknowledgedOutput());
    }

    /**
     * Acknowledgements come with no event to wait for, so a lingering connection looks again
     * after 1 ms, then twice as long each time up to 100 ms: a peer reading at full speed is
     * let go within a few milliseconds, and a slow one costs a read and an ioctl a few times a second.
     */
    private void scheduleLingerCheck() {
        lingerCheck = loop.scheduleOnLoop(this::checkLinger, lingerCheckNanos);
        lingerCheckNanos = Math.min(LAST_LINGER_CHECK_NANOS, lingerCheckNanos * 2);
    }

    private void checkLinger() {
        lingerCheck = null;
        if (input != Input.LINGERING) {
            return;
        }
        long unread;
        try {
            unread = socket.discardInput();
        } catch (IOException e) {
            closeNow(null); // after our FIN the peer's reset ends a close that was already clean
            return;
        }
        if (deliveredAfterFin(unread)) {
            closeNow(null);
        } else {
            scheduleLingerCheck();
        }
    }

    @Override
    public void handlerFailed(Throwable cause) {
        closeNow(cause);
    }

    @Override
    public boolean hearsOnClose() {
        return output != Output.CONNECTING;
    }

    /** Closes at once: releases the socket and buffers, tells the handler, runs close callbacks. */
    void closeNow(Throwable cause) {
        Output was = output;
        if (was == Output.CLOSED) {
            return;
        }
        if (failure != null) {
            // A cap was passed earlier in this batch: that is why the connection ends, not the
            // write the handler tried next (which throws because the connection is closing).
            if (cause != null && cause != failure) {
                failure.addSuppressed(cause);
            }
            cause = failure;
            failure = null;
        }
        closeCause = cause;
        input = Input.CLOSED;
        output = Output.CLOSED;
        if (closeTimer != null) {
            closeTimer.cancel();
            closeTimer = null;
        }
        stopTimeouts();
        if (lingerCheck != null) {
            lingerCheck.cancel();
            lingerCheck = null;
        }
        if (socket != null) {
            socket.close();
        }
        inbound.release();
        outbound.close();
        if (tls != null) {
            tls.release();
        }
        if (work != null) {
            work.discard();
        }
        if (was != Output.CONNECTING) {
            loop.closed(this, cause);
        } else if (openFuture != null) {
            openFuture.completeExceptionally(cause != null ? cause
                    : new IOException("connection to " + describe() + " closed before it was open"));
        } else {
            loop.notTaken(this, cause);
        }
        if (closeCallbacks != null) {
            for (AsyncCallback callback : closeCallbacks) {
                loop.handlers().callback(callback, this, null);
            }
            closeCallbacks = null;
        }
    }

    // ----------------------------------------------------------------------- timeouts

    /**
     * A timeout expired: the handler decides. Closing for a timeout sends what is pending first
     * (a last reply the handler wrote, say) with the timeout as the cause; a write timeout closes
     * at once, its output not moving. True if the handler kept the connection open.
     */
    @Override
    boolean timedOut(ConnectionTimeoutException timeout) {
        Action action = loop.handlers().timedOut(this, timeout);
        if (!isOpen()) {
            return false;
        }
        if (action != Action.CLOSE) {
            return true;
        }
        if (timeout.kind() == ConnectionTimeoutException.Kind.WRITE || outbound.isEmpty()) {
            closeNow(timeout);
        } else {
            beginClose(loop.options().closeTimeout());
            if (output == Output.DRAINING) {
                // Reported when the output has drained (or with the close timeout, if it does not).
                failure = timeout;
            }
        }
        return false;
    }

    /** Whether the input is open: what a read timeout watches. */
    @Override
    boolean isReading() {
        return input == Input.OPEN;
    }

    @Override
    boolean hasPendingOutput() {
        return !outbound.isEmpty();
    }

    @Override
    public Timeouts timeouts() {
        loop.checkThread("timeouts");
        Timeouts watched = watchedTimeouts();
        return watched != null ? watched : loop.options().timeouts();
    }

    @Override
    public void timeouts(Consumer<? super Timeouts.Builder> changes) {
        loop.checkThread("timeouts");
        if (changes == null) {
            throw new IllegalArgumentException("timeouts changes must not be null");
        }
        if (!isOpen()) {
            throw new IllegalStateException("cannot change the timeouts of " + describe() + ": it is "
                    + (output == Output.CONNECTING ? "not open yet" : "closing"));
        }
        Timeouts.Builder builder = timeouts().toBuilder();
        changes.accept(builder);
        Timeouts changed = builder.build();
        if (watchedTimeouts() != null) {
            watch(changed);
        } else if (changed.watchesConnections()) {
            startTimeouts(changed);
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
        if (!isOpen()) {
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
        loop.handlers().callback(callback, this, error);
    }

    @Override
    public void wake(AsyncCallback callback) {
        loop.execute(() -> {
            if (isOpen()) {
                loop.counters().messageIn();
                loop.handlers().traffic(this);
                if (output != Output.CLOSED) {
                    inbound.releaseIfEmpty();
                }
                loop.handlers().callback(callback, this, null);
            } else {
                loop.handlers().callback(callback, this, closedError());
            }
        });
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
        Output state = output;
        return state == Output.OPEN || state == Output.SHUTTING || state == Output.SHUT;
    }

    /** The input half now (for tests and diagnostics). */
    Input input() {
        return input;
    }

    /** The output half now (for tests and diagnostics). */
    Output output() {
        return output;
    }

    /** Once closed, why (null for a clean close, or while open). Any thread. */
    Throwable closeCause() {
        return closeCause;
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
        return socket == null ? null : socket.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return socket == null ? null : socket.remoteAddress();
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    String describe() {
        return remoteAddress() + " (loop " + loop.index() + ")";
    }

    @Override
    public String toString() {
        return "Conn[" + localAddress() + " <-> " + remoteAddress() + ", input " + input + ", output " + output + "]";
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
        if (output == Output.CLOSED) {
            throw new IllegalStateException("cannot set " + option.name() + " on " + describe() + ": closed");
        }
        try {
            socket.setOption(option, value);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot set " + option.name() + "=" + value + " on " + describe()
                    + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void setAll(Map<SocketOption<?>, Object> options) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> entry : options.entrySet()) {
            socket.setOption((SocketOption) entry.getKey(), entry.getValue());
        }
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) {
        checkSocket("setOption " + option.name());
        try {
            socket.setOption(option, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set " + option.name() + "=" + value + " on " + describe()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T getOption(SocketOption<T> option) {
        checkSocket("getOption " + option.name());
        try {
            return socket.getOption(option);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + option.name() + " of " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private void checkSocket(String operation) {
        loop.checkThread(operation);
        if (output == Output.CLOSED) {
            throw new IllegalStateException("cannot " + operation + " on " + describe() + ": closed");
        }
    }

    // --------------------------------------------------------------------------- datagrams

    @Override
    public void sendTo(SocketAddress to, ByteBuffer datagram) {
        requireDatagram("sendTo");
        DatagramSends.sendTo(loop, (bytes, destination) -> {
            if (output == Output.CLOSED) {
                throw new IOException("the connection is closed");
            }
            socket.sendDatagram(bytes, destination);
        }, to, datagram, this);
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
        requireDatagram(join ? "joinGroup" : "leaveGroup");
        checkSocket(join ? "joinGroup" : "leaveGroup");
        DatagramSends.membership(loop, socket::membership, join, group, networkInterface, this);
    }

    private void requireDatagram(String operation) {
        if (!datagram) {
            throw new UnsupportedOperationException(operation + " needs a datagram socket, and " + describe()
                    + " is a stream connection");
        }
    }
}
