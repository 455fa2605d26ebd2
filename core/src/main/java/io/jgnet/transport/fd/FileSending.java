package io.jgnet.transport.fd;

import io.jgnet.linux.CallState;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.FileChannelDescriptor;
import io.jgnet.linux.SendFile;
import io.jgnet.transport.FileRegion;
import java.io.IOException;

/**
 * Sends part of a queued file region to a socket descriptor with sendfile(2), for the Linux
 * transports: the page-cache pages go to the socket without a copy through user space. Stateless;
 * runs on the loop thread that owns {@code state}.
 */
public final class FileSending {
    /** The most one sendfile(2) moves (MAX_RW_COUNT); a larger region takes several calls. */
    public static final long MAX_PER_CALL = 0x7ffff000L;

    private FileSending() {
    }

    /**
     * One sendfile(2) from {@code file}'s position to {@code socket}, as much as the socket takes.
     *
     * @return bytes sent, or {@code -EAGAIN} / {@code -EINTR} (the socket is full, or try again)
     * @throws IOException if the call failed otherwise, or the file ended before the region did
     */
    public static long sendfile(int socket, FileRegion file, CallState state) throws IOException {
        int in = descriptor(file, state);
        long n = SendFile.sendfile(socket, in, file.position(), Math.min(file.remaining(), MAX_PER_CALL), state);
        if (n == 0) {
            throw new IOException("the file ended at offset " + file.position() + " with " + file.remaining()
                    + " bytes of the region unsent: it shrank after it was queued");
        }
        if (n < 0 && n != -Errno.EAGAIN && n != -Errno.EINTR) {
            throw new ErrnoException("sendfile(fd " + socket + ", file fd " + in + ")", (int) -n);
        }
        return n;
    }

    /** The descriptor of {@code file}'s channel, looked up once per region. */
    public static int descriptor(FileRegion file, CallState state) throws IOException {
        int fd = file.descriptor();
        if (fd < 0) {
            fd = FileChannelDescriptor.find(file.channel(), state);
            file.descriptor(fd);
        }
        return fd;
    }
}
