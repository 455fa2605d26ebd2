package io.jgnet.linux;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Finds the file descriptor behind a connected JDK {@link SocketChannel} or
 * {@link DatagramChannel}, which the Linux transports need and the JDK does not expose (its accessor lives in
 * the closed package {@code sun.nio.ch}, and we neither open packages nor use reflection).
 *
 * <p>How: the process's descriptor table is listed from {@code /proc/self/fd}, and each socket
 * in it is asked what the kernel knows of it: its type ({@code SO_TYPE}), its local address
 * ({@code getsockname}) and its peer ({@code getpeername}). The channel's descriptor is the one
 * whose answers equal the channel's own. A connected TCP or UDP socket is the only socket in a
 * network namespace with its pair of addresses, so an IP match is exact. Unix-domain sockets
 * can share both addresses (every client of one server has an unnamed local end): when more
 * than one socket matches, we refuse rather than guess, and the message says so.
 *
 * <p>The descriptor is used as it is, not duplicated: the channel stays open, owned by jgnet,
 * for the life of the connection, which keeps its descriptor number from being reused by
 * anyone else; the engine closes the channel (not the bare descriptor) at the end, so the JDK
 * releases it its own way. Called on the loop thread during an enroll, never on a hot path.
 */
public final class ChannelDescriptor {
    private static final Path OPEN_DESCRIPTORS = Path.of("/proc/self/fd");

    private ChannelDescriptor() {
    }

    /** The descriptor of {@code channel}, which must be open and connected. */
    public static int find(NetworkChannel channel, CallState state) throws IOException {
        int type = channel instanceof DatagramChannel ? Sockets.SOCK_DGRAM : Sockets.SOCK_STREAM;
        SocketAddress local = channel.getLocalAddress();
        SocketAddress remote = channel instanceof SocketChannel socket ? socket.getRemoteAddress()
                : ((DatagramChannel) channel).getRemoteAddress();
        int found = -1;
        int matches = 0;
        for (int fd : openDescriptors()) {
            if (isSocket(fd, type, local, remote, state)) {
                found = fd;
                matches++;
            }
        }
        if (matches == 1) {
            return found;
        }
        throw new IOException(matches == 0
                ? "cannot find the file descriptor of " + channel + " in /proc/self/fd"
                : matches + " sockets in this process share the addresses of " + channel
                        + " (" + local + " <-> " + remote + "), so its descriptor cannot be told apart;"
                        + " enroll it on the nio transport, or dial the address with the engine instead");
    }

    /** The descriptors open in this process now, from {@code /proc/self/fd} (the listing's own included). */
    static int[] openDescriptors() throws IOException {
        int[] found = new int[64];
        int count = 0;
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(OPEN_DESCRIPTORS)) {
            for (Path entry : descriptors) {
                try {
                    int fd = Integer.parseInt(entry.getFileName().toString());
                    if (count == found.length) {
                        found = java.util.Arrays.copyOf(found, count * 2);
                    }
                    found[count++] = fd;
                } catch (NumberFormatException notADescriptor) {
                    // "." and ".." on some file systems
                }
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    private static boolean isSocket(int fd, int type, SocketAddress local, SocketAddress remote, CallState state) {
        try {
            return SocketOptions.getInt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_TYPE, state) == type
                    && Objects.equals(Sockets.remoteAddress(fd, state), remote)
                    && Objects.equals(Sockets.localAddress(fd, state), local);
        } catch (IOException | RuntimeException notASocketOfThatKind) {
            // ENOTSOCK, ENOTCONN, EBADF (closed meanwhile, or the directory's own descriptor).
            return false;
        }
    }
}
