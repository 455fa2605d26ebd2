package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;

/**
 * epoll(7): {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait}, and
 * {@code struct epoll_event}.
 *
 * <pre>
 * typedef union epoll_data { void *ptr; int fd; uint32_t u32; uint64_t u64; } epoll_data_t;
 *
 * struct epoll_event {
 *     uint32_t     events;   // EPOLLIN | EPOLLOUT | ...
 *     epoll_data_t data;     // handed back untouched; we use u64
 * } EPOLL_PACKED;            // __attribute__((packed)) on x86-64 only
 *
 * x86-64 (12 bytes, packed: data is unaligned)     aarch64 and others (16 bytes)
 *  0          4                        12           0          4          8                    16
 *  +----------+------------------------+            +----------+----------+--------------------+
 *  |  events  |       data (u64)       |            |  events  | padding  |     data (u64)     |
 *  +----------+------------------------+            +----------+----------+--------------------+
 * </pre>
 *
 * Event arrays are read with {@link #events(MemorySegment, int)} and
 * {@link #data(MemorySegment, int)}; data is read unaligned on every architecture, which costs
 * nothing on either and keeps one code path.
 *
 * <p>Static and thread-safe; the {@link CallState} passed in belongs to the calling thread.
 */
public final class Epoll {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    /** {@code O_CLOEXEC}: 02000000 on x86-64 and aarch64. */
    public static final int EPOLL_CLOEXEC = 0x80000;

    /** The packed x86-64 layout. */
    public static final StructLayout EVENT_LAYOUT_X86_64 = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG_UNALIGNED.withName("data"));

    /** The naturally aligned layout of aarch64 and every other architecture. */
    public static final StructLayout EVENT_LAYOUT_ALIGNED = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("data"));

    /** The layout on this machine. */
    public static final StructLayout EVENT_LAYOUT = eventLayout(Arch.current());

    /** {@code sizeof(struct epoll_event)} on this machine: 12 on x86-64, 16 on aarch64. */
    public static final int EVENT_SIZE = (int) EVENT_LAYOUT.byteSize();
    public static final int EVENTS_OFFSET = 0;
    /** {@code offsetof(struct epoll_event, data)} on this machine: 4 on x86-64, 8 on aarch64. */
    public static final int DATA_OFFSET = dataOffset(Arch.current());

    private static final MethodHandle CREATE1 = Libc.downcall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL = Libc.downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    /**
     * Blocks: never critical (see the package documentation). Called once per loop iteration,
     * so it must not allocate: the events array goes as a raw address (see {@link Libc#address})
     * and errno is not captured, because the linker's check of the capture segment allocated a
     * slice on every epoll_wait (C2 did not scalar-replace it here, as it does for read and
     * write), the loop thread's only allocation under load. {@link #WAIT_FOR_ERRNO} repeats a
     * failed call to learn why.
     */
    private static final MethodHandle WAIT = Libc.downcallWithoutErrno("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    private static final MethodHandle WAIT_FOR_ERRNO = Libc.downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));

    private Epoll() {
    }

    /** The epoll_event layout of {@code arch}. */
    public static StructLayout eventLayout(Arch arch) {
        return arch == Arch.X86_64 ? EVENT_LAYOUT_X86_64 : EVENT_LAYOUT_ALIGNED;
    }

    /** {@code offsetof(struct epoll_event, data)} on {@code arch}. */
    public static int dataOffset(Arch arch) {
        return arch == Arch.X86_64 ? 4 : 8;
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}: a new epoll descriptor. */
    public static int create(CallState state) throws IOException {
        int epfd;
        try {
            epfd = (int) CREATE1.invokeExact(state.capture, EPOLL_CLOEXEC);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (epfd < 0) {
            throw new ErrnoException("epoll_create1(EPOLL_CLOEXEC)", state.errno());
        }
        return epfd;
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, {events, data})}. The event struct is built in the state's
     * scratch memory; {@code events} and {@code data} are ignored by {@link #EPOLL_CTL_DEL}.
     */
    public static void ctl(int epfd, int op, int fd, int events, long data, CallState state)
            throws IOException {
        MemorySegment event = state.value;
        event.set(JAVA_INT, EVENTS_OFFSET, events);
        event.set(JAVA_LONG_UNALIGNED, DATA_OFFSET, data);
        int result;
        try {
            result = (int) CTL.invokeExact(state.capture, epfd, op, fd, event);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("epoll_ctl(" + opName(op) + ", fd " + fd + ")", state.errno());
        }
    }

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeoutMillis)}: waits until a descriptor is
     * ready, {@code timeoutMillis} passes (0: do not wait; -1: forever) or a signal interrupts.
     *
     * @param events an array of at least {@code maxEvents} events (see {@link #allocateEvents})
     * @return the number of ready events, 0 on timeout, or {@code -errno} ({@code -EINTR} means
     *         "call again")
     */
    public static int wait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis,
            CallState state) {
        long address = Libc.arrayAddress(events, maxEvents, EVENT_SIZE, "epoll events");
        try {
            int n = (int) WAIT.invokeExact(epfd, address, maxEvents, timeoutMillis);
            state.calls++;
            if (n >= 0) {
                return n;
            }
            // Failed, errno unknown. A signal (EINTR) is transient: the repeat, not waiting,
            // returns what is ready now, as the caller would have called again anyway. A bad
            // descriptor or argument (EBADF, EINVAL, EFAULT) fails again, this time with errno.
            return Libc.orMinusErrno((int) WAIT_FOR_ERRNO.invokeExact(state.capture, epfd, address, maxEvents, 0),
                    state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(events);
        }
    }

    /** Allocates an array of {@code count} epoll events, 8-aligned. */
    public static MemorySegment allocateEvents(SegmentAllocator allocator, int count) {
        return allocator.allocate((long) EVENT_SIZE * count, Long.BYTES);
    }

    /** The {@code events} field of element {@code index}. */
    public static int events(MemorySegment events, int index) {
        return events.get(JAVA_INT, (long) index * EVENT_SIZE + EVENTS_OFFSET);
    }

    /** The {@code data.u64} field of element {@code index}. */
    public static long data(MemorySegment events, int index) {
        return events.get(JAVA_LONG_UNALIGNED, (long) index * EVENT_SIZE + DATA_OFFSET);
    }

    /** {@code "ADD"}, {@code "MOD"}, {@code "DEL"}, for messages. */
    static String opName(int op) {
        return switch (op) {
            case EPOLL_CTL_ADD -> "ADD";
            case EPOLL_CTL_DEL -> "DEL";
            case EPOLL_CTL_MOD -> "MOD";
            default -> "op " + op;
        };
    }
}
