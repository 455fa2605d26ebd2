package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.util.BitSet;

/**
 * io_uring(7)'s three system calls, which libc does not wrap, made through {@code syscall(2)}:
 *
 * <pre>
 * int io_uring_setup(u32 entries, struct io_uring_params *p);
 * int io_uring_enter(unsigned int fd, u32 to_submit, u32 min_complete, u32 flags,
 *                    const void *arg, size_t argsz);
 * int io_uring_register(unsigned int fd, unsigned int opcode, void *arg, unsigned int nr_args);
 * </pre>
 *
 * System call numbers 425, 426 and 427 on x86-64 ({@code asm/unistd_64.h}) and on aarch64
 * ({@code asm-generic/unistd.h}): io_uring came after the tables were unified.
 *
 * <p>With {@link #IORING_ENTER_EXT_ARG}, {@code arg} is a {@code struct io_uring_getevents_arg}
 * whose {@code ts} points to a {@code struct __kernel_timespec}, the wait's timeout:
 *
 * <pre>
 * struct io_uring_getevents_arg {     0          8            12         16         24
 *     __u64 sigmask;                  +----------+------------+----------+----------+
 *     __u32 sigmask_sz;               | sigmask  | sigmask_sz | min_wait |    ts    |
 *     __u32 min_wait_usec;            +----------+------------+----------+----------+
 *     __u64 ts;                       min_wait_usec: a pad before 6.12 (IORING_FEAT_MIN_TIMEOUT)
 * };
 *
 * struct __kernel_timespec {          0          8          16
 *     __kernel_time64_t tv_sec;       +----------+----------+
 *     long long         tv_nsec;      |  tv_sec  | tv_nsec  |
 * };                                  +----------+----------+
 *
 * struct io_uring_probe_op {          struct io_uring_probe {
 *     __u8  op;                           __u8  last_op;    // last opcode supported
 *     __u8  resv;                         __u8  ops_len;    // length of ops[] array below
 *     __u16 flags;  // IO_URING_OP_*      __u16 resv;
 *     __u32 resv2;                        __u32 resv2[3];
 * };          (8 bytes)                   struct io_uring_probe_op ops[];
 *                                     };  (16 bytes + 8 per op)
 * </pre>
 *
 * {@code io_uring_enter} blocks (that is its job), so its handle, like every handle here, is not
 * critical. Static and thread-safe; the {@link CallState} passed in belongs to the calling thread.
 */
public final class IoUringSys {
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_IO_URING_REGISTER = 427;

    // io_uring_enter flags
    /** Wait for {@code min_complete} completions (and run pending task work). */
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;
    /** {@code arg} is a {@code struct io_uring_getevents_arg} (a timeout), not a sigset. */
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    public static final int IORING_ENTER_REGISTERED_RING = 1 << 4;

    // io_uring_register opcodes
    public static final int IORING_REGISTER_EVENTFD = 4;
    public static final int IORING_UNREGISTER_EVENTFD = 5;
    public static final int IORING_REGISTER_PROBE = 8;
    public static final int IORING_REGISTER_RING_FDS = 20;
    public static final int IORING_UNREGISTER_RING_FDS = 21;
    /** Register a provided-buffer ring ({@code struct io_uring_buf_reg}, see {@link BufRing}). */
    public static final int IORING_REGISTER_PBUF_RING = 22;
    public static final int IORING_UNREGISTER_PBUF_RING = 23;

    /** In {@code io_uring_probe_op.flags}. */
    public static final int IO_URING_OP_SUPPORTED = 1;

    /** errno values io_uring reports that {@link Errno} does not name. */
    public static final int EBUSY = 16;
    public static final int ETIME = 62;
    public static final int ECANCELED = 125;

