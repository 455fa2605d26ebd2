package io.jgnet.engine;

/**
 * A loop's timers: a hierarchical hashed timing wheel, with O(1) arm, re-arm and cancel however
 * many timers the loop holds, and the loop's poll timeout from {@link #nanosUntilNext}.
 *
 * <pre>
 *  tick = 1 ms                        level k: 64 slots of 64^k ticks each
 *  level 0  [ 0 | 1 | ... | 63 ]      1 ms slots:   due within  64 ms
 *  level 1  [ 0 | 1 | ... | 63 ]     64 ms slots:   due within 4.1 s
 *  level 2  [ 0 | 1 | ... | 63 ]    4.1 s slots:    due within 4.4 min
 *  level 3 .. 5                      ...             due within 2.2 years (later: kept at level 5)
 *  occupied[k]: one bit per non-empty slot of level k
 * </pre>
 *
 * A timer goes into the coarsest level that its distance needs, in the slot of its deadline's
 * bucket. When the wheel reaches the start of a bucket of level 1 or above, that slot's timers
 * are placed again by what remains of their distance, which puts them in a finer level; level 0
 * slots hold timers due in exactly that tick, which then run. So a timer is touched once per
 * level at most, never early, and a deadline far away costs nothing until it comes near. The
 * bitmaps find the next slot that holds anything in a few instructions per level: the loop
 * sleeps until then (not once per tick), and after a long sleep the wheel jumps over the empty
 * ticks instead of walking them.
 *
 * <p>Why not a heap (the JDK's ScheduledThreadPoolExecutor, as before): removing or moving an
 * entry costs O(log n), and a connection's timeout moves on every read. Timeouts here move
 * nothing on a read (see {@link TimedConnection}), and cancel is an unlink. What the wheel links
 * is a {@link WheelEntry}: a {@link Timer}, or a connection itself, so arming allocates nothing.
 *
 * <p>Owned by the loop thread; {@link Timer#cancel()} from another thread reaches it through
 * {@link Owner#offer}.
 */
final class TimerWheel {
    /** One tick: timers fire up to this much after their deadline, never before. */
    static final long TICK_NANOS = 1_000_000;
    private static final int LEVEL_BITS = 6;
    private static final int SLOTS = 1 << LEVEL_BITS;
    private static final long SLOT_MASK = SLOTS - 1;
    private static final int LEVELS = 6;
    /** The farthest a timer is placed; one due later is placed again when it gets there. */
    private static final long MAX_DISTANCE = (1L << (LEVEL_BITS * LEVELS)) - 1;

    /** What a wheel needs of the loop that owns it. */
    interface Owner {
        /** Whether the calling thread is the owner's. */
        boolean onOwnerThread();

        /** Runs {@code task} on the owner's thread soon; false if it never will. */
        boolean offer(Runnable task);

        /** A timer's task threw. */
        void timerFailed(Throwable failure);
    }

    private final Clock clock;
    private final Owner owner;
    private final long origin;
    private final WheelEntry[] heads = new WheelEntry[LEVELS * SLOTS];
    private final long[] occupied = new long[LEVELS];
    /**
     * Per slot of level 1 and above: no timer in it is due before this tick. Set by the first
     * timer placed in the empty slot, lowered by the next ones, left as it is when one leaves
     * (still a bound): the loop sleeps past the start of such a bucket to this tick, so that a lone
     * timer a second away (an idle server's ticker) wakes it once, not once to be placed again
     * and once to run.
     */
    private final long[] earliest = new long[LEVELS * SLOTS];
    /** The last tick processed. */
    private long current;
    private int size;
    /** While a bucket's timers are placed again: one due in the current tick goes in its slot. */
    private boolean cascading;

    TimerWheel(Clock clock, Owner owner) {
        this.clock = clock;
        this.owner = owner;
        this.origin = clock.nanoTime();
    }

    Clock clock() {
        return clock;
    }

    /** A new timer running {@code task} after {@code delayNanos} (0 or more). */
    Timer schedule(Runnable task, long delayNanos) {
        Timer timer = new Timer(this, task);
        arm(timer, deadlineAfter(delayNanos));
        return timer;
    }

    /** The clock's time {@code delayNanos} from now, safe from overflow. */
    long deadlineAfter(long delayNanos) {
        return clock.nanoTime() + Math.min(Math.max(0, delayNanos), Long.MAX_VALUE / 4);
    }

    /** Arms {@code entry} for {@code deadlineNanos} in clock time, moving it if it was armed. Loop thread. */
    void arm(WheelEntry entry, long deadlineNanos) {
        if (entry.isArmed()) {
            unlink(entry);
        }
        entry.deadlineTick = tickOf(deadlineNanos);
        place(entry);
    }

    /** The tick at or after {@code nanos} in clock time: a deadline there never fires early. */
    long tickOf(long nanos) {
        long sinceOrigin = nanos - origin;
        return sinceOrigin <= 0 ? 0 : (sinceOrigin + TICK_NANOS - 1) / TICK_NANOS;
    }

    /** Takes {@code timer} off the wheel if it is on it. Loop thread. */
    void disarm(WheelEntry timer) {
        if (timer.isArmed()) {
            unlink(timer);
        }
    }

    /** {@code timer} was cancelled, on any thread: off the wheel now, or soon from another thread. */
    void cancelled(Timer timer) {
        if (owner.onOwnerThread()) {
            disarm(timer);
        } else {
            // If the loop has ended there is no wheel to leave: nothing to do.
            owner.offer(() -> disarm(timer));
        }
    }

