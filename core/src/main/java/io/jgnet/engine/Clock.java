package io.jgnet.engine;

/**
 * Where a loop's timers read the time: {@link #SYSTEM} in an engine, a {@link ManualClock} in
 * tests that drive time themselves (the in-memory transport behind {@link io.jgnet.TestPeer}).
 * Values are nanoseconds from an arbitrary origin, compared by difference as
 * {@link System#nanoTime()}'s are.
 *
 * <p>Implementations are safe to read from any thread.
 */
interface Clock {
    /** The monotonic clock every real engine uses. */
    Clock SYSTEM = System::nanoTime;

    /** The time now, in nanoseconds from an arbitrary origin. */
    long nanoTime();
}
