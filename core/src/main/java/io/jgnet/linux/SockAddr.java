package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Socket addresses: the C structs, and conversions to and from {@link InetSocketAddress} and
 * {@link UnixDomainSocketAddress}. Same on x86-64 and aarch64. Ports, IPv4 addresses and
 * {@code flowinfo} are in network byte order (big-endian); families and {@code scope_id} in host
 * order.
 *
 * <pre>
 * struct sockaddr_in {                0      2      4             8                 16
 *     sa_family_t    sin_family;      +------+------+-------------+-----------------+
 *     in_port_t      sin_port;        |family| port |  addr (4)   |    zero (8)     |
 *     struct in_addr sin_addr;        +------+------+-------------+-----------------+
 *     unsigned char  sin_zero[8];
 * };
 * struct sockaddr_in6 {               0      2      4          8                    24       28
 *     sa_family_t     sin6_family;    +------+------+----------+--------------------+--------+
 *     in_port_t       sin6_port;      |family| port | flowinfo |     addr (16)      | scope  |
 *     uint32_t        sin6_flowinfo;  +------+------+----------+--------------------+--------+
 *     struct in6_addr sin6_addr;
 *     uint32_t        sin6_scope_id;
 * };
 * struct sockaddr_un {                0      2                                         110
 *     sa_family_t sun_family;         +------+-----------------------------------------+
 *     char        sun_path[108];      |family|  path, NUL-terminated (108)             |
 * };                                  +------+-----------------------------------------+
 * struct sockaddr_storage:            128 bytes, 8-aligned: holds any of the above
 * typedef uint32_t socklen_t;         the length argument: 4 bytes
 * </pre>
 *
 * <p>Static and thread-safe; segments belong to their caller.
 */
public final class SockAddr {
    /** {@code sa_family_t}: a host-order unsigned short at offset 0 of every sockaddr. */
    public static final int FAMILY_OFFSET = 0;

    public static final int IN_SIZE = 16;
    public static final int IN_PORT_OFFSET = 2;
    public static final int IN_ADDR_OFFSET = 4;
    public static final int IN_ZERO_OFFSET = 8;

    public static final int IN6_SIZE = 28;
    public static final int IN6_PORT_OFFSET = 2;
    public static final int IN6_FLOWINFO_OFFSET = 4;
    public static final int IN6_ADDR_OFFSET = 8;
    public static final int IN6_SCOPE_ID_OFFSET = 24;

    public static final int UN_SIZE = 110;
    public static final int UN_PATH_OFFSET = 2;
    public static final int UN_PATH_SIZE = 108;

    public static final int STORAGE_SIZE = 128;
    public static final int STORAGE_ALIGNMENT = 8;
    /** {@code sizeof(socklen_t)}. */
    public static final int SOCKLEN_SIZE = 4;

