package io.jgnet.linux;

import static io.jgnet.linux.SocketOptions.IPPROTO_TCP;
import static io.jgnet.linux.SocketOptions.SOL_SOCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** setsockopt/getsockopt round trips on a real TCP socket. */
@EnabledOnOs(OS.LINUX)
class SocketOptionsTest {
    private final Fixture fx = new Fixture();

    @AfterEach
    void closeFixture() {
        fx.close();
    }

    @Test
    void tcpNoDelayRoundTrips() throws IOException {
        int fd = fx.tcpSocket(0);
        assertThat(get(fd, IPPROTO_TCP, SocketOptions.TCP_NODELAY)).isZero();
        SocketOptions.setInt(fd, IPPROTO_TCP, SocketOptions.TCP_NODELAY, 1, fx.state);
        assertThat(get(fd, IPPROTO_TCP, SocketOptions.TCP_NODELAY)).isEqualTo(1);
        SocketOptions.setInt(fd, IPPROTO_TCP, SocketOptions.TCP_NODELAY, 0, fx.state);
        assertThat(get(fd, IPPROTO_TCP, SocketOptions.TCP_NODELAY)).isZero();
    }

    @Test
    void keepAliveSettingsRoundTrip() throws IOException {
        int fd = fx.tcpSocket(0);
        SocketOptions.setInt(fd, SOL_SOCKET, SocketOptions.SO_KEEPALIVE, 1, fx.state);
        SocketOptions.setInt(fd, IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE, 61, fx.state);
        SocketOptions.setInt(fd, IPPROTO_TCP, SocketOptions.TCP_KEEPINTVL, 7, fx.state);
        SocketOptions.setInt(fd, IPPROTO_TCP, SocketOptions.TCP_KEEPCNT, 4, fx.state);
        assertThat(get(fd, SOL_SOCKET, SocketOptions.SO_KEEPALIVE)).isEqualTo(1);
        assertThat(get(fd, IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE)).isEqualTo(61);
        assertThat(get(fd, IPPROTO_TCP, SocketOptions.TCP_KEEPINTVL)).isEqualTo(7);
        assertThat(get(fd, IPPROTO_TCP, SocketOptions.TCP_KEEPCNT)).isEqualTo(4);
    }

    @Test
    void reuseFlagsRoundTrip() throws IOException {
        int fd = fx.tcpSocket(0);
        SocketOptions.setInt(fd, SOL_SOCKET, SocketOptions.SO_REUSEADDR, 1, fx.state);
        SocketOptions.setInt(fd, SOL_SOCKET, SocketOptions.SO_REUSEPORT, 1, fx.state);
        assertThat(get(fd, SOL_SOCKET, SocketOptions.SO_REUSEADDR)).isEqualTo(1);
        assertThat(get(fd, SOL_SOCKET, SocketOptions.SO_REUSEPORT)).isEqualTo(1);
    }

    @Test
    void lingerRoundTripsAndIsOffByDefault() throws IOException {
        int fd = fx.tcpSocket(0);
        assertThat(SocketOptions.getLinger(fd, fx.state)).isEqualTo(-1);
        SocketOptions.setLinger(fd, 5, fx.state);
        assertThat(SocketOptions.getLinger(fd, fx.state)).isEqualTo(5);
        SocketOptions.setLinger(fd, 0, fx.state);
        assertThat(SocketOptions.getLinger(fd, fx.state)).isZero();
        SocketOptions.setLinger(fd, -1, fx.state);
        assertThat(SocketOptions.getLinger(fd, fx.state)).isEqualTo(-1);
    }

    @Test
    void socketTypeAndPendingErrorAreReadable() throws IOException {
        int fd = fx.tcpSocket(0);
        assertThat(get(fd, SOL_SOCKET, SocketOptions.SO_TYPE)).isEqualTo(Sockets.SOCK_STREAM);
        assertThat(get(fd, SOL_SOCKET, SocketOptions.SO_ERROR)).isZero();
    }

    @Test
    void failureNamesLevelAndOption() throws IOException {
        int fd = fx.closedFd();
        assertThatThrownBy(() -> SocketOptions.setInt(fd, IPPROTO_TCP, SocketOptions.TCP_NODELAY,
                1, fx.state))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("setsockopt(fd " + fd
                        + ", IPPROTO_TCP, TCP_NODELAY): EBADF (Bad file descriptor)");
        assertThat(SocketOptions.optionName(99, 12345)).isEqualTo("level 99, option 12345");
    }

    private int get(int fd, int level, int name) throws IOException {
        return SocketOptions.getInt(fd, level, name, fx.state);
    }
}
