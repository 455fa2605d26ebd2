package io.jgnet.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The blocked-loop detector, like Vert.x's blocked thread checker: one daemon thread per engine
 * that looks at every loop a few times per threshold and reports a loop whose current turn has
 * run longer than the threshold, with the loop thread's stack: a handler (or task) that blocks,
 * almost always. A loop in its poller's wait is never blocked; see {@link LoopCounters#working}
 * for when a turn's work begins.
 *
 * <p>A blocked turn is reported once, at WARNING (the stack rides on a {@link Throwable} so that
 * every logging backend prints it) and as the JFR event {@code io.jgnet.BlockedLoop}. Since a
 * turn must last the threshold to be reported, a loop yields at most one report per threshold;
 * the log lines are further rate-limited as a loop's failures are ({@link FailureLog}), so a
 * handler that blocks on every request cannot flood the log. The watcher reads only what loops publish for any thread (their
 * counters) and the thread's stack, so it never slows a loop that is not blocked.
 *
 * <p>Started and stopped by the engine; its own thread is the only one that uses its state.
 */
final class BlockedLoopWatcher implements Runnable {
    private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Stack frames kept in a report: deep enough for a handler under a framework or two. */
    private static final int MAX_FRAMES = 64;

    private final List<Loop> loops;
    private final long thresholdNanos;
    private final long checkNanos;
    /** Per loop: the turn last reported (its start). */
    private final long[] reportedTurn;
    private final FailureLog log = new FailureLog();
    private final Thread thread;
    private volatile boolean stopped;

    private BlockedLoopWatcher(List<Loop> loops, long thresholdNanos) {
        this.loops = List.copyOf(loops);
        this.thresholdNanos = thresholdNanos;
        // Look four times per threshold: a turn is reported within 1.25 thresholds of its start.
        this.checkNanos = Math.clamp(thresholdNanos / 4, MIN_CHECK_NANOS, MAX_CHECK_NANOS);
        this.reportedTurn = new long[loops.size()];
        this.thread = Thread.ofPlatform().daemon().name("jgnet-blocked-loop-watcher").unstarted(this);
    }

    /** Starts watching {@code loops}; null if the threshold is zero (watching is off). */
    static BlockedLoopWatcher start(List<Loop> loops, long thresholdNanos) {
        if (thresholdNanos <= 0) {
            return null;
        }
        BlockedLoopWatcher watcher = new BlockedLoopWatcher(loops, thresholdNanos);
        watcher.thread.start();
        return watcher;
    }

    /** Ends the watcher's thread. Any thread. */
    void stop() {
        stopped = true;
        thread.interrupt();
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                TimeUnit.NANOSECONDS.sleep(checkNanos);
            } catch (InterruptedException e) {
                return;
            }
            check(System.nanoTime());
        }
    }

    private void check(long now) {
        for (int i = 0; i < loops.size(); i++) {
            Loop loop = loops.get(i);
            long started = loop.counters().get(LoopCounters.WORK_STARTED);
            if (started == 0 || now - started < thresholdNanos || started == reportedTurn[i]) {
                continue;
            }
            StackTraceElement[] stack = loop.thread().getStackTrace();
            if (loop.counters().get(LoopCounters.WORK_STARTED) != started) {
                continue; // the turn ended while the stack was taken: that stack is of later work
            }
            reportedTurn[i] = started;
            report(loop, now - started, stack);
        }
    }

    private void report(Loop loop, long blockedNanos, StackTraceElement[] stack) {
        String name = loop.thread().getName();
        StackTraceElement[] kept = stack.length > MAX_FRAMES ? java.util.Arrays.copyOf(stack, MAX_FRAMES) : stack;
        Throwable where = new Throwable("stack of " + name + " while blocked");
        where.setStackTrace(kept);
        log.failed("event loop " + name + " has been busy with one turn for "
                + TimeUnit.NANOSECONDS.toMillis(blockedNanos) + " ms (blocked-loop threshold "
                + TimeUnit.NANOSECONDS.toMillis(thresholdNanos) + " ms): a handler or task is blocking it,"
                + " and every connection on the loop waits; its stack follows", null, where);
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : kept) {
            text.append("at ").append(frame).append('\n');
        }
        JgnetEvents.blockedLoop(loop.index(), name, blockedNanos, thresholdNanos, text.toString());
    }
}
