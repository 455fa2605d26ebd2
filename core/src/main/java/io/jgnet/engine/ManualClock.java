package io.jgnet.engine;

/**
 * A clock that moves only when told to: a test's virtual time. Timers of a loop that reads it
 * come due when the test {@linkplain #advanceTo advances} it, never in real time, so a test of a
 * 60-second timeout takes no 60 seconds and no sleep.
 *
 * <p>Read from any thread; moved by the loop thread (see {@link Loop#advanceClock}).
 */
final class ManualClock implements Clock {
    private volatile long now;

    @Override
    public long nanoTime() {
        return now;
    }

    /** Moves the time to {@code nanos} if that is later; time never goes back. */
    void advanceTo(long nanos) {
        if (nanos - now > 0) {
            now = nanos;
        }
    }
}
