package io.jgnet.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one loop counts about its own work, for {@link io.jgnet.LoopStats} and the blocked-loop
 * watcher: bytes and messages in and out, reads and writes, pending output, iterations, and
 * when the current iteration's work began.
 *
 * <p>Only the loop thread writes; any thread reads. The counts live in one array the loop
 * writes with plain stores (an add and a store on the hot path, nothing more) and other threads
 * read with opaque loads, which cannot be hoisted or cached: each value is whole (a 64-bit JVM
 * never tears a long) and eventually fresh. That is all a snapshot needs. Opaque or release
 * stores were tried and measured: as VarHandle calls they made the hot path's methods too big
 * for the JIT to inline, and a buffer view the epoll transport makes per send stopped being
 * scalar-replaced (an allocation per request).
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
    static final int POOLED_BYTES = 11;
    private static final int SIZE = 12;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final long[] counts = new long[SIZE];
    private boolean working;
    private long workStarted;
    private long windowStart = System.nanoTime();
    private long windowBusy;

    /** One counter, whole and eventually fresh. Any thread. */
    long get(int slot) {
        return (long) SLOT.getOpaque(counts, slot);
    }

    double busyFraction() {
        return Double.longBitsToDouble(get(BUSY_FRACTION));
    }

    // One call per event, each as small as it can be: these sit deep in the loop's hottest
    // compiled method, where the JIT's inlining budget is nearly spent (see the class comment).

    /**
     * The kernel delivered {@code bytes} (a read, a receive completion, a datagram), which the
     * handler is about to be shown (one onTraffic); the iteration's work has begun.
     */
    void read(int bytes) {
        working();
        long[] c = counts;
        c[READS]++;
        c[BYTES_IN] += bytes;
        c[MESSAGES_IN]++;
    }

    /**
     * A TLS connection's bytes in are its plaintext, not the records {@link #read} counted:
     * {@code delta} takes records back out (negative) or adds decrypted bytes (positive).
     */
    void bytesIn(int delta) {
        counts[BYTES_IN] += delta;
    }

    /** The handler was shown traffic that was not just read ({@code wake}). */
    void messageIn() {
        counts[MESSAGES_IN]++;
    }

    /** The kernel took {@code bytes} of a send; the connection's pending output changed by {@code pending}. */
    void sent(int bytes, int pending) {
        long[] c = counts;
        c[WRITES]++;
        c[BYTES_OUT] += bytes;
        c[PENDING_OUTPUT] += pending;
    }

    /** A datagram of {@code bytes} went out. */
    void wrote(int bytes) {
        counts[WRITES]++;
        counts[BYTES_OUT] += bytes;
    }

    /** The handler wrote one buffer; the connection's pending output changed by {@code pending}. */
    void queued(int pending) {
        counts[MESSAGES_OUT]++;
        counts[PENDING_OUTPUT] += pending;
    }

    /** A connection's pending output changed by {@code pending} (it was dropped). */
    void pendingOutput(int pending) {
        counts[PENDING_OUTPUT] += pending;
    }

    /** The loop has work in this iteration: from the first event dispatched, or the poll's return. */
    void working() {
        if (!working) {
            working = true;
            workStarted = System.nanoTime();
            counts[WORK_STARTED] = workStarted;
        }
    }

    /**
     * The iteration's work ended at {@code now}, with {@code timers} scheduled and
     * {@code pooledBytes} idle in the loop's pool. Returns how long the work took, in nanoseconds
     * (0 if there was none).
     */
    long iterationEnded(long now, int timers, long pooledBytes) {
        counts[ITERATIONS]++;
        counts[TIMERS] = timers;
        counts[POOLED_BYTES] = pooledBytes;
        long busy = 0;
        if (working) {
            working = false;
            counts[WORK_STARTED] = 0;
            busy = now - workStarted;
            windowBusy += busy;
        }
        long window = now - windowStart;
        if (window >= WINDOW_NANOS) {
            counts[BUSY_FRACTION] = Double.doubleToRawLongBits(Math.min(1.0, (double) windowBusy / window));
            windowStart = now;
            windowBusy = 0;
        }
        return busy;
    }
}
