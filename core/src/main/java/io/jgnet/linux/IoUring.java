package io.jgnet.linux;

import static io.jgnet.linux.IoUringParams.CQ_OFF;
import static io.jgnet.linux.IoUringParams.CQ_OFF_CQES;
import static io.jgnet.linux.IoUringParams.IORING_FEAT_EXT_ARG;
import static io.jgnet.linux.IoUringParams.IORING_FEAT_MIN_TIMEOUT;
import static io.jgnet.linux.IoUringParams.IORING_FEAT_SINGLE_MMAP;
import static io.jgnet.linux.IoUringParams.IORING_SETUP_COOP_TASKRUN;
import static io.jgnet.linux.IoUringParams.IORING_SETUP_CQSIZE;
import static io.jgnet.linux.IoUringParams.IORING_SETUP_DEFER_TASKRUN;
import static io.jgnet.linux.IoUringParams.IORING_SETUP_SINGLE_ISSUER;
import static io.jgnet.linux.IoUringParams.IORING_SETUP_SUBMIT_ALL;
import static io.jgnet.linux.IoUringParams.IORING_SETUP_TASKRUN_FLAG;
import static io.jgnet.linux.IoUringParams.IORING_SQ_TASKRUN;
import static io.jgnet.linux.IoUringParams.IORING_SQ_CQ_OVERFLOW;
import static io.jgnet.linux.IoUringParams.OFF_HEAD;
import static io.jgnet.linux.IoUringParams.OFF_RING_MASK;
import static io.jgnet.linux.IoUringParams.OFF_TAIL;
import static io.jgnet.linux.IoUringParams.SQ_OFF;
import static io.jgnet.linux.IoUringParams.SQ_OFF_ARRAY;
import static io.jgnet.linux.IoUringParams.SQ_OFF_FLAGS;
import static io.jgnet.linux.IoUringSys.IORING_ENTER_EXT_ARG;
import static io.jgnet.linux.IoUringSys.IORING_ENTER_GETEVENTS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.BitSet;

/**
 * One io_uring instance: the ring descriptor, its submission queue (SQ ring and SQE array) and
 * completion queue (CQ ring) mapped into this process, and the three moves an event loop makes
 * with them: take an SQE ({@link #nextSqe}), submit and wait in one {@code io_uring_enter}
 * ({@link #submitAndWait}), reap completions ({@link #reap}). No policy: what to submit and what
 * a completion means is the caller's.
 *
 * <pre>
 *   SQ ring (mmap IORING_OFF_SQ_RING)                 CQ ring (same mapping with SINGLE_MMAP)
 *   +------+------+------+-------+--------------+     +------+------+------+----------+------------+
 *   | head | tail | mask | flags | array[n] u32 |     | head | tail | mask | overflow | cqes[2n]   |
 *   +------+------+------+-------+--------------+     +------+------+------+----------+------------+
 *    kernel  us                    index -> SQE         us     kernel                  16 B each
 *   SQE array (mmap IORING_OFF_SQES): n x 64 B ({@link Sqe})
 * </pre>
 *
 * <h2>Memory ordering</h2>
 * The rings are shared with the kernel, which runs on other CPUs. Each index has one writer:
 * we write the SQ tail and the CQ head, the kernel the SQ head and the CQ tail. A write of an
 * index publishes the entries before it, and a read of the other side's index must see the
 * entries it covers, so (as liburing's {@code smp_store_release}/{@code smp_load_acquire}):
 * <ul>
 *   <li>SQ tail: {@code setRelease}, after the SQEs are written, so the kernel never reads a
 *       half-written SQE;</li>
 *   <li>CQ tail: {@code getAcquire}, before the CQEs are read, so we never read a CQE the kernel
 *       has not finished;</li>
 *   <li>CQ head: {@code setRelease}, after the CQEs are read, so the kernel does not overwrite a
 *       CQE we are still reading;</li>
 *   <li>SQ head and SQ flags: {@code getAcquire}, to see the kernel's latest consumption.</li>
 * </ul>
 * Plain accesses give no such guarantee (the JIT may reorder them), {@code volatile} would be
 * stronger than needed. On x86-64 acquire and release are plain moves; on aarch64 they are
 * {@code ldar}/{@code stlr}.
 *
 * <h2>Threading and ownership</h2>
 * One ring per event loop, used only by that loop's thread. With
 * {@link IoUringParams#IORING_SETUP_SINGLE_ISSUER} (the default when the kernel takes it) the
 * kernel itself refuses submissions ({@code -EEXIST}) from any thread but the one that
 * {@link #open opened} the ring: open it on the loop thread. Other threads wake the loop through
 * an eventfd read the loop keeps armed, or a {@code IORING_OP_MSG_RING} from their own ring.
 * {@link #close()} unmaps the rings; the owner calls it once, on the loop thread, last.
 */
