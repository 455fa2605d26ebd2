package io.jgnet.transport.fd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

    @Test
    void anIpv4AddressComesBackEqualAndPrintedAlike() throws Exception {
        for (String ip : new String[] {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.200.3.4", "192.168.0.1"}) {
            for (int port : new int[] {0, 1, 443, 40175, 65535}) {
                InetSocketAddress accepted = new InetSocketAddress(InetAddress.getByAddress(InetAddress.getByName(ip).getAddress()), port);
                long packed = PeerAddress.pack(accepted);
                assertThat(packed).as("%s", accepted).isNotEqualTo(PeerAddress.NONE);
                InetSocketAddress back = PeerAddress.unpack(packed);
                assertThat(back).isEqualTo(accepted);
                assertThat(back.toString()).isEqualTo(accepted.toString());
            }
        }
    }

    @Test
    void ipv6AndUnixAddressesAreNotPacked() throws Exception {
        assertThat(PeerAddress.pack(new InetSocketAddress(InetAddress.getByName("::1"), 80))).isEqualTo(PeerAddress.NONE);
        assertThat(PeerAddress.pack(UnixDomainSocketAddress.of("/tmp/x.sock"))).isEqualTo(PeerAddress.NONE);
        assertThat(PeerAddress.pack(PeerAddress.UNNAMED_UNIX)).isEqualTo(PeerAddress.NONE);
        assertThat(PeerAddress.pack(null)).isEqualTo(PeerAddress.NONE);
    }
}
