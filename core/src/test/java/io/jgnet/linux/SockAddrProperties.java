package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** encode then decode gives the address back, for any address and port. Pure Java. */
class SockAddrProperties {

    @Property
    void ipv4RoundTrips(@ForAll @Size(4) byte[] address,
            @ForAll @IntRange(max = 65535) int port) throws UnknownHostException {
        InetSocketAddress original = new InetSocketAddress(InetAddress.getByAddress(address), port);
        assertThat(roundTrip(original, SockAddr.IN_SIZE)).isEqualTo(original);
    }

    @Property
    void ipv6RoundTripsWithScope(@ForAll @Size(16) byte[] address,
            @ForAll @IntRange(max = 65535) int port,
            @ForAll @IntRange(max = Integer.MAX_VALUE) int scope) throws UnknownHostException {
        InetSocketAddress original = new InetSocketAddress(
                Inet6Address.getByAddress(null, address, scope), port);
        InetSocketAddress decoded = (InetSocketAddress) roundTrip(original, SockAddr.IN6_SIZE);
        assertThat(decoded).isEqualTo(original);
        assertThat(decoded.getAddress().getAddress()).isEqualTo(address);
        if (decoded.getAddress() instanceof Inet6Address v6) {
            assertThat(v6.getScopeId()).isEqualTo(scope);
        }
    }

    @Property
    void ipv4MappedForIpv6SocketsRoundTrips(@ForAll @Size(4) byte[] address,
            @ForAll @IntRange(max = 65535) int port) throws UnknownHostException {
        InetSocketAddress original = new InetSocketAddress(InetAddress.getByAddress(address), port);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = SockAddr.allocateStorage(arena);
            int length = SockAddr.encodeInet6(original, storage);
            assertThat(length).isEqualTo(SockAddr.IN6_SIZE);
            assertThat(SockAddr.decode(storage, length)).isEqualTo(original);
        }
    }

    @Property
    void unixPathsRoundTrip(
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 100) String name) {
        UnixDomainSocketAddress original = UnixDomainSocketAddress.of("/" + name);
        assertThat(roundTrip(original, 2 + 1 + name.length() + 1)).isEqualTo(original);
    }

    private static SocketAddress roundTrip(SocketAddress address, int expectedLength) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = SockAddr.allocateStorage(arena);
            int length = SockAddr.encode(address, storage);
            assertThat(length).isEqualTo(expectedLength);
            return SockAddr.decode(storage, length);
        }
    }
}