public final class IoUring implements AutoCloseable {
    /**
     * The flag sets {@link #open(int, CallState)} tries, best first: the kernel refuses a flag
     * it does not know with EINVAL. DEFER_TASKRUN (6.1) needs SINGLE_ISSUER (6.0); COOP_TASKRUN
     * is 5.19; SUBMIT_ALL 5.18. TASKRUN_FLAG (with either) makes the kernel raise
     * {@link IoUringParams#IORING_SQ_TASKRUN} when completion work waits for us to enter, so
     * that {@link #submit()} can skip the system call when nothing waits.
     */
    public static final int[] DEFAULT_FLAGS = {
        IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN
                | IORING_SETUP_TASKRUN_FLAG,
        IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
        0};

    /** A batch wait's timeout when the caller has none: a day, i.e. until a completion comes. */
    private static final long NO_TIMEOUT_NANOS = 86_400_000_000_000L;

    /** Access to the ring indices with acquire/release semantics; coordinates (segment, offset). */
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final int fd;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final CallState state;

    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHead;
    private final long sqTail;
    private final long sqFlags;
    private final int sqMask;
    private final long cqHead;
    private final long cqTail;
    private final int cqMask;
    private final long cqes;

    /** The EXT_ARG wait argument and the timespec it points to, allocated once. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment waitArg;
    private final MemorySegment waitTimeout;

    /** SQEs handed out: the next SQ tail to publish. Ours alone. */
    private int sqeTail;
    /** The CQ head we publish. Ours alone. */
    private int cqeHead;
    private boolean closed;

