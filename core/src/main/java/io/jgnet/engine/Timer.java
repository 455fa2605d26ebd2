package io.jgnet.engine;

import io.jgnet.Scheduled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task due at a point in a loop's {@link Clock} time: one entry of the loop's
 * {@link TimerWheel}, linked into one of its slots while armed. The engine's own timers (a
 * closing connection's close timeout, a dial's connect timeout, the ticker) and the user's
 * {@link io.jgnet.EventLoop#schedule} are all Timers; engine code that needs a timer of its own
 * (a TLS handshake deadline, say) gets one from {@link Loop#scheduleOnLoop}.
 *
 * <p>Arming, re-arming and cancelling are O(1): a slot is a doubly linked list, and a Timer is
 * its own link ({@link WheelEntry}). A connection's timeouts are no Timer: the connection is its
 * own wheel entry ({@link TimedConnection}).
 *
 * <p>The wheel's fields are owned by the loop thread; {@link #cancel()} and the queries are safe
 * from any thread (the state is one atomic field).
 */
final class Timer extends WheelEntry implements Scheduled {
    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TimerWheel wheel;
    private final Runnable task;
    private volatile int state;

    Timer(TimerWheel wheel, Runnable task) {
        this.wheel = wheel;
        this.task = task;
    }

    /** The wheel found this timer due: runs it unless it was cancelled. Loop thread. */
    @Override
    final void expire() {
        if (STATE.compareAndSet(this, PENDING, FIRED)) {
            task.run();
        }
    }

    @Override
    public final boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        wheel.cancelled(this);
        return true;
    }

    @Override
    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public final boolean isDone() {
        return state != PENDING;
    }

    @Override
    public String toString() {
        return "Timer[" + (state == PENDING ? "pending" : state == FIRED ? "fired" : "cancelled") + "]";
    }
}
