package io.jgnet;

/**
 * A task waiting on an event loop's timer, as returned by {@link EventLoop#schedule}: the way to
 * cancel it.
 *
 * <h2>Threading</h2>
 * Every method is safe from any thread. The task itself runs on its loop's thread, at most once.
 * Cancelling from the loop thread takes the task off the loop's timer at once; from another
 * thread the task is marked at once (it will not run) and taken off on the loop shortly after.
 */
public interface Scheduled {

    /**
     * Keeps the task from running, if it has not started yet.
     *
     * @return {@code true} if this call stopped it; {@code false} if it has already run or
     *     started running, or was cancelled before
     */
    boolean cancel();

    /** {@return whether the task was cancelled before it ran} */
    boolean isCancelled();

    /** {@return whether the task has run (or started running) or was cancelled: it will not run later} */
    boolean isDone();
}
