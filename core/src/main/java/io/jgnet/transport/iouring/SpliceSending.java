package io.jgnet.transport.iouring;

import static io.jgnet.transport.iouring.IoUringPoller.OP_SPLICE_IN;
import static io.jgnet.transport.iouring.IoUringPoller.OP_SPLICE_OUT;

import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.IoUringSys;
import io.jgnet.linux.Pipes;
import io.jgnet.linux.Sqe;
import io.jgnet.transport.FileRegion;
import io.jgnet.transport.fd.FileSending;
import io.jgnet.transport.fd.SocketDescriptors;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * One socket's file sending with IORING_OP_SPLICE: a chunk of the file goes into a pipe from
 * the loop's {@link SplicePipes} and from the pipe to the socket, two operations linked in one
 * submission, both run by the kernel's workers, so that a file not in the page cache blocks a
 * worker and never the loop (sendfile(2) from the loop would). The pages move by reference both
 * ways: nothing is copied.
 *
 * <p>The fill reads a descriptor of this sender's own for the file (a duplicate, one per
 * region), because the kernel's worker looks the descriptor up only when it runs the fill: the
 * engine closes the channel when the connection goes, and a number it freed could meanwhile
 * name another file.
 *
 * <p>A chunk is at most one pipe's capacity, so the fill never waits for room. What the socket
 * did not take stays in the pipe and is sent before the next chunk is read: the file's region
 * advances only by what reached the socket. The pipe is held only while it holds bytes, and
 * goes back to the loop when empty, or is closed if the connection ends with bytes in it.
 * Loop thread only.
 */
final class SpliceSending {
    private final IoUringPoller.Handle socket;
    private final int fd;
    private SplicePipes.Pipe pipe;
    /** The region being sent and this sender's duplicate of its file's descriptor (-1: none). */
    private FileRegion region;
    private int fileFd = -1;
    /** File bytes in the pipe, not yet taken by the socket. */
    private int inPipe;
    /** The length asked of the last fill, and what it did (Integer.MIN_VALUE while in flight or none). */
    private int fillAsked;
    private long fillOffset;
    private int fillResult = Integer.MIN_VALUE;

    SpliceSending(IoUringPoller.Handle socket, int fd) {
        this.socket = socket;
        this.fd = fd;
    }

    /**
     * Submits the next step for {@code file}: if the pipe is empty, a chunk into it linked to
     * its send; else the send of what the pipe holds. Completes as {@link #filled} then
     * {@link #drained} (a chunk), or {@link #drained} alone.
     */
    void submit(FileRegion file) throws IOException {
        if (region != file) {
            closeFile();
            fileFd = Pipes.duplicate(FileSending.descriptor(file, socket.poller.state), socket.poller.state);
            region = file;
        }
        if (pipe == null) {
            pipe = socket.poller.pipes().take();
        }
        MemorySegment sqes = socket.poller.sqes();
        int length = inPipe;
        if (length == 0) {
            length = (int) Math.min(file.remaining(), pipe.capacity());
            fillAsked = length;
            fillOffset = file.position();
            fillResult = Integer.MIN_VALUE;
            long at = socket.sqe();
            Sqe.prepSplice(sqes, at, fileFd, file.position(),
                    pipe.writeEnd(), -1, length, Sqe.SPLICE_F_NONBLOCK, socket.userData(OP_SPLICE_IN));
            Sqe.addFlags(sqes, at, Sqe.IOSQE_IO_LINK);
        }
        long at = socket.sqe();
        Sqe.prepSplice(sqes, at, pipe.readEnd(), -1, fd, -1, length, Sqe.SPLICE_F_NONBLOCK,
                socket.userData(OP_SPLICE_OUT));
    }

    /** The fill's completion: {@code res} bytes went into the pipe, or -errno. */
    void filled(int res) {
        fillResult = res;
        if (res > 0) {
            inPipe += res;
        }
    }

    /**
     * The send's completion. A fill that came up short cancels the send linked to it
     * ({@code -ECANCELED}); the pipe's bytes then go with the next submit.
     *
     * @param file the region being sent, or null once the connection is closed
     * @return bytes that reached the socket (0 if none did: the socket is full, or the fill
     *     was short)
     * @throws IOException if the fill or the send failed, or the file ended before the region
     */
    int drained(int res, FileRegion file) throws IOException {
        int fill = fillResult;
        fillResult = Integer.MIN_VALUE;
        if (res > 0) {
            inPipe -= res;
        }
        if (inPipe == 0 && pipe != null) {
            socket.poller.pipes().give(pipe, true);
            pipe = null;
        }
        if (file == null || res > 0 && res == file.remaining()) {
            closeFile(); // the region's last bytes: it needs the file no more
        }
        if (fill != Integer.MIN_VALUE && fill <= 0 && fill != -IoUringSys.ECANCELED) {
            if (fill == 0) {
                throw new IOException("the file ended at offset " + fillOffset
                        + " before the region did: it shrank after it was queued");
            }
            throw new ErrnoException("splice(file to pipe, " + fillAsked + " bytes)", -fill);
        }
        if (res < 0 && res != -Errno.EAGAIN && res != -IoUringSys.ECANCELED) {
            throw new ErrnoException("splice(pipe to fd " + fd + ")", -res);
        }
        return Math.max(res, 0);
    }

    /** Whether bytes wait in the pipe: the socket took less than they, so wait till it is writable. */
    boolean holdsBytes() {
        return inPipe > 0;
    }

    /** The connection is gone and nothing is in flight: the pipe goes back, or is closed if it holds bytes. */
    void release() {
        if (pipe != null) {
            socket.poller.pipes().give(pipe, inPipe == 0);
            pipe = null;
            inPipe = 0;
        }
        closeFile();
    }

    private void closeFile() {
        if (fileFd >= 0) {
            SocketDescriptors.closeQuietly(fileFd, socket.poller.state);
            fileFd = -1;
        }
        region = null;
    }
}