    public static final StructLayout GETEVENTS_ARG_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"),
            JAVA_INT.withName("sigmask_sz"),
            JAVA_INT.withName("min_wait_usec"),
            JAVA_LONG.withName("ts"));
    public static final int GETEVENTS_ARG_SIZE = 24;
    /** Before 6.12 a pad the kernel ignored; with {@code IORING_FEAT_MIN_TIMEOUT} the minimum wait. */
    public static final int GETEVENTS_ARG_MIN_WAIT_USEC = 12;
    public static final int GETEVENTS_ARG_TS = 16;

    public static final StructLayout TIMESPEC_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec"));
    public static final int TIMESPEC_SIZE = 16;
    public static final int TIMESPEC_SEC = 0;
    public static final int TIMESPEC_NSEC = 8;

    public static final StructLayout PROBE_OP_LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("op"),
            JAVA_BYTE.withName("resv"),
            JAVA_SHORT.withName("flags"),
            JAVA_INT.withName("resv2"));
    public static final StructLayout PROBE_LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("last_op"),
            JAVA_BYTE.withName("ops_len"),
            JAVA_SHORT.withName("resv"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2"));
    public static final int PROBE_SIZE = 16;
    public static final int PROBE_LAST_OP = 0;
    public static final int PROBE_OPS_LEN = 1;
    public static final int PROBE_OP_SIZE = 8;
    public static final int PROBE_OP_FLAGS = 2;
    /** The most ops a probe can describe: {@code ops_len} is a byte. */
    public static final int PROBE_MAX_OPS = 256;

    private static final MethodHandle SYSCALL6 = Libc.syscall6();

    private IoUringSys() {
    }

    /**
     * {@code io_uring_setup(entries, params)}: a new ring descriptor; the kernel fills
     * {@code params} (at least {@link IoUringParams#SIZE} bytes, zeroed but for the flags the
     * caller set).
     */
    public static int setup(int entries, MemorySegment params, CallState state)
            throws ErrnoException {
        long address = Libc.address(params, 0, IoUringParams.SIZE);
        long fd;
        try {
            fd = (long) SYSCALL6.invokeExact(state.capture, SYS_IO_URING_SETUP, (long) entries,
                    address, 0L, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(params);
        }
        if (fd < 0) {
            throw new ErrnoException("io_uring_setup(" + entries + ", flags "
                    + IoUringParams.setupFlagNames(params.get(JAVA_INT, IoUringParams.FLAGS))
                    + ")", state.errno());
        }
        return (int) fd;
    }

    /**
     * {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: submits, and with
     * {@link #IORING_ENTER_GETEVENTS} waits. On the hot path, so no exception.
     *
     * @param arg the raw address of the extended argument, or 0
     * @return the number of SQEs consumed, or {@code -errno} ({@code -ETIME}: the
     *         {@code EXT_ARG} timeout passed; {@code -EINTR}: a signal; {@code -EBUSY} or
     *         {@code -EAGAIN}: the CQ is too full to submit more, reap first)
     */
    public static int enter(int fd, int toSubmit, int minComplete, int flags, long arg,
            long argSize, CallState state) {
        try {
            return (int) Libc.orMinusErrno((long) SYSCALL6.invokeExact(state.capture,
                    SYS_IO_URING_ENTER, (long) fd, (long) toSubmit, (long) minComplete,
                    (long) flags, arg, argSize), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * {@code io_uring_register(fd, opcode, arg, count)}.
     *
     * @param arg the argument ({@code NULL} for none), kept alive by the caller
     * @return the call's non-negative result
     */
    public static int register(int fd, int opcode, MemorySegment arg, int count,
            CallState state) throws ErrnoException {
        long address = arg.equals(MemorySegment.NULL) ? 0 : Libc.address(arg, 0, arg.byteSize());
        long result;
        try {
            result = (long) SYSCALL6.invokeExact(state.capture, SYS_IO_URING_REGISTER, (long) fd,
                    (long) opcode, address, (long) count, 0L, 0L);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(arg);
        }
        if (result < 0) {
            throw new ErrnoException("io_uring_register(fd " + fd + ", opcode " + opcode + ")",
                    state.errno());
        }
        return (int) result;
    }

    /** Writes {@code nanos} (non-negative) into the {@code __kernel_timespec} at {@code timespec}. */
    public static void setTimespec(MemorySegment timespec, long nanos) {
        timespec.set(JAVA_LONG, TIMESPEC_SEC, nanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, TIMESPEC_NSEC, nanos % 1_000_000_000L);
    }

    /**
     * {@code IORING_REGISTER_PROBE}: which opcodes the kernel supports.
     *
     * @return a set of opcodes: bit {@code op} of the result is set when op is supported
     */
    static BitSet probe(int ringFd, CallState state) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = arena.allocate(PROBE_SIZE + (long) PROBE_OP_SIZE * PROBE_MAX_OPS,
                    Long.BYTES);
            register(ringFd, IORING_REGISTER_PROBE, probe, PROBE_MAX_OPS, state);
            int count = Byte.toUnsignedInt(probe.get(JAVA_BYTE, PROBE_OPS_LEN));
            BitSet supported = new BitSet(count);
            for (int i = 0; i < count; i++) {
                long op = PROBE_SIZE + (long) i * PROBE_OP_SIZE;
                if ((probe.get(JAVA_SHORT, op + PROBE_OP_FLAGS) & IO_URING_OP_SUPPORTED) != 0) {
                    supported.set(Byte.toUnsignedInt(probe.get(JAVA_BYTE, op)));
                }
            }
            return supported;
        }
    }
}
