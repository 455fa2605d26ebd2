package io.jgnet.engine;

import io.jgnet.transport.FileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

/**
 * The file regions queued among a connection's output bytes. Each region is placed after a
 * point of the byte stream (how many output bytes, counted from when this queue was made, go
 * before it), so one buffer keeps holding every byte and a file goes out exactly between the
 * writes made before and after it: {@link Outbound} sends bytes up to the head region's point,
 * then the region, then goes on.
 *
 * <p>{@link Outbound} makes the queue for its first file and drops it once the last is sent (an
 * idle connection holds none of this). The engine owns every queued channel and closes it when
 * its region is sent or dropped. Loop thread only.
 */
final class OutboundFiles {
    private record Queued(FileRegion region, long after) {
    }

    private final ArrayDeque<Queued> queue = new ArrayDeque<>(2);
    /** The bytes left in every queued region. */
    private long bytes;
    /** Output bytes (not file bytes) sent since this queue was made. */
    private long bytesSent;

    /** Queues {@code length} bytes of {@code channel} from {@code position}, after the {@code queuedBefore} output bytes waiting now. */
    void add(FileChannel channel, long position, long length, long queuedBefore) {
        queue.add(new Queued(new FileRegion(channel, position, length), bytesSent + queuedBefore));
        bytes += length;
    }

    long bytes() {
        return bytes;
    }

    /** {@code n} output bytes went out. */
    void bytesSent(int n) {
        bytesSent += n;
    }

    /** How many output bytes go before the head region. */
    long bytesBeforeHead() {
        return queue.peekFirst().after() - bytesSent;
    }

    /** The head region, if every output byte before it has gone; else null. */
    FileRegion due() {
        Queued head = queue.peekFirst();
        return head.after() == bytesSent ? head.region() : null;
    }

    /**
     * {@code n} bytes of the head region went; a region fully sent leaves, and its file is
     * closed. Returns whether the queue is now empty.
     */
    boolean sent(long n) {
        FileRegion head = queue.peekFirst().region();
        head.advance(n);
        bytes -= n;
        if (head.remaining() == 0) {
            queue.pollFirst();
            close(head.channel());
        }
        return queue.isEmpty();
    }

    /** Drops every region and closes their files (the connection is going away). */
    void discard() {
        for (Queued queued : queue) {
            close(queued.region().channel());
        }
        queue.clear();
        bytes = 0;
    }

    static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // A read-only file has nothing to flush: an error closing it loses nothing.
        }
    }
}
