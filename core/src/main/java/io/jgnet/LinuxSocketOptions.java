package io.jgnet;

import io.jgnet.linux.NativeSocketOption;
import io.jgnet.linux.SocketOptions;
import java.net.SocketOption;
import jdk.net.ExtendedSocketOptions;

/**
 * Socket options that production servers set and the JDK does not name, as typed keys for
 * {@link Options.Builder#listenerOption}, {@link Options.Builder#connectionOption} and
 * {@link Conn#setOption}/{@link Conn#getOption}. The JDK's own keys
 * ({@link java.net.StandardSocketOptions}: SO_SNDBUF, IP_TOS, SO_BROADCAST, IP_MULTICAST_LOOP,
 * ...; {@link ExtendedSocketOptions}: TCP_KEEPIDLE, TCP_QUICKACK, ...) work there too.
 *
 * <p>The epoll and io_uring transports set every one of them with {@code setsockopt(2)}; the nio
 * transport sets only what the JDK's channels know (the JDK's keys and {@link #TCP_QUICKACK}),
 * and throws {@link UnsupportedOperationException} naming any other. {@link #raw} reaches any
 * integer option by its level and name.
 *
 * <p>Constants only; the keys are immutable and thread-safe.
 */
public final class LinuxSocketOptions {

    /**
     * TCP_USER_TIMEOUT, in milliseconds: how long sent data may stay unacknowledged before the
     * kernel drops the connection (0: the system default). Connections.
     */
    public static final SocketOption<Integer> TCP_USER_TIMEOUT =
            new NativeSocketOption<>("TCP_USER_TIMEOUT", Integer.class, SocketOptions.IPPROTO_TCP,
                    SocketOptions.TCP_USER_TIMEOUT);

    /**
     * TCP_FASTOPEN on a listener: the length of the queue of connections that may carry data in
     * their SYN (needs {@code net.ipv4.tcp_fastopen} bit 2 for servers). Listeners.
     */
    public static final SocketOption<Integer> TCP_FASTOPEN =
            new NativeSocketOption<>("TCP_FASTOPEN", Integer.class, SocketOptions.IPPROTO_TCP,
                    SocketOptions.TCP_FASTOPEN);

    /**
     * TCP_FASTOPEN_CONNECT on a dialed socket: the first write travels in the SYN when the
     * server's cookie is known (needs {@code net.ipv4.tcp_fastopen} bit 1). Set it with
     * {@link Options.Builder#connectionOption}, which applies it before the connect.
     */
    public static final SocketOption<Boolean> TCP_FASTOPEN_CONNECT =
            new NativeSocketOption<>("TCP_FASTOPEN_CONNECT", Boolean.class, SocketOptions.IPPROTO_TCP,
                    SocketOptions.TCP_FASTOPEN_CONNECT);

    /** TCP_QUICKACK: acknowledge at once instead of delaying ACKs (the kernel may clear it again). */
    public static final SocketOption<Boolean> TCP_QUICKACK = ExtendedSocketOptions.TCP_QUICKACK;

    /**
     * TCP_CORK: hold partial frames until uncorked or full, to batch a header and a body written
     * apart into full segments; turning it off sends what waits.
     */
    public static final SocketOption<Boolean> TCP_CORK =
            new NativeSocketOption<>("TCP_CORK", Boolean.class, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_CORK);

    /** SO_BUSY_POLL, in microseconds: how long a blocking receive busy-polls the device queue. */
    public static final SocketOption<Integer> SO_BUSY_POLL =
            new NativeSocketOption<>("SO_BUSY_POLL", Integer.class, SocketOptions.SOL_SOCKET,
                    SocketOptions.SO_BUSY_POLL);

    /**
     * IP_BIND_ADDRESS_NO_PORT: a dialed socket bound to a local address picks its port only at
     * connect, so many outgoing connections can share the address. Before the connect.
     */
    public static final SocketOption<Boolean> IP_BIND_ADDRESS_NO_PORT =
            new NativeSocketOption<>("IP_BIND_ADDRESS_NO_PORT", Boolean.class, SocketOptions.IPPROTO_IP,
                    SocketOptions.IP_BIND_ADDRESS_NO_PORT);

    /** IP_FREEBIND: bind to an address that is not (yet) configured on this host. Listeners. */
    public static final SocketOption<Boolean> IP_FREEBIND =
            new NativeSocketOption<>("IP_FREEBIND", Boolean.class, SocketOptions.IPPROTO_IP,
                    SocketOptions.IP_FREEBIND);

    /**
     * SO_BINDTODEVICE: send and receive only through the named interface ({@code "eth0"}; an
     * empty string unbinds). Needs CAP_NET_RAW unless the socket is already bound to it.
     */
    public static final SocketOption<String> SO_BINDTODEVICE =
            new NativeSocketOption<>("SO_BINDTODEVICE", String.class, SocketOptions.SOL_SOCKET,
                    SocketOptions.SO_BINDTODEVICE);

    private LinuxSocketOptions() {
    }

    /**
     * An integer option by its {@code setsockopt} level and name, for what is not named here:
     * {@code raw("IP_TTL", 0, 2)}. Only the epoll and io_uring transports set it.
     *
     * @param name a name for messages
     * @param level the level, e.g. 6 for IPPROTO_TCP
     * @param optname the option's number at that level
     * @return a key usable wherever the constants are
     */
    public static SocketOption<Integer> raw(String name, int level, int optname) {
        return new NativeSocketOption<>(name, Integer.class, level, optname);
    }
}
