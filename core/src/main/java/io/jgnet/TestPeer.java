package io.jgnet;

import io.jgnet.engine.EmbeddedConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The far end of one connection to your handler, without sockets: for unit tests of an
 * {@link EventHandler}, as Netty's EmbeddedChannel. The handler runs on a real jgnet event loop
 * over an in-memory transport, exactly as it would behind a socket (same callbacks, same
 * {@link Conn}, same buffering, watermarks, caps and close rules); the test plays the peer.
 *
 * <pre>{@code
 * try (TestPeer peer = TestPeer.connect(new EchoHandler(), Options.defaults())) {
 *     peer.send("hello");
 *     assertEquals("hello", peer.receivedText());
 *     peer.shutdownOutput();              // the handler's onHalfClose runs
 *     assertTrue(peer.isClosed());
 *     assertNull(peer.closeCause());      // a clean close
 * }
 * }</pre>
 *
 * <p>Each method returns once the loop has handled what it did: the callbacks it causes have run
 * and what the handler wrote has been flushed. Timers ({@link EventLoop#schedule}, the close
 * timeout) run in real time; {@link #awaitClosed} waits for them.
 *
 * <p>Threading: use a peer from one test thread at a time. {@link #conn()} follows the rules of
 * {@link Conn} (its loop-thread methods throw from the test thread; use {@link Conn#execute}).
 */
public final class TestPeer implements AutoCloseable {
    private final EmbeddedConnection connection;

    private TestPeer(EmbeddedConnection connection) {
        this.connection = connection;
    }

    /**
     * Starts a one-loop engine for {@code handler} on the in-memory transport and connects:
     * {@link EventHandler#onOpen} has run when this returns. {@code options} apply as in an
     * engine (buffer caps, watermarks, close timeout); the loop count and transport are fixed.
     */
    public static TestPeer connect(EventHandler handler, Options options) throws IOException {
        return new TestPeer(EmbeddedConnection.open(handler, options));
    }

    /** The handler's side of the connection. */
    public Conn conn() {
        return connection.conn();
    }

    /** Sends {@code bytes} to the handler (copied): onTraffic runs, unless it suspended reading. */
    public void send(byte[] bytes) throws IOException {
        connection.send(bytes);
    }

    /** Sends {@code text} as UTF-8. */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes the handler sent since the last call. */
    public byte[] received() throws IOException {
        return connection.received();
    }

    /** The bytes the handler sent since the last call, as UTF-8 text. */
    public String receivedText() throws IOException {
        return new String(received(), StandardCharsets.UTF_8);
    }

    /** Half-closes: the handler reads end of stream and its {@link EventHandler#onHalfClose} runs. */
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    /** Resets the connection: it closes with an {@link IOException} as cause. */
    public void reset() throws IOException {
        connection.reset();
    }

    /**
     * Stops reading: what the handler writes from now on waits in the connection, as behind a
     * slow peer ({@link Conn#isWritable()} turns false past the high watermark).
     */
    public void stopReading() throws IOException {
        connection.stopReading();
    }

    /** Reads again: the waiting output arrives, and {@link EventHandler#onWritable} may run. */
    public void resumeReading() throws IOException {
        connection.resumeReading();
    }

    /** Whether the handler shut down its output ({@link Conn#shutdownOutput}) and it was sent. */
    public boolean outputShutDown() throws IOException {
        return connection.outputShutDown();
    }

    /** Lets the loop run once more: tasks queued with {@link Conn#execute}, due timers, flushes. */
    public void runPending() throws IOException {
        connection.runPending();
    }

    /** Whether the connection is closed (its onClose has run). */
    public boolean isClosed() {
        return connection.isClosed();
    }

    /** Why the connection closed: {@code null} for a clean close (or while open). */
    public Throwable closeCause() {
        return connection.closeCause();
    }

    /** Waits up to {@code timeout} for the connection to close, letting timers run; whether it did. */
    public boolean awaitClosed(Duration timeout) throws IOException {
        return connection.awaitClosed(timeout);
    }

    /** Stops the engine; an open connection is closed first (its onClose runs). */
    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
