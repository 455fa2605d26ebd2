package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;

/**
 * socket(7) calls:
 *
 * <pre>
 * int     socket(int domain, int type, int protocol);
 * int     bind(int fd, const struct sockaddr *addr, socklen_t len);
 * int     listen(int fd, int backlog);
 * int     connect(int fd, const struct sockaddr *addr, socklen_t len);
 * int     accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
 * int     shutdown(int fd, int how);
 * int     getsockname(int fd, struct sockaddr *addr, socklen_t *len);
 * int     getpeername(int fd, struct sockaddr *addr, socklen_t *len);
 * int     ioctl(int fd, SIOCOUTQ, int *queued);
 * ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len);
 * ssize_t sendto(int fd, const void *buf, size_t n, int flags,
 *                const struct sockaddr *addr, socklen_t len);
 * </pre>
 *
 * {@code accept4}, {@code recvfrom} and {@code sendto} are on the hot path and return
 * {@code -errno}; the rest throw. Value-result {@code socklen_t *len} arguments are set to the
 * address segment's size before the call, so a caller cannot forget to, and hold the actual
 * length after it. Socket options are in {@link SocketOptions}, address structs in
 * {@link SockAddr}. All constants are the same on x86-64 and aarch64.
 *
 * <p>Static and thread-safe; the {@link CallState} passed in belongs to the calling thread.
 */
