package io.jgnet.linux;

import java.io.IOException;

/**
 * A libc call failed with {@link #errno()}. The message names the call, its arguments that
 * matter, the errno and the C library's text:
 * {@code "epoll_ctl(ADD, fd 7): EBADF (Bad file descriptor)"}.
 *
 * <p>Thrown by the calls that are not on the hot path; hot-path calls return {@code -errno}
 * instead, and their caller builds one of these when it decides the errno is fatal.
 * Immutable; thread-safe.
 */
public final class ErrnoException extends IOException {
    private final String call;
    private final int errno;

    /**
     * @param call the call as the message should show it, e.g. {@code "read(fd 7)"}
     * @param errno the positive errno value
     */
    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The positive errno value, e.g. {@link Errno#EBADF}. */
    public int errno() {
        return errno;
    }

    /** The call as named in the message, e.g. {@code "read(fd 7)"}. */
    public String call() {
        return call;
    }
}
