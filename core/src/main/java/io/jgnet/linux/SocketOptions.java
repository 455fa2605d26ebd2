package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code setsockopt} and {@code getsockopt}, the option levels and names we use, and
 * {@code struct linger}. All values are the same on x86-64 and aarch64 (asm-generic/socket.h).
 *
 * <pre>
 * int setsockopt(int fd, int level, int name, const void *value, socklen_t len);
 * int getsockopt(int fd, int level, int name, void *value, socklen_t *len);
 *
 * struct linger {          0           4           8
 *     int l_onoff;         +-----------+-----------+
 *     int l_linger;        |  l_onoff  | l_linger  |   seconds close() waits for unsent data
 * };                       +-----------+-----------+
 * </pre>
 *
 * Most options are an {@code int} ({@link #setInt}, {@link #getInt}, through the state's
 * scratch); {@link #set} and {@link #get} take any value segment. Failures throw
 * {@link ErrnoException}: options are set at accept and connect, not per message.
 *
 * <p>Static and thread-safe; the {@link CallState} passed in belongs to the calling thread.
 */
public final class SocketOptions {
    public static final int SOL_SOCKET = 1;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_IPV6 = 41;

    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    /** Read-only: the pending error, e.g. of a nonblocking connect; reading it clears it. */
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_BROADCAST = 6;
    /** A string: the interface name, at most {@link #IFNAMSIZ} - 1 bytes. */
    public static final int SO_BINDTODEVICE = 25;
    /** Read-only: the socket's address family (AF_INET, AF_INET6, AF_UNIX). */
    public static final int SO_DOMAIN = 39;
    public static final int SO_BUSY_POLL = 46;
    /** {@code IFNAMSIZ}: an interface name's buffer, NUL included. */
    public static final int IFNAMSIZ = 16;

    public static final int IP_TOS = 1;
    public static final int IP_FREEBIND = 15;
    public static final int IP_BIND_ADDRESS_NO_PORT = 24;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int IP_DROP_MEMBERSHIP = 36;

    public static final int TCP_NODELAY = 1;
    public static final int TCP_KEEPIDLE = 4;
    public static final int TCP_KEEPINTVL = 5;
    public static final int TCP_KEEPCNT = 6;
    public static final int TCP_CORK = 3;
    public static final int TCP_QUICKACK = 12;
    public static final int TCP_USER_TIMEOUT = 18;
    public static final int TCP_FASTOPEN = 23;
    public static final int TCP_FASTOPEN_CONNECT = 30;

    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    public static final int IPV6_TCLASS = 67;

    public static final StructLayout LINGER_LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("l_onoff"),
            JAVA_INT.withName("l_linger"));
    public static final int LINGER_SIZE = 8;
    public static final int LINGER_ONOFF_OFFSET = 0;
    public static final int LINGER_LINGER_OFFSET = 4;

    private static final MethodHandle SETSOCKOPT = Libc.downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Libc.downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private SocketOptions() {
    }

    /** {@code setsockopt(fd, level, name, &value, 4)}; booleans are 0 or 1. */
    public static void setInt(int fd, int level, int name, int value, CallState state)
            throws IOException {
        state.value.set(JAVA_INT, 0, value);
        set(fd, level, name, state.value, Integer.BYTES, state);
    }

    /** {@code getsockopt(fd, level, name, &value, &len)} of an int option. */
    public static int getInt(int fd, int level, int name, CallState state) throws IOException {
        get(fd, level, name, state.value.asSlice(0, Integer.BYTES), state);
        return state.value.get(JAVA_INT, 0);
    }

    /**
     * Sets {@code SO_LINGER}: with {@code seconds >= 0}, close waits up to that long for unsent
     * data (0: close resets the connection at once); with a negative value, lingering is off.
     */
    public static void setLinger(int fd, int seconds, CallState state) throws IOException {
        state.value.set(JAVA_INT, LINGER_ONOFF_OFFSET, seconds >= 0 ? 1 : 0);
        state.value.set(JAVA_INT, LINGER_LINGER_OFFSET, Math.max(seconds, 0));
        set(fd, SOL_SOCKET, SO_LINGER, state.value, LINGER_SIZE, state);
    }

    /** {@code SO_LINGER}: the linger time in seconds, or -1 when lingering is off. */
    public static int getLinger(int fd, CallState state) throws IOException {
        get(fd, SOL_SOCKET, SO_LINGER, state.value.asSlice(0, LINGER_SIZE), state);
        return state.value.get(JAVA_INT, LINGER_ONOFF_OFFSET) == 0
                ? -1
                : state.value.get(JAVA_INT, LINGER_LINGER_OFFSET);
    }

    /** {@code setsockopt(fd, level, name, value, length)}. */
    public static void set(int fd, int level, int name, MemorySegment value, int length,
            CallState state) throws IOException {
        if (length < 0 || length > value.byteSize()) {
            throw new IndexOutOfBoundsException(
                    "option length " + length + " exceeds its " + value.byteSize() + " bytes");
        }
        int result;
        try {
            result = (int) SETSOCKOPT.invokeExact(state.capture, fd, level, name, value, length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("setsockopt(fd " + fd + ", " + optionName(level, name) + ")",
                    state.errno());
        }
    }

    /**
     * {@code getsockopt(fd, level, name, value, &length)} with {@code length} set to
     * {@code value}'s size.
     *
     * @return the length the kernel wrote
     */
    public static int get(int fd, int level, int name, MemorySegment value, CallState state)
            throws IOException {
        state.length.set(JAVA_INT, 0, (int) Math.min(value.byteSize(), Integer.MAX_VALUE));
        int result;
        try {
            result = (int) GETSOCKOPT.invokeExact(state.capture, fd, level, name, value,
                    state.length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("getsockopt(fd " + fd + ", " + optionName(level, name) + ")",
                    state.errno());
        }
        return state.length.get(JAVA_INT, 0);
    }

    /** {@code "IPPROTO_TCP, TCP_NODELAY"}, for messages; numbers for what is not named here. */
    static String optionName(int level, int name) {
        String option = switch (level) {
            case SOL_SOCKET -> switch (name) {
                case SO_REUSEADDR -> "SO_REUSEADDR";
                case SO_TYPE -> "SO_TYPE";
                case SO_ERROR -> "SO_ERROR";
                case SO_SNDBUF -> "SO_SNDBUF";
                case SO_RCVBUF -> "SO_RCVBUF";
                case SO_KEEPALIVE -> "SO_KEEPALIVE";
                case SO_LINGER -> "SO_LINGER";
                case SO_REUSEPORT -> "SO_REUSEPORT";
                case SO_BROADCAST -> "SO_BROADCAST";
                case SO_BINDTODEVICE -> "SO_BINDTODEVICE";
                case SO_DOMAIN -> "SO_DOMAIN";
                case SO_BUSY_POLL -> "SO_BUSY_POLL";
                default -> null;
            };
            case IPPROTO_TCP -> switch (name) {
                case TCP_NODELAY -> "TCP_NODELAY";
                case TCP_KEEPIDLE -> "TCP_KEEPIDLE";
                case TCP_KEEPINTVL -> "TCP_KEEPINTVL";
                case TCP_KEEPCNT -> "TCP_KEEPCNT";
                case TCP_CORK -> "TCP_CORK";
                case TCP_QUICKACK -> "TCP_QUICKACK";
                case TCP_USER_TIMEOUT -> "TCP_USER_TIMEOUT";
                case TCP_FASTOPEN -> "TCP_FASTOPEN";
                case TCP_FASTOPEN_CONNECT -> "TCP_FASTOPEN_CONNECT";
                default -> null;
            };
            case IPPROTO_IP -> switch (name) {
                case IP_TOS -> "IP_TOS";
                case IP_FREEBIND -> "IP_FREEBIND";
                case IP_BIND_ADDRESS_NO_PORT -> "IP_BIND_ADDRESS_NO_PORT";
                case IP_MULTICAST_IF -> "IP_MULTICAST_IF";
                case IP_MULTICAST_TTL -> "IP_MULTICAST_TTL";
                case IP_MULTICAST_LOOP -> "IP_MULTICAST_LOOP";
                case IP_ADD_MEMBERSHIP -> "IP_ADD_MEMBERSHIP";
                case IP_DROP_MEMBERSHIP -> "IP_DROP_MEMBERSHIP";
                default -> null;
            };
            case IPPROTO_IPV6 -> switch (name) {
                case IPV6_V6ONLY -> "IPV6_V6ONLY";
                case IPV6_MULTICAST_IF -> "IPV6_MULTICAST_IF";
                case IPV6_MULTICAST_HOPS -> "IPV6_MULTICAST_HOPS";
                case IPV6_MULTICAST_LOOP -> "IPV6_MULTICAST_LOOP";
                case IPV6_ADD_MEMBERSHIP -> "IPV6_ADD_MEMBERSHIP";
                case IPV6_DROP_MEMBERSHIP -> "IPV6_DROP_MEMBERSHIP";
                case IPV6_TCLASS -> "IPV6_TCLASS";
                default -> null;
            };
            default -> null;
        };
        String levelName = switch (level) {
            case SOL_SOCKET -> "SOL_SOCKET";
            case IPPROTO_IP -> "IPPROTO_IP";
            case IPPROTO_TCP -> "IPPROTO_TCP";
            case IPPROTO_UDP -> "IPPROTO_UDP";
            case IPPROTO_IPV6 -> "IPPROTO_IPV6";
            default -> "level " + level;
        };
        return levelName + ", " + (option != null ? option : "option " + name);
    }
}
