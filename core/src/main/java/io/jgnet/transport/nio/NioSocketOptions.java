package io.jgnet.transport.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.NetworkChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Socket options and multicast memberships through the JDK's channels, which know the JDK's
 * option keys only: any other is refused with an {@link UnsupportedOperationException} that
 * names it and says which transports can set it. Loop thread.
 */
final class NioSocketOptions {
    /** The groups a datagram channel joined, to drop them on leave; null until the first join. */
    private Map<List<Object>, MembershipKey> memberships;

    static <T> void set(NetworkChannel channel, SocketOption<T> option, T value) throws IOException {
        try {
            channel.setOption(option, value);
        } catch (UnsupportedOperationException e) {
            throw unsupported(option, e);
        }
    }

    static <T> T get(NetworkChannel channel, SocketOption<T> option) throws IOException {
        try {
            return channel.getOption(option);
        } catch (UnsupportedOperationException e) {
            throw unsupported(option, e);
        }
    }

    /** Applies {@code options} in order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void setAll(NetworkChannel channel, Map<SocketOption<?>, Object> options) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> entry : options.entrySet()) {
            set(channel, (SocketOption) entry.getKey(), entry.getValue());
        }
    }

    private static UnsupportedOperationException unsupported(SocketOption<?> option, RuntimeException cause) {
        return new UnsupportedOperationException("socket option " + option.name() + " is not supported on the nio"
                + " transport (the JDK's channels do not know it); the epoll and io_uring transports set it", cause);
    }

    /** Joins or leaves {@code group} on {@code nif}; leaving a group not joined is an error, as in the kernel. */
    void membership(DatagramChannel channel, boolean join, InetAddress group, NetworkInterface nif) throws IOException {
        if (memberships == null) {
            memberships = new HashMap<>();
        }
        List<Object> id = List.of(group, nif);
        if (join) {
            if (memberships.containsKey(id)) {
                throw new IOException("already a member of " + group.getHostAddress() + " on " + nif.getName());
            }
            memberships.put(id, channel.join(group, nif));
        } else {
            MembershipKey key = memberships.remove(id);
            if (key == null) {
                throw new IOException("not a member of " + group.getHostAddress() + " on " + nif.getName());
            }
            key.drop();
        }
    }
}
