package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Byte-exact sockaddr encoding and the edge cases of decoding. Pure Java: any OS. */
class SockAddrTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment storage = SockAddr.allocateStorage(arena);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void ipv4IsFamilyThenBigEndianPortThenAddress() throws UnknownHostException {
        InetSocketAddress address = new InetSocketAddress(
                InetAddress.getByAddress(new byte[] {10, 1, 2, 3}), 0x1F90);
        storage.fill((byte) 0x55); // so the zero padding has to be written
        assertThat(SockAddr.encode(address, storage)).isEqualTo(16);
        assertThat(bytes(16)).containsExactly(
                2, 0, 0x1F, (byte) 0x90, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(SockAddr.decode(storage, 16)).isEqualTo(address);
    }

    @Test
    void ipv6CarriesItsScopeIdInHostOrder() throws UnknownHostException {
        byte[] linkLocal = new byte[16];
        linkLocal[0] = (byte) 0xfe;
        linkLocal[1] = (byte) 0x80;
        linkLocal[15] = 1;
        InetSocketAddress address =
                new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 3), 443);
        assertThat(SockAddr.encode(address, storage)).isEqualTo(28);
        byte[] b = bytes(28);
        assertThat(new byte[] {b[0], b[1], b[2], b[3]}).containsExactly(10, 0, 1, (byte) 0xbb);
        assertThat(new byte[] {b[8], b[9], b[23]}).containsExactly((byte) 0xfe, (byte) 0x80, 1);
        assertThat(new byte[] {b[24], b[25], b[26], b[27]}).containsExactly(3, 0, 0, 0);

        InetSocketAddress decoded = (InetSocketAddress) SockAddr.decode(storage, 28);
        assertThat(decoded).isEqualTo(address);
        assertThat(((Inet6Address) decoded.getAddress()).getScopeId()).isEqualTo(3);
    }

    @Test
    void ipv4ForAnIpv6SocketIsMappedAndDecodesBackAsIpv4() {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
        assertThat(SockAddr.encodeInet6(address, storage)).isEqualTo(28);
        assertThat(bytes(28)).startsWith(10, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xff, (byte) 0xff, 127, 0, 0, 1);
        InetSocketAddress decoded = (InetSocketAddress) SockAddr.decode(storage, 28);
        assertThat(decoded.getAddress()).isInstanceOf(Inet4Address.class);
        assertThat(decoded).isEqualTo(address);
    }

    @Test
    void unixPathIsNulTerminatedAndCountedInTheLength() {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of("/tmp/a.sock");
        assertThat(SockAddr.encode(address, storage)).isEqualTo(2 + 11 + 1);
        assertThat(bytes(14)).startsWith(1, 0, '/', 't').endsWith('c', 'k', 0);
        assertThat(SockAddr.decode(storage, 14)).isEqualTo(address);
        assertThat(SockAddr.decode(storage, 13)).as("without the NUL").isEqualTo(address);
    }

    @Test
    void unixAddressesTheKernelLeavesUnnamedOrAbstractDecodeReadably() {
        storage.set(ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_UNIX);
        assertThat(SockAddr.decode(storage, 2)).isEqualTo(UnixDomainSocketAddress.of(""));
        byte[] name = "\0jgnet".getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(name, 0, storage, ValueLayout.JAVA_BYTE, 2, name.length);
        assertThat(SockAddr.decode(storage, 2 + name.length))
                .isEqualTo(UnixDomainSocketAddress.of("@jgnet"));
    }

    @Test
    void anAbstractNameEncodesAsItDecodes() {
        int length = SockAddr.encode(UnixDomainSocketAddress.of("@jgnet"), storage);
        assertThat(length).as("family, NUL, name; no terminator").isEqualTo(2 + 1 + 5);
        assertThat(storage.get(ValueLayout.JAVA_BYTE, SockAddr.UN_PATH_OFFSET)).isZero();
        assertThat(SockAddr.decode(storage, length)).isEqualTo(UnixDomainSocketAddress.of("@jgnet"));
    }

    @Test
    void familyFollowsTheAddressType() {
        assertThat(SockAddr.family(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
                .isEqualTo(Sockets.AF_INET);
        assertThat(SockAddr.family(new InetSocketAddress("::1", 1))).isEqualTo(Sockets.AF_INET6);
        assertThat(SockAddr.family(UnixDomainSocketAddress.of("x"))).isEqualTo(Sockets.AF_UNIX);
    }

    @Test
    void addressesThatCannotBeEncodedAreRefused() {
        assertThatThrownBy(() -> SockAddr.encode(
                InetSocketAddress.createUnresolved("example.com", 80), storage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
        assertThatThrownBy(() -> SockAddr.encode(
                UnixDomainSocketAddress.of("/" + "p".repeat(107)), storage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("107 bytes");
        assertThatThrownBy(() -> SockAddr.encode(
                new InetSocketAddress("::1", 1), storage.asSlice(0, 16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fit");
    }

    @Test
    void malformedKernelAddressesAreRefused() {
        storage.set(ValueLayout.JAVA_SHORT, 0, (short) 77);
        assertThatThrownBy(() -> SockAddr.decode(storage, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family 77");
        storage.set(ValueLayout.JAVA_SHORT, 0, (short) Sockets.AF_INET6);
        assertThatThrownBy(() -> SockAddr.decode(storage, 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sockaddr_in6");
        assertThatThrownBy(() -> SockAddr.decode(storage, 129))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private byte[] bytes(int length) {
        return storage.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