    /** How many timers are armed. */
    int size() {
        return size;
    }

    /** The deadline of the next slot to process, in clock time, or -1 if no timer is armed. */
    long nextDeadline() {
        return size == 0 ? -1 : origin + nextTick() * TICK_NANOS;
    }

    /**
     * How long the loop may sleep before a timer needs it: -1 for no limit, else 0 or more. Up
     * to the earliest deadline in the next slots, which may lie past the start of a bucket that
     * {@link #runDue} places again: placing it later is the same as after a late wake-up.
     */
    long nanosUntilNext(long now) {
        if (size == 0) {
            return -1;
        }
        long wake = Long.MAX_VALUE;
        for (int level = 0; level < LEVELS; level++) {
            long bits = occupied[level];
            if (bits != 0) {
                int shift = level * LEVEL_BITS;
                long bucket = current >>> shift;
                long tick = (bucket + distanceToNext(bits, bucket)) << shift;
                if (level > 0) {
                    tick = Math.max(tick, earliest[level * SLOTS + (int) ((tick >>> shift) & SLOT_MASK)]);
                }
                wake = Math.min(wake, tick);
            }
        }
        return Math.max(0, origin + wake * TICK_NANOS - now);
    }

    /** Runs every timer due by {@code now}, in deadline order (by tick); returns how many ran. */
    int runDue(long now) {
        long sinceOrigin = now - origin;
        long target = sinceOrigin <= 0 ? 0 : sinceOrigin / TICK_NANOS;
        int ran = 0;
        while (size > 0) {
            long tick = nextTick();
            if (tick > target) {
                break;
            }
            current = tick;
            cascade(tick);
            ran += expire(tick);
        }
        if (target > current) {
            current = target;
        }
        return ran;
    }

    // ------------------------------------------------------------------------------ slots

    private void place(WheelEntry timer) {
        long distance = timer.deadlineTick - current;
        int index;
        if (distance <= 0) {
            // Due already. While a bucket is being placed again, the current tick's slot is
            // about to run; otherwise it has run, and the next tick is the soonest.
            index = (int) ((cascading ? current : current + 1) & SLOT_MASK);
        } else {
            distance = Math.min(distance, MAX_DISTANCE);
            int level = (63 - Long.numberOfLeadingZeros(distance)) / LEVEL_BITS;
            int shift = level * LEVEL_BITS;
            index = level * SLOTS + (int) (((current + distance) >>> shift) & SLOT_MASK);
        }
        timer.slot = index;
        timer.prev = null;
        WheelEntry head = heads[index];
        earliest[index] = head == null ? timer.deadlineTick : Math.min(earliest[index], timer.deadlineTick);
        timer.next = head;
        if (head != null) {
            head.prev = timer;
        }
        heads[index] = timer;
        occupied[index >>> LEVEL_BITS] |= 1L << (index & SLOT_MASK);
        size++;
    }

    private void unlink(WheelEntry timer) {
        int index = timer.slot;
        if (timer.prev != null) {
            timer.prev.next = timer.next;
        } else {
            heads[index] = timer.next;
        }
        if (timer.next != null) {
            timer.next.prev = timer.prev;
        }
        if (heads[index] == null) {
            occupied[index >>> LEVEL_BITS] &= ~(1L << (index & SLOT_MASK));
        }
        timer.slot = -1;
        timer.prev = null;
        timer.next = null;
        size--;
    }

    /** The first tick after the current one at which some non-empty slot is processed. */
    private long nextTick() {
        long best = Long.MAX_VALUE;
        for (int level = 0; level < LEVELS; level++) {
            long bits = occupied[level];
            if (bits == 0) {
                continue;
            }
            int shift = level * LEVEL_BITS;
            long bucket = current >>> shift;
            best = Math.min(best, (bucket + distanceToNext(bits, bucket)) << shift);
        }
        return best;
    }

    /** How many buckets after {@code bucket} a level's next occupied slot ({@code bits}) comes. */
    private static int distanceToNext(long bits, long bucket) {
        // Slots are visited from the one after the current bucket round to the current one
        // (which then holds the bucket 64 ahead).
        int from = (int) ((bucket + 1) & SLOT_MASK);
        return Long.numberOfTrailingZeros(Long.rotateRight(bits, from)) + 1;
    }

    /** At the start of a bucket of level 1 and above: its timers go to finer levels. */
    private void cascade(long tick) {
        for (int level = LEVELS - 1; level >= 1; level--) {
            int shift = level * LEVEL_BITS;
            if ((tick & ((1L << shift) - 1)) != 0) {
                continue;
            }
            int index = level * SLOTS + (int) ((tick >>> shift) & SLOT_MASK);
            WheelEntry chain = heads[index];
            if (chain == null) {
                continue;
            }
            heads[index] = null;
            occupied[level] &= ~(1L << (index & SLOT_MASK));
            cascading = true;
            while (chain != null) {
                WheelEntry following = chain.next;
                chain.slot = -1;
                chain.prev = null;
                chain.next = null;
                size--;
                place(chain);
                chain = following;
            }
            cascading = false;
        }
    }

    /** Runs the timers of level 0's slot for {@code tick}; a task may arm or cancel others. */
    private int expire(long tick) {
        int index = (int) (tick & SLOT_MASK);
        int ran = 0;
        WheelEntry timer;
        while ((timer = heads[index]) != null) {
            unlink(timer);
            ran++;
            try {
                timer.expire();
            } catch (Throwable t) {
                owner.timerFailed(t);
            }
        }
        return ran;
    }
}
