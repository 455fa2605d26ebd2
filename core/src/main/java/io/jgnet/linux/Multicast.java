package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Joining and leaving multicast groups with {@code setsockopt}, and the two request structs.
 * Same on x86-64 and aarch64. Addresses are in network byte order; the interface index in host
 * order (0: the kernel picks the interface by route).
 *
 * <pre>
 * struct ip_mreqn {                   0              4              8              12
 *     struct in_addr imr_multiaddr;   +--------------+--------------+--------------+
 *     struct in_addr imr_address;     |  group (4)   | local (4)    |  ifindex     |
 *     int            imr_ifindex;     +--------------+--------------+--------------+
 * };                                  IPPROTO_IP, IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP
 * struct ipv6_mreq {                  0                              16             20
 *     struct in6_addr ipv6mr_multiaddr; +----------------------------+--------------+
 *     int             ipv6mr_interface; |        group (16)          |  ifindex     |
 * };                                  +----------------------------+--------------+
 *                                     IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP / IPV6_DROP_MEMBERSHIP
 * </pre>
 *
 * An IPv4 group may be joined on an AF_INET6 socket as well (the kernel takes IPPROTO_IP
 * requests there). Static and thread-safe; {@code state} belongs to the calling thread.
 */
public final class Multicast {
    public static final StructLayout IP_MREQN_LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("imr_multiaddr"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("imr_address"),
            JAVA_INT.withName("imr_ifindex"));
    public static final int IP_MREQN_SIZE = 12;
    public static final int IP_MREQN_ADDRESS_OFFSET = 4;
    public static final int IP_MREQN_IFINDEX_OFFSET = 8;

    public static final StructLayout IPV6_MREQ_LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ipv6mr_multiaddr"),
            JAVA_INT.withName("ipv6mr_interface"));
    public static final int IPV6_MREQ_SIZE = 20;
    public static final int IPV6_MREQ_IFINDEX_OFFSET = 16;

    private Multicast() {
    }

    /**
     * Joins ({@code join}) or leaves {@code group} on the interface with index {@code ifindex}.
     *
     * @param fd a datagram socket
     * @param join true to join, false to leave
     * @param group an IPv4 or IPv6 multicast address
     * @param ifindex the interface's index, 0 to let the kernel choose
     * @param state the calling thread's call state
     * @throws IOException naming the call and errno when the kernel refuses (e.g. EADDRNOTAVAIL
     *     when leaving a group not joined)
     */
    public static void membership(int fd, boolean join, InetAddress group, int ifindex, CallState state)
            throws IOException {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(group.getHostAddress() + " is not a multicast address");
        }
        boolean v4 = group instanceof Inet4Address;
        byte[] address = group.getAddress();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(v4 ? IP_MREQN_LAYOUT : IPV6_MREQ_LAYOUT);
            MemorySegment.copy(address, 0, request, JAVA_BYTE, 0, address.length);
            request.set(JAVA_INT, v4 ? IP_MREQN_IFINDEX_OFFSET : IPV6_MREQ_IFINDEX_OFFSET, ifindex);
            int name = v4 ? (join ? SocketOptions.IP_ADD_MEMBERSHIP : SocketOptions.IP_DROP_MEMBERSHIP)
                    : (join ? SocketOptions.IPV6_ADD_MEMBERSHIP : SocketOptions.IPV6_DROP_MEMBERSHIP);
            SocketOptions.set(fd, v4 ? SocketOptions.IPPROTO_IP : SocketOptions.IPPROTO_IPV6, name, request,
                    v4 ? IP_MREQN_SIZE : IPV6_MREQ_SIZE, state);
        }
    }
}
