package io.jgnet.engine;

/**
 * A task due at a point in {@link System#nanoTime()} time, kept in a loop's timer queue.
 * Owned by the loop thread.
 */
final class Timer implements Comparable<Timer> {
    final long deadlineNanos;
    final Runnable task;
    private final long sequence;
    private boolean cancelled;

    Timer(long deadlineNanos, long sequence, Runnable task) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
    }

    /** Keeps the timer from running; it is dropped when it comes due. */
    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    @Override
    public int compareTo(Timer other) {
        // nanoTime values are compared by difference: they may wrap.
        long diff = deadlineNanos - other.deadlineNanos;
        return diff != 0 ? Long.signum(diff) : Long.compare(sequence, other.sequence);
    }
}
