package io.jgnet;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A connection's timeout expired: the cause {@link EventHandler#onClose} receives when a
 * connection is closed by one of its {@link Timeouts}, what {@link EventHandler#onTimeout} is
 * asked about, and the cause of a dial that did not connect in time. {@link #kind()} says which
 * timeout, {@link #timeout()} how long it was.
 *
 * <p>It is an {@link java.io.IOException} (a {@link SocketTimeoutException}, as the JDK's own
 * socket timeouts), so a handler that treats I/O failures alike needs no new case. It carries no
 * stack trace: where the timer fired says nothing about why. Immutable apart from suppressed
 * exceptions; safe to pass between threads.
 */
public final class ConnectionTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    /** Which of a connection's timeouts expired. */
    public enum Kind {
        /** Nothing was received or sent for {@link Timeouts#idle()}. */
        IDLE,
        /** Nothing was received for {@link Timeouts#read()} while reading. */
        READ,
        /** Pending output made no progress for {@link Timeouts#write()}. */
        WRITE,
        /** The connection has been open for {@link Timeouts#lifetime()}. */
        LIFETIME,
        /** A dial did not connect within its connect timeout ({@link Timeouts#connect()}). */
        CONNECT
    }

    /** Which timeout expired. */
    private final Kind kind;
    /** How long it was. */
    private final Duration timeout;

    /**
     * A timeout of {@code kind} that lasted {@code timeout}.
     *
     * @param kind    which timeout expired; must not be null
     * @param timeout how long it was; must not be null
     * @param detail  what timed out, for the message (for example the peer's address), or null
     */
    public ConnectionTimeoutException(Kind kind, Duration timeout, String detail) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + " timeout of " + timeout.toMillis() + " ms expired"
                + (detail == null ? "" : ": " + detail));
        this.kind = kind;
        this.timeout = timeout;
    }

    /** {@return which timeout expired} */
    public Kind kind() {
        return kind;
    }

    /** {@return how long the timeout was} */
    public Duration timeout() {
        return timeout;
    }

    /** No stack trace: the loop's timer, where this is made, is the same for every timeout. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
