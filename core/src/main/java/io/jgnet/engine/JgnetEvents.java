package io.jgnet.engine;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * jgnet's JDK Flight Recorder events, and the one place the engine emits them;
 * {@code jfr print --categories jgnet rec.jfr} shows them. The rare ones that say something is
 * wrong (SlowIteration, BlockedLoop, BufferCapExceeded) are on in every recording; the ones
 * that come per connection (ConnectionOpened, ConnectionClosed, WritabilityChanged) are off
 * unless a recording enables them by name, since a busy server opens thousands of connections
 * a second (a three-minute soak recorded 520,000 of each, 41 MB).
 *
 * <p>Each emitter first asks a probe instance of its event whether the event is enabled: until a
 * recording enables it, that is a read of one static field (JFR switches it when recordings
 * start and stop) and nothing is allocated, so the events cost a loop nothing when no one
 * records.
 *
 * <p>Emitters run on loop threads, except {@link #blockedLoop} (the watcher's thread).
 */
final class JgnetEvents {
    private static final ConnectionOpened OPENED = new ConnectionOpened();
    private static final ConnectionClosed CLOSED = new ConnectionClosed();
    private static final SlowIteration SLOW = new SlowIteration();
    private static final BufferCapExceeded CAP = new BufferCapExceeded();
    private static final WritabilityChanged WRITABILITY = new WritabilityChanged();
    private static final TlsHandshakeDone TLS_DONE = new TlsHandshakeDone();
    private static final TlsHandshakeFailed TLS_FAILED = new TlsHandshakeFailed();

    private JgnetEvents() {
    }

    /**
     * Loads the event classes. Loading a JFR event class is slow even with no recording (the
     * JDK inspects and instruments it: hundreds of milliseconds on a busy machine), so the engine
     * does it on the thread that starts it, not on a loop in front of its first connection.
     */
    static void load() {
        // Running this method initialised the class, and with it the probe events.
    }

    static void opened(SocketConnection conn) {
        if (OPENED.isEnabled()) {
            ConnectionOpened event = new ConnectionOpened();
            event.loop = conn.eventLoop().index();
            event.remoteAddress = String.valueOf(conn.remoteAddress());
            event.localAddress = String.valueOf(conn.localAddress());
            event.commit();
        }
    }

    static void closed(SocketConnection conn, Throwable cause) {
        if (CLOSED.isEnabled()) {
            ConnectionClosed event = new ConnectionClosed();
            event.loop = conn.eventLoop().index();
            event.remoteAddress = String.valueOf(conn.remoteAddress());
            event.cause = cause == null ? null : cause.toString();
            event.commit();
        }
    }

    static void slowIteration(int loop, long busyNanos, long thresholdNanos) {
        if (SLOW.isEnabled()) {
            SlowIteration event = new SlowIteration();
            event.loop = loop;
            event.busy = busyNanos;
            event.threshold = thresholdNanos;
            event.commit();
        }
    }

    static void capExceeded(SocketConnection conn, String buffer, int cap, long size) {
        if (CAP.isEnabled()) {
            BufferCapExceeded event = new BufferCapExceeded();
            event.loop = conn.eventLoop().index();
            event.remoteAddress = String.valueOf(conn.remoteAddress());
            event.buffer = buffer;
            event.cap = cap;
            event.size = size;
            event.commit();
        }
    }

    static void writability(SocketConnection conn, boolean writable, int pending) {
        if (WRITABILITY.isEnabled()) {
            WritabilityChanged event = new WritabilityChanged();
            event.loop = conn.eventLoop().index();
            event.remoteAddress = String.valueOf(conn.remoteAddress());
            event.writable = writable;
            event.pending = pending;
            event.commit();
        }
    }

    static void tlsHandshakeDone(SocketConnection conn, long startNanos, String protocol, String cipherSuite,
            String applicationProtocol) {
        if (TLS_DONE.isEnabled()) {
            TlsHandshakeDone event = new TlsHandshakeDone();
            event.loop = conn.eventLoop().index();
            event.remoteAddress = String.valueOf(conn.remoteAddress());
            event.took = System.nanoTime() - startNanos;
            event.protocol = protocol;
            event.cipherSuite = cipherSuite;
            event.applicationProtocol = applicationProtocol;
            event.commit();
        }
    }

    static void tlsHandshakeFailed(SocketConnection conn, long startNanos, Throwable cause) {
        if (TLS_FAILED.isEnabled()) {
            TlsHandshakeFailed event = new TlsHandshakeFailed();
            event.loop = conn.eventLoop().index();
            event.remoteAddress = String.valueOf(conn.remoteAddress());
            event.took = System.nanoTime() - startNanos;
            event.cause = cause.toString();
            event.commit();
        }
    }

    /** Committed by the watcher: the loop's own stack goes in a field, the event's is the watcher's. */
    static void blockedLoop(int loop, String thread, long blockedNanos, long thresholdNanos, String stack) {
        BlockedLoop event = new BlockedLoop();
        if (event.isEnabled()) {
            event.loop = loop;
            event.thread = thread;
            event.blocked = blockedNanos;
            event.threshold = thresholdNanos;
            event.stack = stack;
            event.commit();
        }
    }

    @Name("io.jgnet.ConnectionOpened")
    @Label("Connection Opened")
    @Category("jgnet")
    @Description("A connection was accepted, dialed or enrolled, and onOpen is about to run")
    @StackTrace(false)
    @Enabled(false)
    static final class ConnectionOpened extends Event {
        @Label("Loop")
        int loop;
        @Label("Remote Address")
        String remoteAddress;
        @Label("Local Address")
        String localAddress;
    }

    @Name("io.jgnet.ConnectionClosed")
    @Label("Connection Closed")
    @Category("jgnet")
    @Description("A connection closed; the cause is empty for a clean close")
    @StackTrace(false)
    @Enabled(false)
    static final class ConnectionClosed extends Event {
        @Label("Loop")
        int loop;
        @Label("Remote Address")
        String remoteAddress;
        @Label("Cause")
        String cause;
    }

    @Name("io.jgnet.SlowIteration")
    @Label("Slow Loop Iteration")
    @Category("jgnet")
    @Description("One turn of an event loop worked longer than the slow-iteration threshold")
    @StackTrace(false)
    static final class SlowIteration extends Event {
        @Label("Loop")
        int loop;
        @Label("Busy")
        @Timespan
        long busy;
        @Label("Threshold")
        @Timespan
        long threshold;
    }

    @Name("io.jgnet.BlockedLoop")
    @Label("Blocked Loop")
    @Category("jgnet")
    @Description("An event loop has run one turn past the blocked-loop threshold; the stack is the loop thread's")
    @StackTrace(false)
    static final class BlockedLoop extends Event {
        @Label("Loop")
        int loop;
        @Label("Thread")
        String thread;
        @Label("Blocked For")
        @Timespan
        long blocked;
        @Label("Threshold")
        @Timespan
        long threshold;
        @Label("Loop Stack")
        String stack;
    }

    @Name("io.jgnet.BufferCapExceeded")
    @Label("Buffer Cap Exceeded")
    @Category("jgnet")
    @Description("A connection passed its inbound or write buffer cap and is being closed")
    @StackTrace(false)
    static final class BufferCapExceeded extends Event {
        @Label("Loop")
        int loop;
        @Label("Remote Address")
        String remoteAddress;
        @Label("Buffer")
        String buffer;
        @Label("Cap")
        @DataAmount
        int cap;
        @Label("Size")
        @Description("Bytes held past the cap (inbound); 0 for the write buffer, whose output is already dropped")
        @DataAmount
        long size;
    }

    @Name("io.jgnet.WritabilityChanged")
    @Label("Writability Changed")
    @Category("jgnet")
    @Description("A connection's output passed the high watermark (not writable) or fell below the low one (writable)")
    @StackTrace(false)
    @Enabled(false)
    static final class WritabilityChanged extends Event {
        @Label("Loop")
        int loop;
        @Label("Remote Address")
        String remoteAddress;
        @Label("Writable")
        boolean writable;
        @Label("Pending")
        @DataAmount
        int pending;
    }

    @Name("io.jgnet.TlsHandshakeDone")
    @Label("TLS Handshake Done")
    @Category("jgnet")
    @Description("A TLS connection finished its handshake (the first one; renegotiation is off)")
    @StackTrace(false)
    static final class TlsHandshakeDone extends Event {
        @Label("Loop")
        int loop;
        @Label("Remote Address")
        String remoteAddress;
        @Label("Took")
        @Description("From the connection coming up to the handshake's end")
        @Timespan
        long took;
        @Label("Protocol")
        String protocol;
        @Label("Cipher Suite")
        String cipherSuite;
        @Label("ALPN Protocol")
        String applicationProtocol;
    }

    @Name("io.jgnet.TlsHandshakeFailed")
    @Label("TLS Handshake Failed")
    @Category("jgnet")
    @Description("A TLS handshake failed, stalled past its timeout or was cut off; the connection closes with the cause")
    @StackTrace(false)
    static final class TlsHandshakeFailed extends Event {
        @Label("Loop")
        int loop;
        @Label("Remote Address")
        String remoteAddress;
        @Label("Took")
        @Description("From the connection coming up to the failure")
        @Timespan
        long took;
        @Label("Cause")
        String cause;
    }
}
