package io.jgnet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.transport.Address.Family;
import io.jgnet.transport.Address.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Address#parse} understands every scheme jgnet offers and, for anything else, says what
 * is wrong and with which address. Only IP literals appear here, so no test waits on DNS.
 */
class AddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            tcp://127.0.0.1:9000      | STREAM   | INET  | 127.0.0.1   | 9000
            tcp4://10.1.2.3:80        | STREAM   | INET  | 10.1.2.3    | 80
            tcp://[::1]:9000          | STREAM   | INET6 | ::1         | 9000
            tcp6://[2001:db8::1]:443  | STREAM   | INET6 | 2001:db8::1 | 443
            udp://127.0.0.1:53        | DATAGRAM | INET  | 127.0.0.1   | 53
            udp4://192.168.0.1:65535  | DATAGRAM | INET  | 192.168.0.1 | 65535
            udp6://[fe80::1]:5353     | DATAGRAM | INET6 | fe80::1     | 5353
            tcp://127.0.0.1:0         | STREAM   | INET  | 127.0.0.1   | 0
            """)
    void parsesIpAddresses(String text, Protocol protocol, Family family, String ip, int port) throws Exception {
        Address address = Address.parse(text);

        assertThat(address.text()).isEqualTo(text);
        assertThat(address.toString()).isEqualTo(text);
        assertThat(address.protocol()).isEqualTo(protocol);
        assertThat(address.family()).isEqualTo(family);
        assertThat(address.isTcp()).isEqualTo(protocol == Protocol.STREAM);
        assertThat(address.socketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName(ip), port));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            tcp://:9000     | INET
            tcp4://:9000    | INET
            tcp6://:9000    | INET6
            udp://:0        | INET
            udp6://:53      | INET6
            tcp://[]:9000   | INET
            """)
    void anEmptyHostMeansEveryInterface(String text, Family family) {
        Address address = Address.parse(text);

        InetSocketAddress socket = (InetSocketAddress) address.socketAddress();
        assertThat(socket.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(address.family()).isEqualTo(family);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            TCP://127.0.0.1:9000       | STREAM   | INET
            Tcp4://127.0.0.1:9000      | STREAM   | INET
            TCP6://[::1]:9000          | STREAM   | INET6
            UDP://127.0.0.1:53         | DATAGRAM | INET
            uDp6://[::1]:53            | DATAGRAM | INET6
            UNIX:///tmp/app.sock       | STREAM   | UNIX
            """)
    void acceptsTheSchemeInAnyCase(String text, Protocol protocol, Family family) {
        Address address = Address.parse(text);

        assertThat(address.protocol()).isEqualTo(protocol);
        assertThat(address.family()).isEqualTo(family);
        assertThat(address.text()).as("kept as given, for messages").isEqualTo(text);
    }

    @Test
    void parsesAUnixSocketPath() {
        Address address = Address.parse("unix:///tmp/app.sock");

        assertThat(address.protocol()).isEqualTo(Protocol.STREAM);
        assertThat(address.family()).isEqualTo(Family.UNIX);
        assertThat(address.isTcp()).isFalse();
        assertThat(address.socketAddress()).isEqualTo(UnixDomainSocketAddress.of(Path.of("/tmp/app.sock")));
    }

    @Test
    void parsesAUnixDatagramSocketPath() {
        Address address = Address.parse("UNIXGRAM:///tmp/app.sock");

        assertThat(address.protocol()).isEqualTo(Protocol.DATAGRAM);
        assertThat(address.family()).isEqualTo(Family.UNIX);
        assertThat(address.socketAddress()).isEqualTo(UnixDomainSocketAddress.of(Path.of("/tmp/app.sock")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            127.0.0.1:9000           | expected scheme://
            ://127.0.0.1:9000        | expected scheme://
            http://127.0.0.1:80      | unknown scheme 'http'
            HTTP://127.0.0.1:80      | unknown scheme 'HTTP'
            tcp://127.0.0.1          | missing :port
            tcp6://[::1]             | missing :port
            tcp://127.0.0.1:http     | port 'http' is not a number
            tcp://127.0.0.1:         | port '' is not a number
            tcp://127.0.0.1:65536    | port 65536 is outside 0-65535
            udp://127.0.0.1:-1       | port -1 is outside 0-65535
            tcp://::1:9000           | must be in brackets
            tcp://[::1:9000          | must be in brackets
            tcp4://[::1]:9000        | '::1' is not an IPv4 address
            udp4://[2001:db8::1]:53  | not an IPv4 address
            tcp6://127.0.0.1:9000    | '127.0.0.1' is not an IPv6 address
            udp6://10.0.0.1:53       | not an IPv6 address
            unix://                  | unix address needs a path
            """)
    void rejectsABadAddressNamingItAndTheFault(String text, String fault) {
        assertThatThrownBy(() -> Address.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining(fault);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> Address.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }
}
