package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Copying between descriptors inside the kernel, and the file offset:
 *
 * <pre>
 * ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);
 * off_t   lseek(int fd, off_t offset, int whence);
 * </pre>
 *
 * {@code sendfile} with a non-null {@code offset} reads the file from {@code *offset}, advances
 * {@code *offset} and leaves the file's own offset alone, so the file may be sent from several
 * positions and nobody else's reads move under us. On a TCP socket the kernel hands the page-cache
 * pages to the socket without copying them. Both calls return the result or {@code -errno}.
 *
 * <p>Static and thread-safe; the {@link CallState} passed in belongs to the calling thread
 * (its value scratch holds the {@code off_t}).
 */
public final class SendFile {
    private static final MethodHandle SENDFILE = Libc.downcall("sendfile",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle LSEEK = Libc.downcall("lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    /** {@code SEEK_CUR}: lseek(fd, 0, SEEK_CUR) reads the offset without moving it. */
    public static final int SEEK_CUR = 1;

    private SendFile() {
    }

    /**
     * {@code sendfile(out, in, &position, count)}.
     *
     * @return bytes sent (fewer than {@code count} when the socket is full or the file ends;
     *     0 when {@code position} is at or past the end of the file), or {@code -errno}
     */
    public static long sendfile(int out, int in, long position, long count, CallState state) {
        MemorySegment offset = state.value;
        offset.set(JAVA_LONG, 0, position);
        try {
            return Libc.orMinusErrno((long) SENDFILE.invokeExact(state.capture, out, in, offset.address(), count),
                    state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * {@code lseek(fd, offset, whence)}.
     *
     * @return the resulting offset, or {@code -errno} ({@code -ESPIPE} for a socket or pipe)
     */
    public static long lseek(int fd, long offset, int whence, CallState state) {
        try {
            return Libc.orMinusErrno((long) LSEEK.invokeExact(state.capture, fd, offset, whence), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }
}
