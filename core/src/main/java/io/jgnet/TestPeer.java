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
 * and what the handler wrote has been flushed. Time is virtual: timers ({@link EventLoop#schedule},
 * the close timeout, the connection's {@link Timeouts}) run only when the test moves the clock
 * with {@link #advance}, so a test of a 60-second timeout neither waits nor sleeps:
 *
 * <pre>{@code
 * peer.advance(Duration.ofSeconds(59));
 * assertFalse(peer.isClosed());
 * peer.advance(Duration.ofSeconds(1));   // the idle timeout expires
 * assertInstanceOf(ConnectionTimeoutException.class, peer.closeCause());
 * }</pre>
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
     *
     * @param handler the handler under test; must not be null
     * @param options the options the handler's engine runs with, for example
     *                {@link Options#defaults()}; must not be null
     * @return the peer, connected; close it to stop the engine
     * @throws IOException if the engine cannot start, or the connection is not made within 20
     *                     seconds (nothing is left running)
     */
    public static TestPeer connect(EventHandler handler, Options options) throws IOException {
        return new TestPeer(EmbeddedConnection.open(handler, options));
    }

    /**
     * {@return the handler's side of the connection, the same {@link Conn} its callbacks get} Its
     * loop-thread methods throw from the test thread.
     */
    public Conn conn() {
        return connection.conn();
    }

    /**
     * Sends {@code bytes} to the handler (copied): onTraffic runs, unless it suspended reading.
     *
     * @param bytes the bytes the handler reads next, all of them; the array may be reused at once
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void send(byte[] bytes) throws IOException {
        connection.send(bytes);
    }

    /**
     * Sends {@code text} as UTF-8, as {@link #send(byte[])}.
     *
     * @param text the text the handler reads next, encoded as UTF-8
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return the bytes the handler sent since the last call, a new array; empty if none}
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public byte[] received() throws IOException {
        return connection.received();
    }

    /**
     * {@return the bytes the handler sent since the last call, decoded as UTF-8; empty if none}
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public String receivedText() throws IOException {
        return new String(received(), StandardCharsets.UTF_8);
    }

    /**
     * Half-closes: the handler reads end of stream and its {@link EventHandler#onHalfClose} runs.
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    /**
     * Resets the connection: it closes with an {@link IOException} as cause.
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void reset() throws IOException {
        connection.reset();
    }

    /**
     * Stops reading: what the handler writes from now on waits in the connection, as behind a
     * slow peer ({@link Conn#isWritable()} turns false past the high watermark).
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void stopReading() throws IOException {
        connection.stopReading();
    }

    /**
     * Reads again: the waiting output arrives, and {@link EventHandler#onWritable} may run.
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void resumeReading() throws IOException {
        connection.resumeReading();
    }

    /**
     * {@return whether the handler shut down its output ({@link Conn#shutdownOutput}) and it was
     * sent, so the peer would read end of stream}
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public boolean outputShutDown() throws IOException {
        return connection.outputShutDown();
    }

    /**
     * Lets the loop run once more: tasks queued with {@link Conn#execute}, due timers, flushes.
     *
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void runPending() throws IOException {
        connection.runPending();
    }

    /** {@return whether the connection is closed (its onClose has run)} */
    public boolean isClosed() {
        return connection.isClosed();
    }

    /** {@return why the connection closed: {@code null} for a clean close (or while open)} */
    public Throwable closeCause() {
        return connection.closeCause();
    }

    /**
     * Moves the handler's clock forward by {@code duration}: every timer due meanwhile runs, in
     * deadline order, each at the time it was due (a timer that arms another within the span sees
     * that one run too). Returns once they have run and what they wrote is flushed.
     *
     * @param duration how far to move the virtual clock; must not be null or negative
     * @throws IllegalArgumentException if {@code duration} is null or negative
     * @throws IOException if the loop does not run the step within 20 seconds (a handler blocking
     *                     its loop, say), or the test thread is interrupted while it waits (its
     *                     interrupt status is kept)
     */
    public void advance(Duration duration) throws IOException {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("advance needs a duration of zero or more, was " + duration);
        }
        connection.advance(duration);
    }

    /** Stops the engine; an open connection is closed first (its onClose runs). */
    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
