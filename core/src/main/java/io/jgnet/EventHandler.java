package io.jgnet;

import java.time.Duration;

/**
 * The one interface a jgnet user implements. Every method has a default, so a handler overrides
 * only what it needs; an echo server is a single {@link #onTraffic} method.
 *
 * <h2>Threading and ownership</h2>
 * One handler instance serves every connection of its engine, on every loop; jgnet keeps a
 * reference to it until the engine has stopped and never copies it.
 *
 * <p>Every callback about a connection runs on that connection's own event loop thread, one at a
 * time, so a handler needs no locks for per-connection state (keep it in {@link Conn#context}).
 * Callbacks for different connections may run at the same time on different loops, so state
 * shared between connections must be thread-safe. Callbacks must not block: a blocked callback
 * stalls every connection of its loop. Hand blocking work to another thread and answer with
 * {@link Conn#asyncWrite}.
 *
 * <h2>Errors</h2>
 * An exception thrown by a connection callback ({@link CodecException} and {@link Error}s
 * included) closes that connection only, and its {@link #onClose} receives the exception as the
 * cause; the loop goes on. A handler that does not override {@code onClose} has nobody to hear
 * the cause, so jgnet logs it once at WARNING (logger {@code io.jgnet}) naming the connection,
 * rate-limited per loop so that a client provoking failures cannot flood the log. Override
 * {@code onClose} to take charge of causes yourself: then nothing is logged. Failures about a
 * UDP listener's datagram are always logged, as it has no {@code onClose}.
 */
public interface EventHandler {

    /**
     * Called once, on the thread that starts the engine, after the listeners are bound and before
     * the loops serve traffic. Returning {@link Action#SHUTDOWN} stops the engine at once.
     *
     * @param engine the engine, its listeners bound
     * @return {@link Action#NONE} to serve, {@link Action#SHUTDOWN} to stop
     */
    default Action onBoot(Engine engine) {
        return Action.NONE;
    }

    /**
     * A connection is ready (accepted, dialed or enrolled). The handler may write a greeting.
     * Not called for the per-datagram connections of a UDP listener.
     *
     * @param conn the new connection
     * @return what to do with it: {@link Action#NONE}, {@link Action#CLOSE} or {@link Action#SHUTDOWN}
     */
    default Action onOpen(Conn conn) {
        return Action.NONE;
    }

    /**
     * Bytes arrived (for UDP: one datagram arrived). Consume what you can with the read side of
     * {@link Conn}; bytes left unconsumed stay buffered for the next call. Also called after
     * {@link Conn#wake}, with whatever is buffered (possibly nothing).
     *
     * @param conn the connection with bytes to read
     * @return what to do with it: {@link Action#NONE}, {@link Action#CLOSE} or {@link Action#SHUTDOWN}
     */
    default Action onTraffic(Conn conn) {
        return Action.NONE;
    }

    /**
     * The connection is closed: both by {@code Action.CLOSE}/{@link Conn#close} and by the peer
     * or an error. {@code cause} is {@code null} for a clean close (ours or the peer's orderly
     * shutdown) and says why otherwise. The return value is honoured only for
     * {@link Action#SHUTDOWN}.
     *
     * @param conn  the closed connection
     * @param cause why it closed, or {@code null} for a clean close
     * @return {@link Action#SHUTDOWN} to stop the engine; anything else is ignored
     */
    default Action onClose(Conn conn, Throwable cause) {
        return Action.NONE;
    }

    /**
     * The peer shut down its sending side: no more bytes will arrive, but the connection can
     * still send. The default returns {@link Action#CLOSE}: send what is pending, then close (as
     * gnet does). Return {@link Action#NONE} to keep the connection half-open and go on
     * writing, for example in a proxy that passes the half-close on with
     * {@link Conn#shutdownOutput()}; close it yourself when done.
     *
     * @param conn the connection whose peer stopped sending
     * @return {@link Action#CLOSE} to close it, {@link Action#NONE} to keep it half-open
     */
    default Action onHalfClose(Conn conn) {
        return Action.CLOSE;
    }

    /**
     * The connection's pending output, which had passed the high watermark
     * ({@link Conn#isWritable()} was false), dropped below the low watermark: it can take more.
     * A producer that paused (for example with {@link Conn#suspendReading()} on its source)
     * resumes here.
     *
     * @param conn the connection that can take more output
     * @return what to do with it: {@link Action#NONE}, {@link Action#CLOSE} or {@link Action#SHUTDOWN}
     */
    default Action onWritable(Conn conn) {
        return Action.NONE;
    }

    /**
     * One of the connection's {@link Timeouts} expired; {@code timeout} says which. The default
     * returns {@link Action#CLOSE}: the connection sends what it has written and closes, and
     * {@link #onClose} receives {@code timeout} as the cause (a write timeout closes at once: its
     * output is not moving). Override it to decide yourself: write a last reply first (an HTTP
     * 408, say) and return {@code CLOSE}; or send a ping and return {@link Action#NONE}, which
     * keeps the connection and restarts that timeout's clock from now.
     *
     * @param conn    the connection whose timeout expired; open
     * @param timeout which timeout, and how long it was; the cause onClose gets if this closes
     * @return {@link Action#CLOSE} to close it, {@link Action#NONE} to keep it,
     *     {@link Action#SHUTDOWN} to stop the engine
     */
    default Action onTimeout(Conn conn, ConnectionTimeoutException timeout) {
        return Action.CLOSE;
    }

    /**
     * The ticker, when {@link Options.Builder#ticker(boolean)} is on: called on one loop thread,
     * first right after boot, then again after the delay returned. Return {@link Duration#ZERO}
     * or a negative duration to stop ticking.
     *
     * @return the delay until the next tick
     */
    default Duration onTick() {
        return Duration.ofSeconds(1);
    }

    /**
     * Called once when the engine has stopped: every loop has ended and every connection is
     * closed. Runs on the thread that completes the stop.
     *
     * @param engine the stopped engine
     */
    default void onShutdown(Engine engine) {
    }
}
