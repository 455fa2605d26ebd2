package io.jgnet.engine;

import io.jgnet.transport.Listener;
/**
 * What a loop does when accepting fails for want of file descriptors (EMFILE, ENFILE) or kernel
 * memory (ENOBUFS, ENOMEM, which closing connections relieves as well): it stops
 * polling the listener, whose pending connection would otherwise wake it at once, forever, and
 * tries again as soon as a connection of this loop closes (freeing a descriptor) or
 * {@link #RETRY_NANOS} has passed.
 *
 * <p>Nothing on the out-of-descriptors path allocates or touches a file: with no descriptor
 * left, even a log line can fail (the formatter may need time-zone data from disk). The episode
 * is logged once, after it ends, at the first connection accepted again, with how long it
 * lasted and how many accepts were refused.
 *
 * <p>Owned by the loop thread.
 */
final class AcceptBackoff {
    /** The longest a paused listener waits before trying again without a freed descriptor. */
    static final long RETRY_NANOS = 100_000_000L;
    /** Listeners one loop can hold paused; a loop rarely owns more than two or three. */
    private static final int MAX_PAUSED = 16;

    static {
        // The log formatter's first line reads the time-zone rules from a file; read them while
        // descriptors are plenty, so the line that ends an episode does not need one.
        java.time.ZoneId.systemDefault().getRules();
    }

    private final Listener[] paused = new Listener[MAX_PAUSED];
    private int pausedCount;
    private long retryAt;
    private boolean descriptorFreed;

    private Listener episodeListener;
    private long episodeStart;
    private long refusals;

    /** An accept failed with EMFILE or ENFILE: pause {@code listener}. Allocates nothing. */
    void exhausted(Listener listener) {
        long now = System.nanoTime();
        refusals++;
        if (episodeListener == null) {
            episodeListener = listener;
            episodeStart = now;
        }
        retryAt = now + RETRY_NANOS;
        for (int i = 0; i < pausedCount; i++) {
            if (paused[i] == listener) {
                return;
            }
        }
        if (pausedCount < MAX_PAUSED) {
            paused[pausedCount++] = listener;
            listener.pauseAccepting();
        }
    }

    boolean isPaused() {
        return pausedCount > 0;
    }

    /** How long the loop may sleep before it must try the paused listeners again. */
    long nanosUntilRetry(long now) {
        return descriptorFreed ? 0 : Math.max(0, retryAt - now);
    }

    /** A connection of this loop closed: its descriptor can take a new connection. */
    void descriptorFreed() {
        if (pausedCount > 0) {
            descriptorFreed = true;
        }
    }

    /** Polls the paused listeners again once a descriptor was freed or the delay has passed. */
    void retryIfDue() {
        if (pausedCount == 0 || (!descriptorFreed && System.nanoTime() - retryAt < 0)) {
            return;
        }
        for (int i = 0; i < pausedCount; i++) {
            paused[i].resumeAccepting();
            paused[i] = null;
        }
        pausedCount = 0;
        descriptorFreed = false;
    }

    /** A connection was accepted: if that ends an episode, say so, now that a log line can work. */
    void accepted() {
        if (episodeListener == null) {
            return;
        }
        long millis = (System.nanoTime() - episodeStart) / 1_000_000;
        FailureLog.log(System.Logger.Level.WARNING, "listener " + episodeListener.address()
                + " ran out of file descriptors or kernel memory (EMFILE/ENFILE/ENOBUFS/ENOMEM) for " + millis + " ms: " + refusals
                + " accepts refused while connections closed; accepting again", null);
        episodeListener = null;
        refusals = 0;
    }

    /** Accepts refused in the episode under way (0 between episodes). */
    long refusals() {
        return refusals;
    }
}
