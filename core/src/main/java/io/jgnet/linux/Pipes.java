package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.invoke.MethodHandle;

/**
 * Pipes, for moving file pages to a socket with splice(2) through one, and a descriptor of
 * one's own for the file while a splice may still use it:
 *
 * <pre>
 * int pipe2(int pipefd[2], int flags);           pipefd[0] reads, pipefd[1] writes
 * int fcntl(fd, F_SETPIPE_SZ, int size);         the pipe's capacity, rounded up to pages
 * int fcntl(fd, F_DUPFD_CLOEXEC, 0);             a new descriptor for the same open file
 * </pre>
 *
 * Both go through {@code syscall(2)}: fcntl is variadic and pipe2 takes a pointer, and the
 * system-call numbers are all that differ between the architectures. Static and thread-safe;
 * the {@link CallState} passed in belongs to the calling thread (its value scratch holds the
 * two descriptors).
 */
public final class Pipes {
    private static final MethodHandle SYSCALL3 = Libc.syscall3();
    private static final long SYS_PIPE2 = Arch.current() == Arch.AARCH64 ? 59 : 293;
    private static final long SYS_FCNTL = Arch.current() == Arch.AARCH64 ? 25 : 72;
    private static final long F_DUPFD_CLOEXEC = 1030;
    private static final long F_SETPIPE_SZ = 1031;
    /** {@code O_NONBLOCK | O_CLOEXEC}. */
    private static final long NONBLOCK_CLOEXEC = 0x800 | 0x80000;

    private Pipes() {
    }

    /**
     * A non-blocking, close-on-exec pipe.
     *
     * @return the read end in the low 32 bits, the write end in the high 32 bits
     * @throws ErrnoException if the kernel refused (EMFILE, ENFILE)
     */
    public static long open(CallState state) throws IOException {
        long result;
        try {
            result = Libc.orMinusErrno((long) SYSCALL3.invokeExact(state.capture, SYS_PIPE2, state.value.address(),
                    NONBLOCK_CLOEXEC, 0L), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("pipe2", (int) -result);
        }
        int read = state.value.get(JAVA_INT, 0);
        int write = state.value.get(JAVA_INT, Integer.BYTES);
        return (long) write << 32 | (read & 0xffffffffL);
    }

    /** The read end of a pair from {@link #open}. */
    public static int readEnd(long pair) {
        return (int) pair;
    }

    /** The write end of a pair from {@link #open}. */
    public static int writeEnd(long pair) {
        return (int) (pair >>> 32);
    }

    /**
     * {@code fcntl(fd, F_SETPIPE_SZ, size)}.
     *
     * @return the capacity the pipe now has, or {@code -errno} (EPERM past the unprivileged
     *     limit {@code /proc/sys/fs/pipe-max-size}, or over the user's pipe pages)
     */
    public static int resize(int fd, int size, CallState state) {
        try {
            return (int) Libc.orMinusErrno((long) SYSCALL3.invokeExact(state.capture, SYS_FCNTL, (long) fd,
                    F_SETPIPE_SZ, (long) size), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * {@code fcntl(fd, F_DUPFD_CLOEXEC, 0)}: the lowest free descriptor, for the same open file.
     *
     * @throws ErrnoException if the kernel refused (EMFILE)
     */
    public static int duplicate(int fd, CallState state) throws IOException {
        long result;
        try {
            result = Libc.orMinusErrno((long) SYSCALL3.invokeExact(state.capture, SYS_FCNTL, (long) fd,
                    F_DUPFD_CLOEXEC, 0L), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("fcntl(fd " + fd + ", F_DUPFD_CLOEXEC)", (int) -result);
        }
        return (int) result;
    }
}
