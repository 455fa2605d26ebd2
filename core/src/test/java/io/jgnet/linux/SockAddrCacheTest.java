package io.jgnet.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sender cache gives back one object per address, decodes as {@link SockAddr#decode}, and stays bounded. */
class SockAddrCacheTest {
    private final SockAddrCache cache = new SockAddrCache();

    @Test
    void theSameBytesGiveTheSameObjectAndOtherBytesTheirOwnAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(512);
            InetSocketAddress one = new InetSocketAddress("127.0.0.1", 4000);
            int length = SockAddr.encode(one, memory.asSlice(64));
            SocketAddress first = cache.decode(memory, 64, length);
            assertThat(first).isEqualTo(one);
            assertThat(cache.decode(memory, 64, length)).isSameAs(first);

            InetSocketAddress other = new InetSocketAddress("127.0.0.1", 4001);
            int otherLength = SockAddr.encode(other, memory.asSlice(256));
            assertThat(cache.decode(memory, 256, otherLength)).isEqualTo(other);
            assertThat(cache.decode(memory, 64, length)).as("still the first peer").isEqualTo(one);

            InetSocketAddress v6 = new InetSocketAddress("::1", 4000);
            int v6Length = SockAddr.encode(v6, memory.asSlice(0));
            assertThat(cache.decode(memory, 0, v6Length)).isEqualTo(v6);
            UnixDomainSocketAddress unix = UnixDomainSocketAddress.of("@peer");
            int unixLength = SockAddr.encode(unix, memory.asSlice(0));
            assertThat(cache.decode(memory, 0, unixLength)).isEqualTo(unix);
        }
    }

    @Test
    void manyPeersDecodeRightThroughCollisionsAndAFamilyItCannotReadIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(SockAddr.STORAGE_SIZE);
            Set<SocketAddress> seen = new HashSet<>();
            for (int port = 1; port <= 2_000; port++) {
                InetSocketAddress peer = new InetSocketAddress("10.0.0." + (port % 250 + 1), port);
                int length = SockAddr.encode(peer, memory);
                SocketAddress decoded = cache.decode(memory, 0, length);
                assertThat(decoded).isEqualTo(peer);
                seen.add(decoded);
            }
            assertThat(seen).hasSize(2_000);
            memory.fill((byte) 0);
            memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 99);
            assertThatThrownBy(() -> cache.decode(memory, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
