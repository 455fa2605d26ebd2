package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * eventfd(2): a kernel counter an event loop polls to be woken.
 *
 * <pre>
 * int eventfd(unsigned int initval, int flags);
 * read(fd, &amp;u64, 8)    returns the counter and resets it to 0 (EAGAIN when 0 and nonblocking)
 * write(fd, &amp;u64, 8)   adds to the counter; the fd is readable (EPOLLIN) while it is non-zero
 * </pre>
 *
 * <p>Static and thread-safe. {@link #signal(int)} may be called from any thread; the other
 * calls take the calling thread's {@link CallState}.
 */
public final class EventFd {
    public static final int EFD_SEMAPHORE = 1;
    /** {@code O_NONBLOCK}: 04000 on x86-64 and aarch64. */
    public static final int EFD_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}: 02000000 on x86-64 and aarch64. */
    public static final int EFD_CLOEXEC = 0x80000;

    private static final long COUNTER_SIZE = Long.BYTES;

    private static final MethodHandle EVENTFD = Libc.downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = Libc.downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    /** Without errno capture: waking threads have no CallState of their own. */
    private static final MethodHandle WRITE = Libc.downcallWithoutErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));

    /** The constant 1 that {@link #signal} writes; never written after init, so shareable. */
    private static final MemorySegment ONE = Arena.global().allocate(JAVA_LONG);

    static {
        ONE.set(JAVA_LONG, 0, 1L);
    }

    private EventFd() {
    }

    /** {@code eventfd(initialValue, flags)}: a new eventfd descriptor. */
    public static int create(int initialValue, int flags, CallState state) throws IOException {
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(state.capture, initialValue, flags);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (fd < 0) {
            throw new ErrnoException("eventfd(" + initialValue + ", flags " + flags + ")",
                    state.errno());
        }
        return fd;
    }

    /**
     * Adds 1 to the counter of {@code fd}, waking a poller waiting on it. Any thread.
     *
     * @return 8 on success, -1 on failure (errno is not captured, so that a thread without a
     *         {@link CallState} can call this; the failures, EBADF after close and EAGAIN at a
     *         counter near 2^64, leave the caller nothing to do)
     */
    public static long signal(int fd) {
        try {
            return (long) WRITE.invokeExact(fd, ONE.address(), COUNTER_SIZE);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * Reads and resets the counter of {@code fd}, into the state's scratch memory.
     *
     * @return the counter (always below 2^63 in use: each signal adds 1), or {@code -errno}
     *         ({@code -EAGAIN}: counter was 0 on a nonblocking eventfd)
     */
    public static long read(int fd, CallState state) {
        try {
            long n = (long) READ.invokeExact(state.capture, fd, state.value.address(),
                    COUNTER_SIZE);
            return n < 0 ? -state.errno() : state.value.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }
}
