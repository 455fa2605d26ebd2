package io.jgnet.linux;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import jdk.net.ExtendedSocketOptions;

/**
 * Maps the JDK's socket option names, which the engine speaks, onto setsockopt levels and
 * names. Stateless.
 */
public final class JdkSocketOptions {
    private JdkSocketOptions() {
    }

    public static <T> void set(int fd, SocketOption<T> option, T value, CallState state) throws IOException {
        if (option == StandardSocketOptions.TCP_NODELAY) {
            SocketOptions.setInt(fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, flag(value), state);
        } else if (option == StandardSocketOptions.SO_KEEPALIVE) {
            SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_KEEPALIVE, flag(value), state);
        } else if (option == StandardSocketOptions.SO_SNDBUF) {
            SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF, (Integer) value, state);
        } else if (option == StandardSocketOptions.SO_RCVBUF) {
            SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF, (Integer) value, state);
        } else if (option == StandardSocketOptions.SO_REUSEADDR) {
            SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR, flag(value), state);
        } else if (option == StandardSocketOptions.SO_REUSEPORT) {
            SocketOptions.setInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEPORT, flag(value), state);
        } else if (option == StandardSocketOptions.SO_LINGER) {
            SocketOptions.setLinger(fd, (Integer) value, state);
        } else if (option == ExtendedSocketOptions.TCP_KEEPIDLE) {
            SocketOptions.setInt(fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE, (Integer) value, state);
        } else if (option == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
            SocketOptions.setInt(fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPINTVL, (Integer) value, state);
        } else if (option == ExtendedSocketOptions.TCP_KEEPCOUNT) {
            SocketOptions.setInt(fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPCNT, (Integer) value, state);
        } else {
            throw new UnsupportedOperationException("socket option " + option.name() + " is not supported on Linux sockets here");
        }
    }

    private static int flag(Object value) {
        return Boolean.TRUE.equals(value) ? 1 : 0;
    }
}
