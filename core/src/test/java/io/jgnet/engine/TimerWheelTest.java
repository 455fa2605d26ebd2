package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The timer wheel against a plain model, on a virtual clock: every timer runs exactly once, in
 * the first {@code runDue} whose time has reached its deadline, never before; cancelled ones
 * never run; re-arming moves a timer. Deadlines span every level, including past the last one.
 */
class TimerWheelTest {
    private static final long MS = 1_000_000;

    /** The wheel's owner in a test: the test thread is the loop. */
    private static final class TestOwner implements TimerWheel.Owner {
        final List<Runnable> offered = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();

        @Override
        public boolean onOwnerThread() {
            return true;
        }

        @Override
        public boolean offer(Runnable task) {
            offered.add(task);
            return true;
        }

        @Override
        public void timerFailed(Throwable failure) {
            failures.add(failure);
        }
    }

    /** One timer of the model: when it is due and when it ran. */
    private static final class Probe {
        final long deadline;
        long ranAt = -1;
        int runs;
        Timer timer;
        boolean cancelled;

        Probe(long deadline) {
            this.deadline = deadline;
        }
    }

    @Property(tries = 200)
    void everyTimerRunsOnceInTheFirstRunAtOrAfterItsDeadline(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int count) {
        Random random = new Random(seed);
        ManualClock clock = new ManualClock();
        clock.advanceTo(random.nextLong(1, 1L << 40));
        long origin = clock.nanoTime();
        TimerWheel wheel = new TimerWheel(clock, new TestOwner());
        List<Probe> probes = new ArrayList<>();
        long horizon = 0;
        for (int i = 0; i < count; i++) {
            // Delays from 0 to ~50 days, in whole milliseconds, biased to small ones.
            long delayMs = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(1, 100);
                case 1 -> random.nextInt(10_000);
                case 2 -> random.nextLong(5_000_000);
                default -> random.nextLong(5_000_000_000L);
            };
            schedule(wheel, clock, origin, probes, delayMs);
            horizon = Math.max(horizon, clock.nanoTime() + (delayMs + 1) * MS);
        }
        long last = clock.nanoTime() - 1;
        while (clock.nanoTime() - horizon <= 0) {
            // Steps of every size: one tick, a few, a long sleep.
            long step = switch (random.nextInt(3)) {
                case 0 -> random.nextLong(1, 3) * MS;
                case 1 -> random.nextLong(1, 5_000) * MS;
                default -> random.nextLong(1, 1L << 42);
            };
            clock.advanceTo(clock.nanoTime() + step);
            long now = clock.nanoTime();
            // Now and then: cancel one, re-arm one, or add one while time moves.
            int action = random.nextInt(10);
            Probe some = probes.get(random.nextInt(probes.size()));
            if (action == 0 && some.ranAt < 0 && !some.cancelled) {
                some.cancelled = some.timer.cancel();
                assertThat(some.cancelled).isTrue();
            } else if (action == 1) {
                long delayMs = random.nextLong(1, 100_000);
                schedule(wheel, clock, origin, probes, delayMs);
                horizon = Math.max(horizon, clock.nanoTime() + (delayMs + 1) * MS);
            }
            wheel.runDue(now);
            for (Probe probe : probes) {
                if (probe.cancelled) {
                    assertThat(probe.runs).isZero();
                } else if (probe.deadline - now <= 0) {
                    assertThat(probe.runs).as("due at %d, now %d", probe.deadline, now).isEqualTo(1);
                    if (probe.ranAt == now) {
                        assertThat(probe.deadline - last).as("ran late: due before the previous run").isPositive();
                    }
                } else {
                    assertThat(probe.runs).as("ran early: due at %d, now %d", probe.deadline, now).isZero();
                }
            }
            last = now;
        }
        assertThat(wheel.size()).isZero();
    }

    /** A timer due {@code delayMs} from now; it runs at the first whole tick since {@code origin} at or after that. */
    private static void schedule(TimerWheel wheel, ManualClock clock, long origin, List<Probe> probes, long delayMs) {
        long sinceOrigin = clock.nanoTime() + delayMs * MS - origin;
        Probe probe = new Probe(origin + (sinceOrigin + MS - 1) / MS * MS);
        probe.timer = wheel.schedule(() -> {
            probe.runs++;
            probe.ranAt = clock.nanoTime();
        }, delayMs * MS);
        probes.add(probe);
    }

    @Test
    void timersDueInOneRunRunInDeadlineOrder() {
        ManualClock clock = new ManualClock();
        TimerWheel wheel = new TimerWheel(clock, new TestOwner());
        List<Integer> order = new ArrayList<>();
        int[] delaysMs = {70_000, 3, 5_000, 64, 1, 4_096, 63, 300_000};
        for (int delay : delaysMs) {
            wheel.schedule(() -> order.add(delay), delay * MS);
        }
        wheel.runDue(1_000_000 * MS);
        assertThat(order).containsExactly(1, 3, 63, 64, 4_096, 5_000, 70_000, 300_000);
    }

    @Test
    void theNextDeadlineIsTheSoonestTimersTickSoTheLoopSleepsUntilThen() {
        ManualClock clock = new ManualClock();
        TimerWheel wheel = new TimerWheel(clock, new TestOwner());
        assertThat(wheel.nanosUntilNext(0)).isEqualTo(-1);
        Timer far = wheel.schedule(() -> { }, 90_000 * MS);
        // A far timer wakes the loop early, at the start of its bucket, never late.
        assertThat(wheel.nanosUntilNext(0)).isPositive().isLessThanOrEqualTo(90_000 * MS);
        wheel.schedule(() -> { }, 7 * MS);
        assertThat(wheel.nanosUntilNext(0)).isEqualTo(7 * MS);
        assertThat(wheel.nanosUntilNext(2 * MS)).isEqualTo(5 * MS);
        assertThat(wheel.nanosUntilNext(9 * MS)).isZero();
        wheel.runDue(7 * MS);
        far.cancel();
        assertThat(wheel.size()).isZero();
        assertThat(wheel.nanosUntilNext(7 * MS)).isEqualTo(-1);
    }

    @Test
    void aLoneFarTimerWakesTheLoopOnceAtItsDeadlineNotAlsoAtItsBucket() {
        ManualClock clock = new ManualClock();
        TimerWheel wheel = new TimerWheel(clock, new TestOwner());
        int[] runs = new int[1];
        wheel.schedule(() -> runs[0]++, 1000 * MS); // level 1: its bucket starts at 960 ms
        assertThat(wheel.nanosUntilNext(0)).isEqualTo(1000 * MS);
        assertThat(wheel.runDue(1000 * MS)).isEqualTo(1);
        assertThat(runs[0]).isEqualTo(1);

        // Two in one bucket: the earlier one's deadline; cancelled, it stays a bound, so the
        // loop wakes early once, never late, and the other runs at its own deadline.
        clock.advanceTo(1000 * MS);
        Timer early = wheel.schedule(() -> runs[0]++, 1010 * MS);
        wheel.schedule(() -> runs[0]++, 1030 * MS);
        assertThat(wheel.nanosUntilNext(1000 * MS)).isEqualTo(1010 * MS);
        early.cancel();
        assertThat(wheel.nanosUntilNext(1000 * MS)).isEqualTo(1010 * MS);
        assertThat(wheel.runDue(2010 * MS)).isZero();
        assertThat(wheel.nanosUntilNext(2010 * MS)).isEqualTo(20 * MS);
        assertThat(wheel.runDue(2029 * MS)).isZero();
        assertThat(wheel.runDue(2030 * MS)).isEqualTo(1);
        assertThat(runs[0]).isEqualTo(2);
    }

    @Test
    void rearmingMovesATimerAndCancelUnlinksIt() {
        ManualClock clock = new ManualClock();
        TimerWheel wheel = new TimerWheel(clock, new TestOwner());
        int[] runs = new int[1];
        Timer timer = wheel.schedule(() -> runs[0]++, 10 * MS);
        wheel.arm(timer, 50 * MS);
        assertThat(wheel.size()).isEqualTo(1);
        wheel.runDue(49 * MS);
        assertThat(runs[0]).isZero();
        wheel.runDue(50 * MS);
        assertThat(runs[0]).isEqualTo(1);
        assertThat(timer.isDone()).isTrue();
        assertThat(timer.cancel()).as("a timer that ran cannot be cancelled").isFalse();
        assertThat(timer.isCancelled()).isFalse();

        Timer other = wheel.schedule(() -> runs[0]++, 10 * MS);
        assertThat(other.cancel()).isTrue();
        assertThat(other.cancel()).isFalse();
        assertThat(other.isCancelled()).isTrue();
        assertThat(wheel.size()).isZero();
        wheel.runDue(1_000 * MS);
        assertThat(runs[0]).isEqualTo(1);
    }

    @Test
    void aTaskThatThrowsIsReportedAndTheOthersStillRun() {
        ManualClock clock = new ManualClock();
        TestOwner owner = new TestOwner();
        TimerWheel wheel = new TimerWheel(clock, owner);
        int[] runs = new int[1];
        wheel.schedule(() -> {
            throw new IllegalStateException("boom");
        }, 5 * MS);
        wheel.schedule(() -> runs[0]++, 5 * MS);
        wheel.runDue(5 * MS);
        assertThat(runs[0]).isEqualTo(1);
        assertThat(owner.failures).hasSize(1);
        assertThat(owner.failures.get(0)).hasMessage("boom");
    }

    @Test
    void aTimerScheduledFromATimerWithNoDelayRunsOnTheNextTickNotInTheSameRun() {
        ManualClock clock = new ManualClock();
        TimerWheel wheel = new TimerWheel(clock, new TestOwner());
        int[] runs = new int[1];
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            runs[0]++;
            wheel.schedule(again[0], 0);
        };
        wheel.schedule(again[0], 0);
        wheel.runDue(0);
        assertThat(runs[0]).isZero();
        wheel.runDue(TimerWheel.TICK_NANOS);
        assertThat(runs[0]).isEqualTo(1);
        assertThat(wheel.size()).isEqualTo(1);
    }
}
