package io.jgnet.engine;

import io.jgnet.ConnectionTimeoutException;
import io.jgnet.ConnectionTimeoutException.Kind;
import io.jgnet.Timeouts;
import java.time.Duration;

/**
 * A connection's idle, read, write and lifetime timeouts, kept lazily in the connection itself:
 * the connection is its own entry on the loop's {@link TimerWheel}, armed for its earliest
 * deadline, and activity never touches the wheel. So timeouts allocate nothing per connection
 * (a connection with them on is the same object as one with them off) and nothing per arm.
 *
 * <p>A read only stores the loop's iteration time ({@link #readActivity()}: a field write, no
 * clock read, no wheel operation), and a send does the same. When the entry comes due it works
 * out each deadline from those stamps: if none has passed (the connection was busy meanwhile) it
 * re-arms itself for the earliest one; if one has, the connection is told
 * ({@link #timedOut}), and the handler decides. So a connection that reads a million times a
 * second costs the wheel nothing more than an idle one: one expiry per timeout period at most.
 *
 * <p>Write progress is seen in two places: a flush that sent bytes, and a writable event (the
 * kernel took bytes; on io_uring, a send completed). Output that starts waiting brings the
 * deadline forward if the write timeout is the nearest.
 *
 * <p>Owned by the connection's loop thread. Until a timeout is first set, {@link #timeouts} is
 * null and the hooks do nothing but store the read stamp.
 */
abstract class TimedConnection extends WheelEntry {
    private static final Kind[] KINDS = {Kind.LIFETIME, Kind.WRITE, Kind.READ, Kind.IDLE};
    /** No deadline: that timeout is off, or does not apply now. */
    private static final long NONE = Long.MIN_VALUE;

    final Loop loop;
    /** The timeouts this connection watches; null until one is on, and after the close. */
    private Timeouts timeouts;
    /** When bytes last arrived, or the read clock restarted. */
    private long lastRead;
    /** When bytes were last sent, or the idle clock restarted. */
    private long lastWrite;
    private long openedAt;
    /** Since when waiting output has not moved, or {@link #NONE} while no output waits. */
    private long writeStuckSince = NONE;

    TimedConnection(Loop loop) {
        this.loop = loop;
    }

    // ------------------------------------------------------------ what the connection tells

    /** Whether the input is open: what a read timeout watches. */
    abstract boolean isReading();

    /** Whether output waits to be sent: what a write timeout watches. */
    abstract boolean hasPendingOutput();

    /** A timeout expired: the handler decides; true if it kept the connection open. */
    abstract boolean timedOut(ConnectionTimeoutException timeout);

    abstract String describe();

    public abstract boolean isOpen();

    // ---------------------------------------------------------------- turning them on and off

    /** The timeouts watched, or null while none is on. */
    final Timeouts watchedTimeouts() {
        return timeouts;
    }

    /** The connection opened: every clock starts now. */
    final void startTimeouts(Timeouts watched) {
        long now = loop.now();
        lastRead = now;
        lastWrite = now;
        openedAt = now;
        watch(watched);
    }

    /** New timeouts, for a connection that watches some: each counts from its activity's last stamp, as before. */
    final void watch(Timeouts changed) {
        this.timeouts = changed;
        schedule();
    }

    /** The connection closed: off the wheel. */
    final void stopTimeouts() {
        timeouts = null;
        loop.timers().disarm(this);
    }

    // ------------------------------------------------------ activity: stores, no wheel work

    /** Bytes arrived. */
    final void readActivity() {
        lastRead = loop.now();
    }

    /** Reading resumed after a pause the handler chose: the read clock starts again. */
    final void readingResumed() {
        lastRead = loop.now();
        if (timeouts != null && !timeouts.read().isZero()) {
            schedule();
        }
    }

    /** The kernel took output (a writable event, or an io_uring send completion). */
    final void writeProgressed() {
        if (timeouts == null) {
            return;
        }
        long now = loop.now();
        lastWrite = now;
        if (writeStuckSince != NONE) {
            // A completion can drain the output with no flush after it to say so; output that
            // waits later must count from then, not from this.
            writeStuckSince = hasPendingOutput() ? now : NONE;
        }
    }

    /** A flush moved the output from {@code before} to {@code after} bytes waiting. */
    final void flushed(int before, int after) {
        long now = loop.now();
        if (after < before) {
            lastWrite = now;
            if (writeStuckSince != NONE) {
                writeStuckSince = now;
            }
        }
        if (after == 0) {
            writeStuckSince = NONE;
        } else if (writeStuckSince == NONE) {
            writeStuckSince = now;
            Duration write = timeouts.write();
            // Output starts waiting: the one moment the wheel may need to move, and only if the
            // write deadline is nearer than the one the entry is armed for.
            if (!write.isZero()) {
                long due = now + write.toNanos();
                if (!isArmed() || loop.timers().tickOf(due) < deadlineTick) {
                    loop.timers().arm(this, due);
                }
            }
        }
    }

    // ---------------------------------------------------------------------- expiry

    @Override
    final void expire() {
        if (timeouts == null || !isOpen()) {
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
        if (timedOut(new ConnectionTimeoutException(expired, timeout, describe()))) {
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
            case READ -> isReading() ? lastRead + nanos : NONE;
            case WRITE -> writeStuckSince != NONE && hasPendingOutput() ? writeStuckSince + nanos : NONE;
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

    /** Arms the entry for the earliest deadline, or takes it off the wheel if none applies. */
    private void schedule() {
        long earliest = NONE;
        if (timeouts != null) {
            for (Kind kind : KINDS) {
                long deadline = deadline(kind);
                if (deadline != NONE && (earliest == NONE || deadline - earliest < 0)) {
                    earliest = deadline;
                }
            }
        }
        if (earliest == NONE) {
            loop.timers().disarm(this);
        } else {
            loop.timers().arm(this, earliest);
        }
    }
}
