package io.jgnet.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one loop counts about its own work, for {@link io.jgnet.LoopStats} and the blocked-loop
 * watcher: bytes and messages in and out, reads and writes, pending output, iterations, and
 * when the current iteration's work began.
 *
 * <p>Only the loop thread writes; any thread reads. The counts live in one array written with
 * opaque stores (on x86 and ARM a plain store: no fence, no lock, no cache line shared with a
 * writer elsewhere) and read with opaque loads, which gives other threads each value whole and
 * eventually fresh. That is all a snapshot needs, and it costs the hot path an add and a store.
 *
 * <p>Busy time: the loop's work begins at the first event a poll dispatches, or when the poll
 * returns with none ({@link #working}), and ends where the next iteration begins
 * ({@link #iterationEnded}); the wait for I/O in between is idle time. Each whole second the
 * busy share of that second is published.
 */
final class LoopCounters {
    static final int BYTES_IN = 0;
    static final int BYTES_OUT = 1;
    static final int MESSAGES_IN = 2;
    static final int MESSAGES_OUT = 3;
    static final int READS = 4;
    static final int WRITES = 5;
    static final int PENDING_OUTPUT = 6;
    static final int ITERATIONS = 7;
    static final int TIMERS = 8;
    /** {@link Double#doubleToRawLongBits} of the busy share of the last whole window. */
    static final int BUSY_FRACTION = 9;
    /** {@link System#nanoTime()} when the current iteration's work began, 0 while waiting for I/O. */
    static final int WORK_STARTED = 10;
    private static final int SIZE = 11;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final long[] counts = new long[SIZE];
    private boolean working;
    private long workStarted;
    private long windowStart = System.nanoTime();
    private long windowBusy;

    private void add(int slot, long n) {
        SLOT.setOpaque(counts, slot, counts[slot] + n);
    }

    /** One counter, whole and eventually fresh. Any thread. */
    long get(int slot) {
        return (long) SLOT.getOpaque(counts, slot);
    }

    double busyFraction() {
        return Double.longBitsToDouble(get(BUSY_FRACTION));
    }

    /** The kernel delivered {@code bytes} (a read, a receive completion, a datagram). */
    void read(int bytes) {
        add(READS, 1);
        add(BYTES_IN, bytes);
    }

    /** The kernel took {@code bytes} of a send (or a datagram went out). */
    void wrote(int bytes) {
        add(WRITES, 1);
        add(BYTES_OUT, bytes);
    }

    /** The handler was shown traffic (one onTraffic). */
    void messageIn() {
        add(MESSAGES_IN, 1);
    }

    /** The handler wrote one buffer. */
    void messageOut() {
        add(MESSAGES_OUT, 1);
    }

    /** A connection's output waiting for the kernel grew (or, negative, shrank) by {@code bytes}. */
    void pendingOutput(long bytes) {
        add(PENDING_OUTPUT, bytes);
    }

    /** The loop has work in this iteration: from the first event dispatched, or the poll's return. */
    void working() {
        if (!working) {
            working = true;
            workStarted = System.nanoTime();
            SLOT.setOpaque(counts, WORK_STARTED, workStarted);
        }
    }

    /**
     * The iteration's work ended at {@code now}, with {@code timers} scheduled. Returns how long
     * the work took, in nanoseconds (0 if there was none).
     */
    long iterationEnded(long now, int timers) {
        add(ITERATIONS, 1);
        SLOT.setOpaque(counts, TIMERS, (long) timers);
        long busy = 0;
        if (working) {
            working = false;
            SLOT.setOpaque(counts, WORK_STARTED, 0L);
            busy = now - workStarted;
            windowBusy += busy;
        }
        long window = now - windowStart;
        if (window >= WINDOW_NANOS) {
            SLOT.setOpaque(counts, BUSY_FRACTION, Double.doubleToRawLongBits(Math.min(1.0, (double) windowBusy / window)));
            windowStart = now;
            windowBusy = 0;
        }
        return busy;
    }
}
