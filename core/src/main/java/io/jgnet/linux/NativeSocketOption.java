package io.jgnet.linux;

import java.net.SocketOption;

/**
 * A socket option the JDK does not name, as a {@code setsockopt} level and name with a value
 * type: {@code Integer} (an {@code int}), {@code Boolean} (an {@code int} 0 or 1) or
 * {@code String} (bytes, e.g. an interface name). The public keys in
 * {@code io.jgnet.LinuxSocketOptions} are instances of it; {@link JdkSocketOptions} sets and
 * reads them on a descriptor, and the nio transport, which cannot, names them when it refuses.
 *
 * <p>Immutable; thread-safe.
 *
 * @param name  the option's C name, for messages: {@code "TCP_USER_TIMEOUT"}
 * @param type  {@code Integer.class}, {@code Boolean.class} or {@code String.class}
 * @param level the {@code setsockopt} level, e.g. {@link SocketOptions#IPPROTO_TCP}
 * @param optname the {@code setsockopt} name, e.g. {@link SocketOptions#TCP_USER_TIMEOUT}
 * @param <T> the value type
 */
public record NativeSocketOption<T>(String name, Class<T> type, int level, int optname) implements SocketOption<T> {

    /** Checks the type: only the three the kernel's options take are encoded. */
    public NativeSocketOption {
        if (type != Integer.class && type != Boolean.class && type != String.class) {
            throw new IllegalArgumentException("socket option " + name + ": type " + type.getName()
                    + " is not Integer, Boolean or String");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
