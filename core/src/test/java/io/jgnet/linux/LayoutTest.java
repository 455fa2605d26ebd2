package io.jgnet.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import org.junit.jupiter.api.Test;

/**
 * Struct layouts and their offset constants, checked against the C ABI (values from
 * {@code offsetof}/{@code sizeof} with glibc headers) for both supported architectures, and the
 * constants checked against the layouts they restate. Pure Java: runs on any OS.
 */
class LayoutTest {

    @Test
    void epollEventIsPackedTwelveBytesOnX86_64() {
        StructLayout layout = Epoll.eventLayout(Arch.X86_64);
        assertThat(layout.byteSize()).isEqualTo(12);
        assertThat(layout.byteOffset(groupElement("events"))).isZero();
        assertThat(layout.byteOffset(groupElement("data"))).isEqualTo(4);
        assertThat(Epoll.dataOffset(Arch.X86_64)).isEqualTo(4);
    }

    @Test
    void epollEventIsSixteenAlignedBytesOnAarch64() {
        StructLayout layout = Epoll.eventLayout(Arch.AARCH64);
        assertThat(layout.byteSize()).isEqualTo(16);
        assertThat(layout.byteAlignment()).isEqualTo(8);
        assertThat(layout.byteOffset(groupElement("events"))).isZero();
        assertThat(layout.byteOffset(groupElement("data"))).isEqualTo(8);
        assertThat(Epoll.dataOffset(Arch.AARCH64)).isEqualTo(8);
    }

    @Test
    void epollConstantsDescribeThisMachinesLayout() {
        Arch arch = Arch.current();
        assertThat(Epoll.EVENT_LAYOUT).isSameAs(Epoll.eventLayout(arch));
        assertThat(Epoll.EVENT_SIZE).isEqualTo(arch == Arch.X86_64 ? 12 : 16);
        assertThat(Epoll.DATA_OFFSET)
                .isEqualTo(Epoll.EVENT_LAYOUT.byteOffset(groupElement("data")));
        assertThat(Epoll.EVENTS_OFFSET)
                .isEqualTo(Epoll.EVENT_LAYOUT.byteOffset(groupElement("events")));
    }