    private IoUring(int fd, MemorySegment params, CallState state) throws IOException {
        this.fd = fd;
        this.state = state;
        setupFlags = params.get(JAVA_INT, IoUringParams.FLAGS);
        features = params.get(JAVA_INT, IoUringParams.FEATURES);
        sqEntries = params.get(JAVA_INT, IoUringParams.SQ_ENTRIES);
        cqEntries = params.get(JAVA_INT, IoUringParams.CQ_ENTRIES);
        long sqArray = field(params, SQ_OFF + SQ_OFF_ARRAY);
        long sqSize = sqArray + (long) sqEntries * Integer.BYTES;
        long cqSize = field(params, CQ_OFF + CQ_OFF_CQES) + (long) cqEntries * Cqe.SIZE;
        int prot = Mman.PROT_READ | Mman.PROT_WRITE;
        int flags = Mman.MAP_SHARED | Mman.MAP_POPULATE;
        MemorySegment sq = null;
        MemorySegment cq = null;
        try {
            if ((features & IORING_FEAT_SINGLE_MMAP) != 0) {
                sq = Mman.map(Math.max(sqSize, cqSize), prot, flags, fd,
                        IoUringParams.IORING_OFF_SQ_RING, state);
                cq = sq;
            } else {
                sq = Mman.map(sqSize, prot, flags, fd, IoUringParams.IORING_OFF_SQ_RING, state);
                cq = Mman.map(cqSize, prot, flags, fd, IoUringParams.IORING_OFF_CQ_RING, state);
            }
            sqes = Mman.map((long) sqEntries * Sqe.SIZE, prot, flags, fd,
                    IoUringParams.IORING_OFF_SQES, state);
        } catch (IOException e) {
            unmapQuietly(cq != sq ? cq : null);
            unmapQuietly(sq);
            throw e;
        }
        sqRing = sq;
        cqRing = cq;
        sqHead = field(params, SQ_OFF + OFF_HEAD);
        sqTail = field(params, SQ_OFF + OFF_TAIL);
        sqFlags = field(params, SQ_OFF + SQ_OFF_FLAGS);
        sqMask = sqRing.get(JAVA_INT, field(params, SQ_OFF + OFF_RING_MASK));
        cqHead = field(params, CQ_OFF + OFF_HEAD);
        cqTail = field(params, CQ_OFF + OFF_TAIL);
        cqMask = cqRing.get(JAVA_INT, field(params, CQ_OFF + OFF_RING_MASK));
        cqes = field(params, CQ_OFF + CQ_OFF_CQES);
        // The SQ array maps ring slots to SQE indices. Slot i always names SQE i, so that an
        // SQE's index is the tail it was handed out at; written once, here.
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(JAVA_INT, sqArray + (long) i * Integer.BYTES, i);
        }
        sqeTail = (int) INT.getAcquire(sqRing, sqTail);
        cqeHead = (int) INT.getAcquire(cqRing, cqHead);
        waitArg = arena.allocate(IoUringSys.GETEVENTS_ARG_SIZE, Long.BYTES);
        waitTimeout = arena.allocate(IoUringSys.TIMESPEC_SIZE, Long.BYTES);
        waitArg.set(JAVA_LONG, IoUringSys.GETEVENTS_ARG_TS, waitTimeout.address());
    }

    private static long field(MemorySegment params, long offset) {
        return Integer.toUnsignedLong(params.get(JAVA_INT, offset));
    }

    /** A ring of {@code entries} SQEs with the best of {@link #DEFAULT_FLAGS} the kernel takes. */
    public static IoUring open(int entries, CallState state) throws IOException {
        return open(entries, 0, DEFAULT_FLAGS, state);
    }

    /**
     * A ring of {@code entries} SQEs (rounded up to a power of two by the kernel) and
     * {@code cqEntries} CQEs (0: the kernel's default, twice {@code entries}), set up with the
     * first of {@code flagSets} that the kernel accepts. A set refused with EINVAL (an unknown or
     * unsupported flag) falls back to the next; any other failure (ENOSYS, EPERM, ENOMEM) is
     * thrown at once. Call on the thread that will use the ring (see the class comment).
     *
     * @throws ErrnoException from the last set tried, or the first failure that is not EINVAL
     */
    public static IoUring open(int entries, int cqEntries, int[] flagSets, CallState state)
            throws IOException {
        return open(entries, cqEntries, flagSets, IoUringSys::setup, state);
    }

    /** {@link IoUringSys#setup}, or a stand-in that fails as it would, for tests. */
    @FunctionalInterface
    interface Setup {
        int setup(int entries, MemorySegment params, CallState state) throws ErrnoException;
    }

    static IoUring open(int entries, int cqEntries, int[] flagSets, Setup setup,
            CallState state) throws IOException {
        if (flagSets.length == 0) {
            throw new IllegalArgumentException("no flag set to try");
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment params = scratch.allocate(IoUringParams.SIZE, Long.BYTES);
            ErrnoException refused = null;
            for (int flags : flagSets) {
                params.fill((byte) 0);
                params.set(JAVA_INT, IoUringParams.FLAGS,
                        cqEntries > 0 ? flags | IORING_SETUP_CQSIZE : flags);
                params.set(JAVA_INT, IoUringParams.CQ_ENTRIES, cqEntries);
                int fd;
                try {
                    fd = setup.setup(entries, params, state);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINVAL) {
                        throw e;
                    }
                    refused = e;
                    continue;
                }
                try {
                    return new IoUring(fd, params, state);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(fd, state);
                    throw e;
                }
            }
            throw refused;
        }
    }

    /** The ring descriptor, e.g. for a {@code IORING_OP_MSG_RING} aimed at this ring. */
    public int fd() {
        return fd;
    }

    /** The {@code IORING_SETUP_*} flags the kernel accepted. */
    public int setupFlags() {
        return setupFlags;
    }

    /** The {@code IORING_FEAT_*} bits the kernel reported. */
    public int features() {
        return features;
    }

    public int sqEntries() {
        return sqEntries;
    }

    public int cqEntries() {
        return cqEntries;
    }

    /** The SQE array: {@link #nextSqe()} returns byte offsets into it for the {@link Sqe} writers. */
    public MemorySegment sqes() {
        return sqes;
    }

    /**
     * The byte offset in {@link #sqes()} of a free SQE for the caller to fill (with a
     * {@link Sqe} writer) before its next {@link #submit} or {@link #submitAndWait}. When the
     * SQ is full, first submits what it holds: a burst larger than the ring costs an extra
     * {@code io_uring_enter}, not a failure.
     *
     * @throws IllegalStateException when the SQ is full and the kernel takes none of it
     *         ({@code -EBUSY}/{@code -EAGAIN}: the CQ is backed up; reap first)
     */
    public long nextSqe() {
        if (sqeTail - (int) INT.getAcquire(sqRing, sqHead) == sqEntries) {
            int submitted = submit();
            if (sqeTail - (int) INT.getAcquire(sqRing, sqHead) == sqEntries) {
                throw new IllegalStateException("io_uring SQ full (" + sqEntries
                        + " entries) and the kernel took none: "
                        + (submitted < 0 ? Errno.name(-submitted) : submitted + " submitted"));
            }
        }
        return (long) (sqeTail++ & sqMask) * Sqe.SIZE;
    }

    /** SQEs handed out by {@link #nextSqe()} that the kernel has not consumed yet. */
    public int unsubmitted() {
        return sqeTail - (int) INT.getAcquire(sqRing, sqHead);
    }

    /**
     * Submits the SQEs handed out since the last submission without waiting (but running the
     * completion work a deferred-taskrun ring keeps for the next {@code GETEVENTS}).
     *
     * @return the number of SQEs the kernel consumed, or {@code -errno}
     */
    public int submit() {
        return submitAndWait(0, -1);
    }

    /**
     * Submits the SQEs handed out since the last submission and waits, in the same
     * {@code io_uring_enter}, until at least {@code minComplete} completions are in the CQ or
     * {@code timeoutNanos} pass (negative: no timeout). Makes no system call when there is
     * nothing to submit, nothing to wait for and, as far as the ring says, no kernel work
     * pending (a deferred-taskrun ring without TASKRUN_FLAG cannot say, so it always enters).
     *
     * @return the number of SQEs consumed, or {@code -errno}: {@code -ETIME} when the timeout
     *         passed first, {@code -EINTR} on a signal (both mean "reap and carry on")
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        return submitAndWait(minComplete, timeoutNanos, 0);
    }

    /**
     * As {@link #submitAndWait(int, long)}, but waits for {@code minComplete} completions only
     * {@code minWaitNanos} (rounded up to a microsecond); after that any completion ends the
     * wait, so that waiting for a batch costs a lone completion at most that much delay. Where
     * the kernel has no minimum wait ({@link #hasMinWait()} false), or {@code minComplete} is 1,
     * or {@code minWaitNanos} is 0, waits for one completion instead.
     */
    public int submitAndWait(int minComplete, long timeoutNanos, long minWaitNanos) {
        boolean batch = minComplete > 1 && minWaitNanos > 0 && hasMinWait();
        if (!batch) {
            minComplete = Math.min(minComplete, 1);
        }
        int toSubmit = sqeTail - (int) INT.getAcquire(sqRing, sqHead);
        INT.setRelease(sqRing, sqTail, sqeTail);
        int flags = 0;
        // Deferred completion work runs, and an overflowed CQ is refilled from the kernel's
        // list, only inside an enter with GETEVENTS.
        if (minComplete > 0 || kernelWorkPending()) {
            flags |= IORING_ENTER_GETEVENTS;
        }
        if (toSubmit == 0 && flags == 0) {
            return 0;
        }
        long arg = 0;
        long argSize = 0;
        if (batch) {
            // Without a timeout the kernel would end the whole wait when the minimum wait ends.
            IoUringSys.setTimespec(waitTimeout, timeoutNanos < 0 ? NO_TIMEOUT_NANOS : timeoutNanos);
            waitArg.set(JAVA_INT, IoUringSys.GETEVENTS_ARG_MIN_WAIT_USEC,
                    (int) Math.min(Integer.MAX_VALUE, (minWaitNanos + 999) / 1000));
            flags |= IORING_ENTER_EXT_ARG;
            arg = waitArg.address();
            argSize = IoUringSys.GETEVENTS_ARG_SIZE;
        } else if (minComplete > 0 && timeoutNanos >= 0) {
            if ((features & IORING_FEAT_EXT_ARG) == 0) {
                throw new UnsupportedOperationException(
                        "this kernel has no IORING_FEAT_EXT_ARG (5.11): use a timeout SQE");
            }
            waitArg.set(JAVA_INT, IoUringSys.GETEVENTS_ARG_MIN_WAIT_USEC, 0);
            IoUringSys.setTimespec(waitTimeout, timeoutNanos);
            flags |= IORING_ENTER_EXT_ARG;
            arg = waitArg.address();
            argSize = IoUringSys.GETEVENTS_ARG_SIZE;
        }
        return IoUringSys.enter(fd, toSubmit, minComplete, flags, arg, argSize, state);
    }

    /** Whether the kernel takes a minimum wait ({@link IoUringParams#IORING_FEAT_MIN_TIMEOUT}, 6.12). */
    public boolean hasMinWait() {
        return (features & IORING_FEAT_MIN_TIMEOUT) != 0;
    }

    private boolean kernelWorkPending() {
        if ((setupFlags & (IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG))
                == IORING_SETUP_DEFER_TASKRUN) {
            return true;
        }
        return ((int) INT.getAcquire(sqRing, sqFlags) & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN))
                != 0;
    }

    /** Whether the kernel holds completions that did not fit the CQ ({@code IORING_SQ_CQ_OVERFLOW}). */
    public boolean cqOverflowed() {
        return ((int) INT.getAcquire(sqRing, sqFlags) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** Completions in the CQ now, not yet reaped. */
    public int ready() {
        return (int) INT.getAcquire(cqRing, cqTail) - cqeHead;
    }

    /** Receives one completion; called on the ring's thread, during {@link #reap}. */
    @FunctionalInterface
    public interface Completion {
        /**
         * @param userData the SQE's user data
         * @param res the operation's result, or {@code -errno}
         * @param flags {@code IORING_CQE_F_*} (see {@link Cqe})
         */
        void complete(long userData, int res, int flags);
    }

    /**
     * Hands every completion in the CQ to {@code handler}, in order, and frees their slots. When
     * the CQ had overflowed, asks the kernel for the completions it kept and hands those on too.
     * The handler may take and fill SQEs; it must not call {@code reap} itself.
     *
     * @return the number of completions handed on
     */
    public int reap(Completion handler) {
        int reaped = 0;
        while (true) {
            int tail = (int) INT.getAcquire(cqRing, cqTail);
            int head = cqeHead;
            try {
                while (head != tail) {
                    long at = cqes + (long) (head & cqMask) * Cqe.SIZE;
                    long userData = cqRing.get(JAVA_LONG, at + Cqe.USER_DATA);
                    int res = cqRing.get(JAVA_INT, at + Cqe.RES);
                    int flags = cqRing.get(JAVA_INT, at + Cqe.FLAGS);
                    head++;
                    reaped++;
                    handler.complete(userData, res, flags);
                }
            } finally {
                cqeHead = head;
                INT.setRelease(cqRing, cqHead, head);
            }
            if (!cqOverflowed()) {
                return reaped;
            }
            // Space is free now: GETEVENTS without waiting flushes the kept completions in.
            IoUringSys.enter(fd, 0, 0, IORING_ENTER_GETEVENTS, 0, 0, state);
        }
    }

    /** {@code IORING_REGISTER_PROBE}: bit {@code op} is set for every supported opcode. */
    public BitSet probe() throws IOException {
        return IoUringSys.probe(fd, state);
    }

    /** {@code "flags SUBMIT_ALL|..., features SINGLE_MMAP|..., sq 8, cq 16"}, for logs. */
    public String describe() {
        return "flags " + IoUringParams.setupFlagNames(setupFlags) + ", features "
                + IoUringParams.featureNames(features) + ", sq " + sqEntries + ", cq " + cqEntries;
    }

    /** The loop's CallState, for the helpers ({@link BufRing}) that make calls on this ring. */
    CallState state() {
        return state;
    }

    /**
     * Unmaps the rings and closes the descriptor; the kernel cancels what is still in flight.
     * Idempotent. No SQE offset or completion read may be used afterwards.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Mman.unmap(sqes, state);
            if (cqRing != sqRing) {
                Mman.unmap(cqRing, state);
            }
            Mman.unmap(sqRing, state);
        } finally {
            arena.close();
            Io.close(fd, state);
        }
    }

    private void unmapQuietly(MemorySegment mapping) {
        if (mapping != null) {
            try {
                Mman.unmap(mapping, state);
            } catch (IOException ignored) {
                // only on a failed open, already failing with the first error
            }
        }
    }

    private static void closeQuietly(int fd, CallState state) {
        try {
            Io.close(fd, state);
        } catch (IOException ignored) {
            // only on a failed open, already failing with the first error
        }
    }
}
