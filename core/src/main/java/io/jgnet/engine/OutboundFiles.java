package io.jgnet.engine;

import io.jgnet.transport.FileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

/**
 * The file regions queued among a connection's output bytes. Each region is placed after a
 * point of the byte stream (how many bytes had been appended before it), so one buffer keeps
 * holding every byte and a file goes out exactly between the writes made before and after it:
 * {@link Outbound} sends bytes up to the head region's point, then the region, then goes on.
 *
 * <p>The queue exists only while a file waits (an idle connection holds none of this). The
 * engine owns every queued channel and closes it when its region is sent or dropped. Loop
 * thread only.
 */
final class OutboundFiles {
    private record Queued(FileRegion region, long after) {
    }

    private ArrayDeque<Queued> queue;
    /** The bytes left in every queued region. */
    private long bytes;

    /** Queues {@code length} bytes of {@code channel} from {@code position}, after the {@code after}-th output byte. */
    void add(FileChannel channel, long position, long length, long after) {
        if (queue == null) {
            queue = new ArrayDeque<>(2);
        }
        queue.add(new Queued(new FileRegion(channel, position, length), after));
        bytes += length;
    }

    boolean isEmpty() {
        return queue == null;
    }

    long bytes() {
        return bytes;
    }

    /** How many of the output bytes after the {@code sent}-th go before the next region (MAX_VALUE without one). */
    long bytesBeforeHead(long sent) {
        return queue == null ? Long.MAX_VALUE : queue.peekFirst().after() - sent;
    }

    /** The head region, if it is due once {@code sent} output bytes have gone; else null. */
    FileRegion due(long sent) {
        if (queue == null) {
            return null;
        }
        Queued head = queue.peekFirst();
        return head.after() == sent ? head.region() : null;
    }

    /** {@code n} bytes of the head region went; a region fully sent leaves, and its file is closed. */
    void sent(long n) {
        FileRegion head = queue.peekFirst().region();
        head.advance(n);
        bytes -= n;
        if (head.remaining() == 0) {
            queue.pollFirst();
            close(head.channel());
            if (queue.isEmpty()) {
                queue = null;
            }
        }
    }

    /** Drops every region and closes their files (the connection is going away). */
    void discard() {
        if (queue != null) {
            for (Queued queued : queue) {
                close(queued.region().channel());
            }
            queue = null;
            bytes = 0;
        }
    }

    static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // A read-only file has nothing to flush: an error closing it loses nothing.
        }
    }
}
