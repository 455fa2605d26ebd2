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
 * <p>Cost: the descriptor found last on this thread is tried first: the kernel hands out the
 * lowest free number, so a server that closes each file before it opens the next gets the same
 * number again, and then the search costs six {@code lseek}s. Otherwise it costs listing
 * {@code /proc/self/fd} and one {@code lseek} per open descriptor of the process, about a
 * microsecond each, paid once per file sent. The channel must not be used by another thread
 * meanwhile (its owner handed it over). Called on the loop thread.
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
            int last = state.lastFileDescriptor;
            if (last >= 0 && isChannels(last, channel, first, state)) {
                return last;
            }
            for (int fd : ChannelDescriptor.openDescriptors()) {
                if (fd != last && isChannels(fd, channel, first, state)) {
                    state.lastFileDescriptor = fd;
                    return fd;
                }
            }
        } finally {
            channel.position(saved);
        }
        throw new IOException("cannot find the file descriptor of " + channel + " in /proc/self/fd");
    }

    /** Whether {@code fd} follows {@code channel}, now at offset {@code first}, to a second marker; if not, puts it back at {@code first}. */
    private static boolean isChannels(int fd, FileChannel channel, long first, CallState state) throws IOException {
        if (SendFile.lseek(fd, 0, SendFile.SEEK_CUR, state) != first) {
            return false;
        }
        long second = first ^ 1;
        channel.position(second);
        boolean follows = SendFile.lseek(fd, 0, SendFile.SEEK_CUR, state) == second;
        if (!follows) {
            channel.position(first);
        }
        return follows;
    }
}
