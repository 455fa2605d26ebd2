package io.jgnet.engine;

import io.jgnet.ConnectionTimeoutException;
import io.jgnet.ConnectionTimeoutException.Kind;
import io.jgnet.Timeouts;
import java.time.Duration;

/**
 * A connection's idle, read, write and lifetime timeouts, kept lazily: one {@link Timer} per
 * connection, armed for the earliest deadline, and activity that never touches the wheel.
 *
 * <p>A read only stores the loop's iteration time in {@link #received()} (no clock read, no
 * wheel operation), and a send does the same. When the timer comes due it works out each
 * deadline from those stamps: if none has passed (the connection was busy meanwhile) it re-arms
 * itself for the earliest one; if one has, the connection is told ({@link SocketConnection#timedOut}),
 * and the handler decides. So a connection that reads a million times a second costs the wheel
 * nothing more than an idle one: one expiry per timeout period at most.
 *
 * <p>Write progress is seen in two places: a flush that sent bytes, and a writable event (the
 * kernel took bytes; on io_uring, a send completed). Output that starts waiting brings the
 * deadline forward if the write timeout is the nearest.
 *
 * <p>Owned by the connection's loop thread. Exists only for connections with a timeout on, so a
 * connection without any costs one null reference.
 */
final class ConnectionTimer extends Timer {
    private static final Kind[] KINDS = {Kind.LIFETIME, Kind.WRITE, Kind.READ, Kind.IDLE};
    /** No deadline: that timeout is off, or does not apply now. */
    private static final long NONE = Long.MIN_VALUE;

    private final Loop loop;
    private final SocketConnection conn;
    private Timeouts timeouts;
    /** When bytes last arrived, or the read clock restarted. */
    private long lastRead;
    /** When bytes were last sent, or the idle clock restarted. */
    private long lastWrite;
    private long openedAt;
    /** Whether output is waiting for the kernel, and since when it has not moved. */
    private boolean writeWaiting;
    private long writeStuckSince;
    /** The deadline the timer is armed for, while it is. */
    private long armedFor;

    ConnectionTimer(Loop loop, SocketConnection conn, Timeouts timeouts) {
        super(loop.timers(), null);
        this.loop = loop;
        this.conn = conn;
        this.timeouts = timeouts;
        long now = loop.now();
        this.lastRead = now;
        this.lastWrite = now;
        this.openedAt = now;
        schedule();
    }

    Timeouts timeouts() {
        return timeouts;
    }

    /** New timeouts: each counts from its activity's last stamp, as before. */
    void timeouts(Timeouts changed) {
        this.timeouts = changed;
        schedule();
    }

    // ------------------------------------------------------ activity: stores, no wheel work

    /** Bytes arrived. */
    void received() {
        lastRead = loop.now();
    }

    /** Reading resumed after a pause the handler chose: the read clock starts again. */
    void readingResumed() {
        lastRead = loop.now();
        if (!timeouts.read().isZero()) {
            schedule();
        }
    }

    /** The kernel took output (a writable event, or an io_uring send completion). */
    void progressed() {
        long now = loop.now();
        lastWrite = now;
        writeStuckSince = now;
        if (!conn.hasPendingOutput()) {
            // A completion can drain the output with no flush after it to say so; output that
            // waits later must count from then, not from this.
            writeWaiting = false;
        }
    }

    /** A flush moved the output from {@code before} to {@code after} bytes waiting. */
    void flushed(int before, int after) {
        long now = loop.now();
        if (after < before) {
            lastWrite = now;
            writeStuckSince = now;
        }
        if (after == 0) {
            writeWaiting = false;
        } else if (!writeWaiting) {
            writeWaiting = true;
            writeStuckSince = now;
            Duration write = timeouts.write();
            // Output starts waiting: the one moment the wheel may need to move, and only if the
            // write deadline is nearer than the one the timer is armed for.
            if (!write.isZero()) {
                long due = now + write.toNanos();
                if (!isArmed() || due - armedFor < 0) {
                    armAt(due);
                }
            }
        }
    }

    // ---------------------------------------------------------------------- expiry

    @Override
    void fire() {
        if (!conn.isOpen()) {
            return;
        }
        long now = loop.timers().clock().nanoTime();
        Kind expired = null;
        long expiredAt = Long.MAX_VALUE;
        for (Kind kind : KINDS) {
            long deadline = deadline(kind);
            if (deadline != NONE && deadline - now <= 0 && (expired == null || deadline - expiredAt < 0)) {
                expired = kind;
                expiredAt = deadline;
            }
        }
        if (expired == null) {
            schedule();
            return;
        }
        Duration timeout = duration(expired);
        if (conn.timedOut(new ConnectionTimeoutException(expired, timeout, conn.describe()))) {
            // The handler kept the connection: that timeout's clock starts again now.
            restart(expired, now);
            schedule();
        }
    }

    private long deadline(Kind kind) {
        Duration timeout = duration(kind);
        if (timeout.isZero()) {
            return NONE;
        }
        long nanos = timeout.toNanos();
        return switch (kind) {
            case IDLE -> (lastRead - lastWrite > 0 ? lastRead : lastWrite) + nanos;
            case READ -> conn.isReading() ? lastRead + nanos : NONE;
            case WRITE -> writeWaiting && conn.hasPendingOutput() ? writeStuckSince + nanos : NONE;
            case LIFETIME -> openedAt + nanos;
            case CONNECT -> NONE;
        };
    }

    private Duration duration(Kind kind) {
        return switch (kind) {
            case IDLE -> timeouts.idle();
            case READ -> timeouts.read();
            case WRITE -> timeouts.write();
            case LIFETIME -> timeouts.lifetime();
            case CONNECT -> Duration.ZERO;
        };
    }

    private void restart(Kind kind, long now) {
        switch (kind) {
            case IDLE -> lastWrite = now;
            case READ -> lastRead = now;
            case WRITE -> writeStuckSince = now;
            case LIFETIME -> openedAt = now;
            default -> {
            }
        }
    }

    /** Arms the timer for the earliest deadline, or takes it off the wheel if none applies. */
    private void schedule() {
        long earliest = NONE;
        for (Kind kind : KINDS) {
            long deadline = deadline(kind);
            if (deadline != NONE && (earliest == NONE || deadline - earliest < 0)) {
                earliest = deadline;
            }
        }
        if (earliest == NONE) {
            stop();
        } else {
            armAt(earliest);
        }
    }

    private void armAt(long deadline) {
        armedFor = deadline;
        loop.timers().rearm(this, deadline);
    }

    /** The connection closed, or no timeout applies: off the wheel. */
    void stop() {
        loop.timers().disarm(this);
    }
}
