package io.jgnet.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds the file descriptor behind an open JDK {@link FileChannel}, which {@code sendfile} needs
 * and the JDK does not expose (see {@link ChannelDescriptor} for why we neither open packages
 * nor use reflection).
 *
 * <p>How: the channel's file offset is moved to a marker far past any real file's end (a
 * {@code FileChannel} may seek there; nothing is read or written), each descriptor listed in
 * {@code /proc/self/fd} is asked for its offset ({@code lseek(fd, 0, SEEK_CUR)}: sockets and
 * pipes answer ESPIPE), and the one at the marker is the channel's. The offset is then put
 * back. Two descriptors share an offset only if they share an open file description (a dup),
 * and then either serves. A second marker confirms the match, so a stray descriptor that
 * happened to sit at the first one cannot be taken for it.
 *
 * <p>Cost: one {@code lseek} per open descriptor of the process, about a microsecond each; it
 * is paid once per file sent, which is small next to sending a large file and large next to
 * sending a tiny one. The channel must not be used by another thread meanwhile (its owner
 * handed it over). Called on the loop thread.
 */
public final class FileChannelDescriptor {
    /**
     * Markers live in [1 TiB, 2 TiB): far past the end of any file we send, yet an offset every
     * Linux file system we run on lets lseek reach (ext4 stops at 16 TiB).
     */
    private static final long MARKER_BASE = 1L << 40;

    private FileChannelDescriptor() {
    }

    /** The descriptor of {@code channel}, which must be open. */
    public static int find(FileChannel channel, CallState state) throws IOException {
        long saved = channel.position();
        try {
            long first = MARKER_BASE + ThreadLocalRandom.current().nextLong(MARKER_BASE);
            channel.position(first);
            for (int fd : ChannelDescriptor.openDescriptors()) {
                if (SendFile.lseek(fd, 0, SendFile.SEEK_CUR, state) != first) {
                    continue;
                }
                long second = first ^ 1;
                channel.position(second);
                if (SendFile.lseek(fd, 0, SendFile.SEEK_CUR, state) == second) {
                    return fd;
                }
                channel.position(first);
            }
        } finally {
            channel.position(saved);
        }
        throw new IOException("cannot find the file descriptor of " + channel + " in /proc/self/fd");
    }
}