public final class Sockets {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    /** {@code O_NONBLOCK}, or-ed into {@code type} (and {@code accept4} flags). */
    public static final int SOCK_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}, or-ed into {@code type} (and {@code accept4} flags). */
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    public static final int MSG_PEEK = 0x2;
    /** On recvfrom: return the datagram's real length even if it did not fit. */
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    /** On a stream recv: block until the full count arrived (with MSG_PEEK, until it is there). */
    public static final int MSG_WAITALL = 0x100;
    /** Fail with EPIPE instead of raising SIGPIPE (which the JVM ignores anyway). */
    public static final int MSG_NOSIGNAL = 0x4000;

    private static final MethodHandle SOCKET = Libc.downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Libc.downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = Libc.downcall("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = Libc.downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ACCEPT4 = Libc.downcall("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Libc.downcall("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = Libc.downcall("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = Libc.downcall("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** ioctl goes through syscall(2), which is declared variadic, as ioctl itself is. */
    private static final MethodHandle SYSCALL3 = Libc.syscall3();
    private static final long SYS_IOCTL = Arch.current() == Arch.AARCH64 ? 29 : 16;
    /** {@code SIOCOUTQ} (= {@code TIOCOUTQ}): the bytes a stream socket's send queue holds. */
    private static final long SIOCOUTQ = 0x5411;
    private static final MethodHandle RECVFROM = Libc.downcall("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS,
                    ADDRESS));
    private static final MethodHandle SENDTO = Libc.downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS,
                    JAVA_INT));

    private Sockets() {
    }

    /** {@code socket(domain, type, protocol)}; or {@link #SOCK_NONBLOCK} and friends into type. */
    public static int socket(int domain, int type, int protocol, CallState state)
            throws IOException {
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(state.capture, domain, type, protocol);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (fd < 0) {
            throw new ErrnoException("socket(" + domain + ", " + type + ", " + protocol + ")",
                    state.errno());
        }
        return fd;
    }

    /**
     * {@code bind(fd, addr, length)}. EADDRINUSE, EADDRNOTAVAIL and EACCES throw
     * {@link BindException} (cause: the {@link ErrnoException}).
     */
    public static void bind(int fd, MemorySegment addr, int length, CallState state)
            throws IOException {
        checkLength(addr, length);
        if (call(BIND, state, fd, addr, length) < 0) {
            throw bindFailure("bind(fd " + fd + ")", state.errno());
        }
    }

    /** {@code bind} to {@code address}, encoded in the state's scratch sockaddr. */
    public static void bind(int fd, SocketAddress address, CallState state) throws IOException {
        int length = SockAddr.encode(address, state.sockaddr);
        if (call(BIND, state, fd, state.sockaddr, length) < 0) {
            throw bindFailure("bind(fd " + fd + ", " + address + ")", state.errno());
        }
    }

    /** {@code listen(fd, backlog)}. */
    public static void listen(int fd, int backlog, CallState state) throws IOException {
        int result;
        try {
            result = (int) LISTEN.invokeExact(state.capture, fd, backlog);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("listen(fd " + fd + ", " + backlog + ")", state.errno());
        }
    }

    /**
     * {@code connect(fd, addr, length)}.
     *
     * @return 0 when connected, or {@code -errno} for the errors that mean "not yet":
     *         EINPROGRESS (a nonblocking TCP connect has started: wait for EPOLLOUT, then read
     *         {@code SO_ERROR}), EAGAIN (a nonblocking unix socket's listener backlog is full),
     *         EINTR and EALREADY
     * @throws IOException for the errors that mean "failed", see {@link #connectFailure}
     */
    public static int connect(int fd, MemorySegment addr, int length, CallState state)
            throws IOException {
        checkLength(addr, length);
        return connected(call(CONNECT, state, fd, addr, length), fd, null, state);
    }

    /**
     * {@link #connect(int, MemorySegment, int, CallState)} to {@code address}, encoded in the
     * state's scratch sockaddr; same results.
     */
    public static int connect(int fd, SocketAddress address, CallState state) throws IOException {
        int length = SockAddr.encode(address, state.sockaddr);
        return connected(call(CONNECT, state, fd, state.sockaddr, length), fd, address, state);
    }

    /**
     * {@code accept4(fd, addr, &length, flags)}: the next pending connection.
     *
     * @param addr where the peer's address goes (a {@code sockaddr_storage}), or
     *        {@link MemorySegment#NULL} (then {@code length} too) to skip it
     * @param length a {@code socklen_t}; holds the address length afterwards
     * @param flags {@link #SOCK_NONBLOCK} | {@link #SOCK_CLOEXEC}, applied to the new socket
     * @return the new descriptor, or {@code -errno} ({@code -EAGAIN}: none pending)
     */
    public static int accept4(int fd, MemorySegment addr, MemorySegment length, int flags,
            CallState state) {
        prepareLength(addr, length);
        try {
            return Libc.orMinusErrno(
                    (int) ACCEPT4.invokeExact(state.capture, fd, addr, length, flags), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /** {@code shutdown(fd, how)}: {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    public static void shutdown(int fd, int how, CallState state) throws IOException {
        int result;
        try {
            result = (int) SHUTDOWN.invokeExact(state.capture, fd, how);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("shutdown(fd " + fd + ", " + how + ")", state.errno());
        }
    }

    /**
     * {@code ioctl(fd, SIOCOUTQ, &queued)}: for TCP, the bytes of the send queue the peer has not
     * acknowledged yet, sent or not (after {@code shutdown(SHUT_WR)} the FIN counts as one); 0
     * once the peer's kernel has everything. For a unix stream socket: the bytes written that
     * the peer's side has not freed.
     */
    public static int sendQueued(int fd, CallState state) throws IOException {
        long address = Libc.address(state.value, 0, JAVA_INT.byteSize());
        long result;
        try {
            result = Libc.orMinusErrno((long) SYSCALL3.invokeExact(state.capture, SYS_IOCTL, (long) fd, SIOCOUTQ,
                    address), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("ioctl(fd " + fd + ", SIOCOUTQ)", (int) -result);
        }
        return state.value.get(JAVA_INT, 0);
    }

    /** {@code getsockname(fd, addr, &length)}: the local address into {@code addr}. */
    public static void getsockname(int fd, MemorySegment addr, MemorySegment length,
            CallState state) throws IOException {
        nameCall(GETSOCKNAME, "getsockname", fd, addr, length, state);
    }

    /** {@code getpeername(fd, addr, &length)}: the peer's address into {@code addr}. */
    public static void getpeername(int fd, MemorySegment addr, MemorySegment length,
            CallState state) throws IOException {
        nameCall(GETPEERNAME, "getpeername", fd, addr, length, state);
    }

    /** The local address of {@code fd}, via {@code getsockname} into the state's scratch. */
    public static SocketAddress localAddress(int fd, CallState state) throws IOException {
        nameCall(GETSOCKNAME, "getsockname", fd, state.sockaddr, state.length, state);
        return SockAddr.decode(state.sockaddr, state.length.get(JAVA_INT, 0));
    }

    /** The peer address of {@code fd}, via {@code getpeername} into the state's scratch. */
    public static SocketAddress remoteAddress(int fd, CallState state) throws IOException {
        nameCall(GETPEERNAME, "getpeername", fd, state.sockaddr, state.length, state);
        return SockAddr.decode(state.sockaddr, state.length.get(JAVA_INT, 0));
    }

    /**
     * {@code recvfrom(fd, buf + offset, count, flags, addr, &length)}: one datagram.
     *
     * @param addr where the sender's address goes, or {@link MemorySegment#NULL} (then
     *        {@code length} too)
     * @return the datagram's length (with {@link #MSG_TRUNC}, even if longer than
     *         {@code count}), or {@code -errno}
     */
    public static long recvfrom(int fd, MemorySegment buf, long offset, long count, int flags,
            MemorySegment addr, MemorySegment length, CallState state) {
        long address = Libc.address(buf, offset, count);
        prepareLength(addr, length);
        try {
            return Libc.orMinusErrno((long) RECVFROM.invokeExact(
                    state.capture, fd, address, count, flags, addr, length), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /**
     * {@code sendto(fd, buf + offset, count, flags, addr, addrLength)}: one datagram, to
     * {@code addr} ({@link MemorySegment#NULL} with length 0 on a connected socket).
     *
     * @return bytes sent, or {@code -errno}
     */
    public static long sendto(int fd, MemorySegment buf, long offset, long count, int flags,
            MemorySegment addr, int addrLength, CallState state) {
        long address = Libc.address(buf, offset, count);
        checkLength(addr, addrLength);
        try {
            return Libc.orMinusErrno((long) SENDTO.invokeExact(
                    state.capture, fd, address, count, flags, addr, addrLength), state);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    /**
     * The exception for a failed connect, whether {@code connect} failed at once or
     * {@code SO_ERROR} reported it later: {@link ConnectException} for ECONNREFUSED and
     * ETIMEDOUT, {@link NoRouteToHostException} for EHOSTUNREACH and ENETUNREACH, else
     * {@link ErrnoException}. The java.net exceptions carry the ErrnoException as their cause.
     */
    public static IOException connectFailure(String call, int errno) {
        ErrnoException cause = new ErrnoException(call, errno);
        return switch (errno) {
            case Errno.ECONNREFUSED, Errno.ETIMEDOUT ->
                    withCause(new ConnectException(cause.getMessage()), cause);
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH ->
                    withCause(new NoRouteToHostException(cause.getMessage()), cause);
            default -> cause;
        };
    }

    private static IOException bindFailure(String call, int errno) {
        ErrnoException cause = new ErrnoException(call, errno);
        return switch (errno) {
            case Errno.EADDRINUSE, Errno.EADDRNOTAVAIL, Errno.EACCES ->
                    withCause(new BindException(cause.getMessage()), cause);
            default -> cause;
        };
    }

    private static <E extends IOException> E withCause(E exception, ErrnoException cause) {
        exception.initCause(cause);
        return exception;
    }

    /** Sorts a connect result into done, not yet, or failed (the message is built only then). */
    private static int connected(int result, int fd, SocketAddress address, CallState state)
            throws IOException {
        if (result >= 0) {
            return 0;
        }
        int errno = state.errno();
        return switch (errno) {
            case Errno.EINPROGRESS, Errno.EAGAIN, Errno.EINTR, Errno.EALREADY -> -errno;
            default -> throw connectFailure(
                    "connect(fd " + fd + (address == null ? ")" : ", " + address + ")"), errno);
        };
    }

    /** bind and connect share {@code int f(int fd, const struct sockaddr *, socklen_t)}. */
    private static int call(MethodHandle handle, CallState state, int fd, MemorySegment addr,
            int length) {
        try {
            return (int) handle.invokeExact(state.capture, fd, addr, length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    private static void nameCall(MethodHandle handle, String name, int fd, MemorySegment addr,
            MemorySegment length, CallState state) throws IOException {
        prepareLength(addr, length);
        int result;
        try {
            result = (int) handle.invokeExact(state.capture, fd, addr, length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException(name + "(fd " + fd + ")", state.errno());
        }
    }

    /** Sets the value-result length to the address buffer's size, so the kernel stays inside it. */
    private static void prepareLength(MemorySegment addr, MemorySegment length) {
        if (addr.equals(MemorySegment.NULL)) {
            return;
        }
        length.set(JAVA_INT, 0, (int) Math.min(addr.byteSize(), Integer.MAX_VALUE));
    }

    private static void checkLength(MemorySegment addr, int length) {
        if (length < 0 || length > addr.byteSize()) {
            throw new IndexOutOfBoundsException(
                    "sockaddr length " + length + " exceeds its " + addr.byteSize() + " bytes");
        }
    }
}