    private static final ValueLayout.OfShort NET_SHORT =
            JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public static final StructLayout IN_LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            NET_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    public static final StructLayout IN6_LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"),
            NET_SHORT.withName("sin6_port"),
            JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN).withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT_UNALIGNED.withName("sin6_scope_id"));

    public static final StructLayout UN_LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(UN_PATH_SIZE, JAVA_BYTE).withName("sun_path"));

    /** How the JDK encodes file names for system calls. */
    private static final Charset PATH_CHARSET = pathCharset();

    private SockAddr() {
    }

    /** Allocates a {@code sockaddr_storage}, large enough for any address. */
    public static MemorySegment allocateStorage(SegmentAllocator allocator) {
        return allocator.allocate(STORAGE_SIZE, STORAGE_ALIGNMENT);
    }

    /** The {@code AF_*} family to open a socket for {@code address}. */
    public static int family(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address ->
                    Sockets.AF_INET6;
            case InetSocketAddress inet -> Sockets.AF_INET;
            case UnixDomainSocketAddress unix -> Sockets.AF_UNIX;
            default -> throw new IllegalArgumentException("unsupported address type: " + address);
        };
    }

    /**
     * Writes {@code address} into {@code dst} as the sockaddr of its own family
     * ({@link #family}). An empty unix path encodes the unnamed address (length 2; binding it
     * autobinds); a unix path {@code "@name"} the abstract name {@code name}, as {@link #decode}
     * shows one.
     *
     * @return the length to pass as {@code socklen_t}
     * @throws IllegalArgumentException for unresolved addresses, unix paths longer than 107
     *         bytes, or other address types
     */
    public static int encode(SocketAddress address, MemorySegment dst) {
        return switch (address) {
            case InetSocketAddress inet -> switch (resolved(inet)) {
                case Inet4Address v4 -> encodeIn(v4, inet.getPort(), dst);
                case Inet6Address v6 ->
                        encodeIn6(v6.getAddress(), v6.getScopeId(), inet.getPort(), dst);
                default -> throw new IllegalArgumentException("unsupported address: " + inet);
            };
            case UnixDomainSocketAddress unix -> encodeUn(unix, dst);
            default -> throw new IllegalArgumentException("unsupported address type: " + address);
        };
    }

    /**
     * Writes {@code address} as a {@code sockaddr_in6}, IPv4 addresses as IPv4-mapped
     * ({@code ::ffff:a.b.c.d}): what an {@code AF_INET6} socket needs to reach an IPv4 peer.
     *
     * @return the length to pass as {@code socklen_t}
     */
    public static int encodeInet6(InetSocketAddress address, MemorySegment dst) {
        return switch (resolved(address)) {
            case Inet6Address v6 ->
                    encodeIn6(v6.getAddress(), v6.getScopeId(), address.getPort(), dst);
            case InetAddress v4 -> {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
                yield encodeIn6(mapped, 0, address.getPort(), dst);
            }
        };
    }

    /**
     * Reads the address the kernel wrote into {@code src}, of {@code length} bytes (the
     * {@code socklen_t} it returned). IPv4-mapped IPv6 addresses come back as
     * {@link Inet4Address}, as java.nio reports them. An unnamed unix address comes back as the
     * empty path; an abstract one (leading NUL, which a {@code Path} cannot hold) as
     * {@code "@name"}, the way {@code ss} shows it.
     *
     * @throws IllegalArgumentException when the family is unknown or {@code length} is too short
     */
    public static SocketAddress decode(MemorySegment src, int length) {
        if (length < 2 || length > src.byteSize()) {
            throw new IllegalArgumentException("bad sockaddr length " + length);
        }
        int family = Short.toUnsignedInt(src.get(JAVA_SHORT_UNALIGNED, FAMILY_OFFSET));
        return switch (family) {
            case Sockets.AF_INET -> {
                checkLength(length, IN_ZERO_OFFSET, "sockaddr_in");
                byte[] bytes = new byte[4];
                MemorySegment.copy(src, JAVA_BYTE, IN_ADDR_OFFSET, bytes, 0, bytes.length);
                yield new InetSocketAddress(byAddress(bytes, 0), port(src, IN_PORT_OFFSET));
            }
            case Sockets.AF_INET6 -> {
                checkLength(length, IN6_SIZE, "sockaddr_in6");
                byte[] bytes = new byte[16];
                MemorySegment.copy(src, JAVA_BYTE, IN6_ADDR_OFFSET, bytes, 0, bytes.length);
                int scope = src.get(JAVA_INT_UNALIGNED, IN6_SCOPE_ID_OFFSET);
                yield new InetSocketAddress(byAddress(bytes, scope), port(src, IN6_PORT_OFFSET));
            }
            case Sockets.AF_UNIX -> UnixDomainSocketAddress.of(unixPath(src, length));
            default -> throw new IllegalArgumentException("unsupported address family " + family);
        };
    }

    private static InetAddress resolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        return address.getAddress();
    }

    private static int encodeIn(Inet4Address address, int port, MemorySegment dst) {
        checkCapacity(dst, IN_SIZE);
        dst.set(JAVA_SHORT_UNALIGNED, FAMILY_OFFSET, (short) Sockets.AF_INET);
        dst.set(NET_SHORT, IN_PORT_OFFSET, (short) port);
        MemorySegment.copy(address.getAddress(), 0, dst, JAVA_BYTE, IN_ADDR_OFFSET, 4);
        dst.set(JAVA_LONG_UNALIGNED, IN_ZERO_OFFSET, 0L);
        return IN_SIZE;
    }

    private static int encodeIn6(byte[] address, int scopeId, int port, MemorySegment dst) {
        checkCapacity(dst, IN6_SIZE);
        dst.set(JAVA_SHORT_UNALIGNED, FAMILY_OFFSET, (short) Sockets.AF_INET6);
        dst.set(NET_SHORT, IN6_PORT_OFFSET, (short) port);
        dst.set(JAVA_INT_UNALIGNED, IN6_FLOWINFO_OFFSET, 0);
        MemorySegment.copy(address, 0, dst, JAVA_BYTE, IN6_ADDR_OFFSET, 16);
        dst.set(JAVA_INT_UNALIGNED, IN6_SCOPE_ID_OFFSET, scopeId);
        return IN6_SIZE;
    }

    private static int encodeUn(UnixDomainSocketAddress address, MemorySegment dst) {
        String text = address.getPath().toString();
        if (text.startsWith("@")) {
            // An abstract name as decode shows it (a unix datagram peer autobound by the kernel):
            // a leading NUL, then every byte of the name, no terminator.
            byte[] name = text.substring(1).getBytes(PATH_CHARSET);
            if (name.length >= UN_PATH_SIZE) {
                throw new IllegalArgumentException("abstract unix name longer than " + (UN_PATH_SIZE - 1) + " bytes: " + text);
            }
            int length = UN_PATH_OFFSET + 1 + name.length;
            checkCapacity(dst, length);
            dst.set(JAVA_SHORT_UNALIGNED, FAMILY_OFFSET, (short) Sockets.AF_UNIX);
            dst.set(JAVA_BYTE, UN_PATH_OFFSET, (byte) 0);
            MemorySegment.copy(name, 0, dst, JAVA_BYTE, UN_PATH_OFFSET + 1, name.length);
            return length;
        }
        byte[] path = text.getBytes(PATH_CHARSET);
        if (path.length >= UN_PATH_SIZE) {
            throw new IllegalArgumentException("unix socket path longer than "
                    + (UN_PATH_SIZE - 1) + " bytes: " + address.getPath());
        }
        int length = path.length == 0 ? UN_PATH_OFFSET : UN_PATH_OFFSET + path.length + 1;
        checkCapacity(dst, length);
        dst.set(JAVA_SHORT_UNALIGNED, FAMILY_OFFSET, (short) Sockets.AF_UNIX);
        MemorySegment.copy(path, 0, dst, JAVA_BYTE, UN_PATH_OFFSET, path.length);
        if (path.length > 0) {
            dst.set(JAVA_BYTE, UN_PATH_OFFSET + path.length, (byte) 0);
        }
        return length;
    }

    private static String unixPath(MemorySegment src, int length) {
        int end = length;
        boolean abstractName = length > UN_PATH_OFFSET && src.get(JAVA_BYTE, UN_PATH_OFFSET) == 0;
        int start = abstractName ? UN_PATH_OFFSET + 1 : UN_PATH_OFFSET;
        if (!abstractName) {
            // Pathnames are NUL-terminated within length; abstract names use every byte.
            for (int i = start; i < length; i++) {
                if (src.get(JAVA_BYTE, i) == 0) {
                    end = i;
                    break;
                }
            }
        }
        byte[] bytes = new byte[Math.max(0, end - start)];
        MemorySegment.copy(src, JAVA_BYTE, start, bytes, 0, bytes.length);
        String path = new String(bytes, PATH_CHARSET);
        return abstractName ? "@" + path : path;
    }

    private static int port(MemorySegment src, long offset) {
        return Short.toUnsignedInt(src.get(NET_SHORT, offset));
    }

    private static InetAddress byAddress(byte[] bytes, int scopeId) {
        try {
            // getByAddress maps ::ffff:a.b.c.d to an Inet4Address; a scope needs Inet6Address.
            return scopeId == 0 || bytes.length == 4
                    ? InetAddress.getByAddress(bytes)
                    : Inet6Address.getByAddress(null, bytes, scopeId);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // only for a wrong array length
        }
    }

    private static void checkLength(int length, int needed, String struct) {
        if (length < needed) {
            throw new IllegalArgumentException(
                    struct + " of " + length + " bytes, needs " + needed);
        }
    }

    private static void checkCapacity(MemorySegment dst, int needed) {
        if (dst.byteSize() < needed) {
            throw new IllegalArgumentException(
                    needed + "-byte sockaddr does not fit in " + dst.byteSize() + " bytes");
        }
    }

    private static Charset pathCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