    @Test
    void epollAccessorsReadArrayElementsAtTheLayoutsStride() {
        VarHandle events = Epoll.EVENT_LAYOUT.arrayElementVarHandle(groupElement("events"));
        VarHandle data = Epoll.EVENT_LAYOUT.arrayElementVarHandle(groupElement("data"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = Epoll.allocateEvents(arena, 3);
            for (int i = 0; i < 3; i++) {
                events.set(array, 0L, (long) i, Epoll.EPOLLIN << i);
                data.set(array, 0L, (long) i, 0x1122_3344_5566_7700L + i);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(Epoll.events(array, i)).isEqualTo(Epoll.EPOLLIN << i);
                assertThat(Epoll.data(array, i)).isEqualTo(0x1122_3344_5566_7700L + i);
            }
        }
    }

    @Test
    void archIsReadFromOsArch() {
        assertThat(Arch.of("amd64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.of("x86_64")).isEqualTo(Arch.X86_64);
        assertThat(Arch.of("aarch64")).isEqualTo(Arch.AARCH64);
        assertThat(Arch.of("riscv64")).isEqualTo(Arch.UNSUPPORTED);
        assertThat(Arch.of("x86")).isEqualTo(Arch.UNSUPPORTED);
    }

    @Test
    void sockaddrInIsSixteenBytesWithPortAndAddressInPlace() {
        assertThat(SockAddr.IN_LAYOUT.byteSize()).isEqualTo(SockAddr.IN_SIZE).isEqualTo(16);
        assertOffset(SockAddr.IN_LAYOUT, "sin_family", SockAddr.FAMILY_OFFSET, 0);
        assertOffset(SockAddr.IN_LAYOUT, "sin_port", SockAddr.IN_PORT_OFFSET, 2);
        assertOffset(SockAddr.IN_LAYOUT, "sin_addr", SockAddr.IN_ADDR_OFFSET, 4);
        assertOffset(SockAddr.IN_LAYOUT, "sin_zero", SockAddr.IN_ZERO_OFFSET, 8);
    }

    @Test
    void sockaddrIn6IsTwentyEightBytesWithScopeLast() {
        assertThat(SockAddr.IN6_LAYOUT.byteSize()).isEqualTo(SockAddr.IN6_SIZE).isEqualTo(28);
        assertOffset(SockAddr.IN6_LAYOUT, "sin6_port", SockAddr.IN6_PORT_OFFSET, 2);
        assertOffset(SockAddr.IN6_LAYOUT, "sin6_flowinfo", SockAddr.IN6_FLOWINFO_OFFSET, 4);
        assertOffset(SockAddr.IN6_LAYOUT, "sin6_addr", SockAddr.IN6_ADDR_OFFSET, 8);
        assertOffset(SockAddr.IN6_LAYOUT, "sin6_scope_id", SockAddr.IN6_SCOPE_ID_OFFSET, 24);
    }

    @Test
    void sockaddrUnHoldsA108BytePath() {
        assertThat(SockAddr.UN_LAYOUT.byteSize()).isEqualTo(SockAddr.UN_SIZE).isEqualTo(110);
        assertOffset(SockAddr.UN_LAYOUT, "sun_path", SockAddr.UN_PATH_OFFSET, 2);
        assertThat(SockAddr.UN_PATH_SIZE).isEqualTo(108);
    }

    @Test
    void sockaddrStorageHoldsEveryFamily() {
        assertThat(SockAddr.STORAGE_SIZE).isEqualTo(128)
                .isGreaterThanOrEqualTo(SockAddr.IN6_SIZE)
                .isGreaterThanOrEqualTo(SockAddr.UN_SIZE);
        assertThat(SockAddr.SOCKLEN_SIZE).isEqualTo(4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = SockAddr.allocateStorage(arena);
            assertThat(storage.byteSize()).isEqualTo(128);
            assertThat(storage.address() % SockAddr.STORAGE_ALIGNMENT).isZero();
        }
    }

    @Test
    void iovecIsBaseThenLength() {
        assertThat(IoVec.LAYOUT.byteSize()).isEqualTo(IoVec.SIZE).isEqualTo(16);
        assertOffset(IoVec.LAYOUT, "iov_base", IoVec.BASE_OFFSET, 0);
        assertOffset(IoVec.LAYOUT, "iov_len", IoVec.LEN_OFFSET, 8);
    }

    @Test
    void lingerIsTwoInts() {
        StructLayout layout = SocketOptions.LINGER_LAYOUT;
        assertThat(layout.byteSize()).isEqualTo(SocketOptions.LINGER_SIZE).isEqualTo(8);
        assertOffset(layout, "l_onoff", SocketOptions.LINGER_ONOFF_OFFSET, 0);
        assertOffset(layout, "l_linger", SocketOptions.LINGER_LINGER_OFFSET, 4);
    }

    @Test
    void multicastRequestsAreAddressesThenTheInterfaceIndex() {
        StructLayout v4 = Multicast.IP_MREQN_LAYOUT;
        assertThat(v4.byteSize()).isEqualTo(Multicast.IP_MREQN_SIZE).isEqualTo(12);
        assertOffset(v4, "imr_address", Multicast.IP_MREQN_ADDRESS_OFFSET, 4);
        assertOffset(v4, "imr_ifindex", Multicast.IP_MREQN_IFINDEX_OFFSET, 8);
        StructLayout v6 = Multicast.IPV6_MREQ_LAYOUT;
        assertThat(v6.byteSize()).isEqualTo(Multicast.IPV6_MREQ_SIZE).isEqualTo(20);
        assertOffset(v6, "ipv6mr_interface", Multicast.IPV6_MREQ_IFINDEX_OFFSET, 16);
    }

    @Test
    void callStateScratchFitsEveryStructItIsUsedFor() {
        CallState state = new CallState();
        assertThat(state.value.byteSize())
                .isGreaterThanOrEqualTo(Epoll.eventLayout(Arch.AARCH64).byteSize())
                .isGreaterThanOrEqualTo(Epoll.eventLayout(Arch.X86_64).byteSize())
                .isGreaterThanOrEqualTo(SocketOptions.LINGER_SIZE)
                .isGreaterThanOrEqualTo(Long.BYTES);
        assertThat(state.value.address() % 8).isZero();
        assertThat(state.sockaddr.byteSize()).isEqualTo(SockAddr.STORAGE_SIZE);
        assertThat(state.length.byteSize()).isEqualTo(SockAddr.SOCKLEN_SIZE);
        assertThat(state.capture.byteSize()).isEqualTo(Libc.CAPTURE_LAYOUT.byteSize());
    }

    private static void assertOffset(StructLayout layout, String field, long constant, long c) {
        assertThat(layout.byteOffset(groupElement(field))).as(field).isEqualTo(c);
        assertThat(constant).as(field + " constant").isEqualTo(c);
    }
}
