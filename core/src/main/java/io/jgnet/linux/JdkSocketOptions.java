package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import jdk.net.ExtendedSocketOptions;

/**
 * Sets and reads socket options on a descriptor by their Java keys: the JDK's
 * ({@link StandardSocketOptions}, {@link ExtendedSocketOptions}) mapped onto their
 * {@code setsockopt} level and name, and jgnet's {@link NativeSocketOption}s as they are. Options
 * that differ between IPv4 and IPv6 (IP_TOS, the multicast ones) follow the socket's family,
 * read with SO_DOMAIN. Stateless; options are set at bind, accept and connect, or when a handler
 * asks, never per message.
 */
public final class JdkSocketOptions {
    /** How a value is laid out for the kernel. */
    private enum Encoding { FLAG, INT, LINGER, STRING, INTERFACE_V4, INTERFACE_V6 }

    /** One option resolved for one socket family. */
    private record Native(int level, int name, Encoding encoding) {
    }

    private JdkSocketOptions() {
    }

    /**
     * Sets {@code option} to {@code value} on {@code fd}.
     *
     * @throws UnsupportedOperationException naming the option if it is none of those above
     * @throws IOException naming the call and errno if the kernel refuses the value
     */
    public static <T> void set(int fd, SocketOption<T> option, T value, CallState state) throws IOException {
        Native n = resolve(fd, option, state);
        switch (n.encoding) {
            case FLAG -> SocketOptions.setInt(fd, n.level, n.name, Boolean.TRUE.equals(value) ? 1 : 0, state);
            case INT -> SocketOptions.setInt(fd, n.level, n.name, (Integer) value, state);
            case LINGER -> SocketOptions.setLinger(fd, (Integer) value, state);
            case STRING -> {
                byte[] bytes = ((String) value).getBytes(StandardCharsets.US_ASCII);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment text = arena.allocate(bytes.length + 1L);
                    MemorySegment.copy(bytes, 0, text, JAVA_BYTE, 0, bytes.length);
                    SocketOptions.set(fd, n.level, n.name, text, bytes.length, state);
                }
            }
            case INTERFACE_V6 -> SocketOptions.setInt(fd, n.level, n.name, index((NetworkInterface) value), state);
            case INTERFACE_V4 -> {
                // struct ip_mreqn: the index chooses the interface; its IPv4 address is what
                // getsockopt answers with, so it is given too.
                NetworkInterface nif = (NetworkInterface) value;
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment request = arena.allocate(Multicast.IP_MREQN_LAYOUT);
                    byte[] local = nif == null ? null : nif.inetAddresses().filter(a -> a instanceof Inet4Address)
                            .findFirst().map(InetAddress::getAddress).orElse(null);
                    if (local != null) {
                        MemorySegment.copy(local, 0, request, JAVA_BYTE, Multicast.IP_MREQN_ADDRESS_OFFSET, local.length);
                    }
                    request.set(JAVA_INT, Multicast.IP_MREQN_IFINDEX_OFFSET, index(nif));
                    SocketOptions.set(fd, n.level, n.name, request, Multicast.IP_MREQN_SIZE, state);
                }
            }
        }
    }

    /**
     * Reads {@code option} from {@code fd}.
     *
     * @throws UnsupportedOperationException naming the option if it is none of those above
     * @throws IOException naming the call and errno if the kernel refuses
     */
    public static <T> T get(int fd, SocketOption<T> option, CallState state) throws IOException {
        Native n = resolve(fd, option, state);
        Object value = switch (n.encoding) {
            case FLAG -> SocketOptions.getInt(fd, n.level, n.name, state) != 0;
            case INT -> SocketOptions.getInt(fd, n.level, n.name, state);
            case LINGER -> SocketOptions.getLinger(fd, state);
            case STRING -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment text = arena.allocate(SocketOptions.IFNAMSIZ);
                    int length = SocketOptions.get(fd, n.level, n.name, text, state);
                    String s = new String(text.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
                    int nul = s.indexOf('\0');
                    yield nul >= 0 ? s.substring(0, nul) : s;
                }
            }
            case INTERFACE_V6 -> byIndex(SocketOptions.getInt(fd, n.level, n.name, state));
            case INTERFACE_V4 -> {
                // The kernel answers with the in_addr of the interface chosen by address, or with
                // the ip_mreqn it was given when it is asked for that much.
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment request = arena.allocate(Multicast.IP_MREQN_LAYOUT);
                    int length = SocketOptions.get(fd, n.level, n.name, request, state);
                    if (length >= Multicast.IP_MREQN_SIZE && request.get(JAVA_INT, Multicast.IP_MREQN_IFINDEX_OFFSET) != 0) {
                        yield byIndex(request.get(JAVA_INT, Multicast.IP_MREQN_IFINDEX_OFFSET));
                    }
                    yield byAddress(request.asSlice(0, 4).toArray(JAVA_BYTE));
                }
            }
        };
        return option.type().cast(value);
    }

    private static Native resolve(int fd, SocketOption<?> option, CallState state) throws IOException {
        if (option instanceof NativeSocketOption<?> n) {
            Encoding encoding = n.type() == Boolean.class ? Encoding.FLAG
                    : n.type() == Integer.class ? Encoding.INT : Encoding.STRING;
            return new Native(n.level(), n.optname(), encoding);
        }
        if (option == StandardSocketOptions.TCP_NODELAY) {
            return new Native(SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, Encoding.FLAG);
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_KEEPALIVE, Encoding.FLAG);
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF, Encoding.INT);
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF, Encoding.INT);
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR, Encoding.FLAG);
        } else if (option == StandardSocketOptions.SO_REUSEPORT) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEPORT, Encoding.FLAG);
        } else if (option == StandardSocketOptions.SO_BROADCAST) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_BROADCAST, Encoding.FLAG);
        } else if (option == StandardSocketOptions.SO_LINGER) {
            return new Native(SocketOptions.SOL_SOCKET, SocketOptions.SO_LINGER, Encoding.LINGER);
        } else if (option == ExtendedSocketOptions.TCP_KEEPIDLE) {
            return new Native(SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE, Encoding.INT);
        } else if (option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            return new Native(SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPINTVL, Encoding.INT);
        } else if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            return new Native(SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPCNT, Encoding.INT);
        } else if (option == ExtendedSocketOptions.TCP_QUICKACK) {
            return new Native(SocketOptions.IPPROTO_TCP, SocketOptions.TCP_QUICKACK, Encoding.FLAG);
        }
        boolean v6 = option == StandardSocketOptions.IP_TOS || option == StandardSocketOptions.IP_MULTICAST_IF
                || option == StandardSocketOptions.IP_MULTICAST_TTL || option == StandardSocketOptions.IP_MULTICAST_LOOP
                ? SocketOptions.getInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_DOMAIN, state) == Sockets.AF_INET6
                : false;
        if (option == StandardSocketOptions.IP_TOS) {
            return v6 ? new Native(SocketOptions.IPPROTO_IPV6, SocketOptions.IPV6_TCLASS, Encoding.INT)
                    : new Native(SocketOptions.IPPROTO_IP, SocketOptions.IP_TOS, Encoding.INT);
        } else if (option == StandardSocketOptions.IP_MULTICAST_IF) {
            return v6 ? new Native(SocketOptions.IPPROTO_IPV6, SocketOptions.IPV6_MULTICAST_IF, Encoding.INTERFACE_V6)
                    : new Native(SocketOptions.IPPROTO_IP, SocketOptions.IP_MULTICAST_IF, Encoding.INTERFACE_V4);
        } else if (option == StandardSocketOptions.IP_MULTICAST_TTL) {
            return v6 ? new Native(SocketOptions.IPPROTO_IPV6, SocketOptions.IPV6_MULTICAST_HOPS, Encoding.INT)
                    : new Native(SocketOptions.IPPROTO_IP, SocketOptions.IP_MULTICAST_TTL, Encoding.INT);
        } else if (option == StandardSocketOptions.IP_MULTICAST_LOOP) {
            return v6 ? new Native(SocketOptions.IPPROTO_IPV6, SocketOptions.IPV6_MULTICAST_LOOP, Encoding.FLAG)
                    : new Native(SocketOptions.IPPROTO_IP, SocketOptions.IP_MULTICAST_LOOP, Encoding.FLAG);
        }
        throw new UnsupportedOperationException("socket option " + option.name() + " is not supported on Linux sockets here");
    }

    /** The kernel's index of {@code nif}, or 0 (any) for null. */
    public static int index(NetworkInterface nif) {
        return nif == null ? 0 : nif.getIndex();
    }

    private static NetworkInterface byIndex(int index) throws SocketException {
        return index == 0 ? null : NetworkInterface.getByIndex(index);
    }

    private static NetworkInterface byAddress(byte[] address) throws SocketException {
        try {
            InetAddress ip = InetAddress.getByAddress(address);
            return ip.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(ip);
        } catch (UnknownHostException e) {
            throw new SocketException("bad interface address: " + e.getMessage());
        }
    }
}
