package io.jgnet.engine;

/**
 * What a {@link TimerWheel} links into its slots: the wheel's bookkeeping, carried by the thing
 * that is timed itself, so that being on the wheel allocates nothing. A {@link Timer} is one; a
 * {@link SocketConnection} is another, for its timeouts ({@link TimedConnection}), so a connection
 * with timeouts on costs no object more than one without.
 *
 * <p>The fields are the wheel's, loop thread only.
 */
abstract class WheelEntry {
    /** The deadline in wheel ticks. */
    long deadlineTick;
    /** The slot this entry is linked into, or -1 while it is not on the wheel. */
    int slot = -1;
    WheelEntry prev;
    WheelEntry next;

    /** The wheel found this entry due and took it off. Loop thread. */
    abstract void expire();

    /** Whether the wheel holds this entry now. Loop thread. */
    final boolean isArmed() {
        return slot >= 0;
    }
}
