package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;

/**
 * The calls that work on any file descriptor:
 *
 * <pre>
 * ssize_t read(int fd, void *buf, size_t count);
 * ssize_t write(int fd, const void *buf, size_t count);
 * ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
 * ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
 * int     close(int fd);
 * </pre>
 *
 * The four transfers are on the hot path: they return the byte count ({@code 0} from a read
 * means end of stream) or {@code -errno}, so {@code -EAGAIN} costs no exception. Buffers are
 * native segments plus an offset and count, checked and passed as a raw address so no slice is
 * allocated.
 *
 * <p>Static and thread-safe; the {@link CallState} passed in belongs to the calling thread.
 */
public final class Io {
    /** {@code syscall(2)} for read and write: see {@link Libc#syscall3()} for why. */
    private static final MethodHandle SYSCALL3 = Libc.syscall3();
    /** System call numbers differ by architecture: asm-generic on aarch64, the old table on x86-64. */
    private static final long SYS_READ = Arch.current() == Arch.AARCH64 ? 63 : 0;
    private static final long SYS_WRITE = Arch.current() == Arch.AARCH64 ? 64 : 1;
    /** The iovec array goes as a raw address, like read's buffer (see {@link Libc#address}). */
    private static final MethodHandle READV = Libc.downcall("readv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WRITEV = Libc.downcall("writev",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = Libc.downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Io() {
    }

    /**
     * {@code read(fd, buf + offset, count)}.
     *
     * @return bytes read, 0 at end of stream, or {@code -errno}
     */
    public static long read(int fd, MemorySegment buf, long offset, long count, CallState state) {
        long address = Libc.address(buf, offset, count);
        try {
            return Libc.orMinusErrno((long) SYSCALL3.invokeExact(state.capture, SYS_READ, (long) fd, address, count),
                    state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            // The kernel sees only the address: keep an auto-arena segment from being freed.
            Reference.reachabilityFence(buf);
        }
    }

    /**
     * {@code write(fd, buf + offset, count)}. A write to a socket whose peer is gone fails
     * with {@code -EPIPE}: the JVM ignores SIGPIPE.
     *
     * @return bytes written (possibly fewer than {@code count}), or {@code -errno}
     */
    public static long write(int fd, MemorySegment buf, long offset, long count, CallState state) {
        long address = Libc.address(buf, offset, count);
        try {
            return Libc.orMinusErrno((long) SYSCALL3.invokeExact(state.capture, SYS_WRITE, (long) fd, address, count),
                    state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /**
     * {@code readv(fd, iovecs, count)}: fills the buffers the first {@code count} elements of
     * {@code iovecs} point to, in order ({@link IoVec}).
     *
     * @return bytes read, 0 at end of stream, or {@code -errno}
     */
    public static long readv(int fd, MemorySegment iovecs, int count, CallState state) {
        long address = Libc.arrayAddress(iovecs, count, IoVec.SIZE, "iovecs");
        try {
            return Libc.orMinusErrno((long) READV.invokeExact(state.capture, fd, address, count),
                    state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(iovecs);
        }
    }

    /**
     * {@code writev(fd, iovecs, count)}: sends the buffers the first {@code count} elements of
     * {@code iovecs} point to, in order, as one write ({@link IoVec}).
     *
     * @return bytes written (possibly fewer than the total), or {@code -errno}
     */
    public static long writev(int fd, MemorySegment iovecs, int count, CallState state) {
        long address = Libc.arrayAddress(iovecs, count, IoVec.SIZE, "iovecs");
        try {
            return Libc.orMinusErrno((long) WRITEV.invokeExact(state.capture, fd, address, count),
                    state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(iovecs);
        }
    }

    /**
     * {@code close(fd)}. EINTR is not reported: on Linux the descriptor is released even then,
     * and retrying could close a descriptor another thread has just been given (close(2)).
     */
    public static void close(int fd, CallState state) throws IOException {
        int result;
        try {
            result = (int) CLOSE.invokeExact(state.capture, fd);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0 && state.errno() != Errno.EINTR) {
            throw new ErrnoException("close(fd " + fd + ")", state.errno());
        }
    }
}
