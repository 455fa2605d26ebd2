package io.jgnet.transport;

import java.nio.channels.FileChannel;

/**
 * A region of a file queued among a connection's output, as a transport sees it: the channel,
 * the next byte to send and how many remain. The transport sends it with whatever moves file
 * bytes to a socket without passing them through Java memory (sendfile(2), or
 * {@link FileChannel#transferTo}) and reports what went with {@link OutboundRegion#fileSent}.
 *
 * <p>The channel belongs to the engine, which closes it when the region is sent or the
 * connection ends; a transport only reads from it. A transport that needs the channel's
 * descriptor may look it up once and keep it here ({@link #descriptor(int)}). Loop thread only.
 */
public final class FileRegion {
    private final FileChannel channel;
    private long position;
    private long remaining;
    private int descriptor = -1;

    /**
     * A region of {@code length} bytes from {@code position}.
     *
     * @param channel the file, open for reading
     * @param position the first byte to send
     * @param length how many bytes to send
     */
    public FileRegion(FileChannel channel, long position, long length) {
        this.channel = channel;
        this.position = position;
        this.remaining = length;
    }

    /**
     * The file.
     *
     * @return the channel to read from (never to close)
     */
    public FileChannel channel() {
        return channel;
    }

    /**
     * The offset of the next byte to send.
     *
     * @return the file offset
     */
    public long position() {
        return position;
    }

    /**
     * How many bytes are left to send.
     *
     * @return the remaining length
     */
    public long remaining() {
        return remaining;
    }

    /**
     * The descriptor a transport found for the channel, or -1 if none looked yet.
     *
     * @return the descriptor, or -1
     */
    public int descriptor() {
        return descriptor;
    }

    /**
     * Keeps the descriptor a transport found for the channel, so that it is looked up once.
     *
     * @param fd the channel's descriptor
     */
    public void descriptor(int fd) {
        this.descriptor = fd;
    }

    /**
     * Accounts {@code n} more bytes sent. The engine calls this from
     * {@link OutboundRegion#fileSent}; transports report through that instead.
     *
     * @param n bytes sent, at most {@link #remaining()}
     */
    public void advance(long n) {
        position += n;
        remaining -= n;
    }
}
