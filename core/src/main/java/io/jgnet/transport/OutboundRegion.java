package io.jgnet.transport;

import java.nio.ByteBuffer;

/**
 * A connection's output as a transport sees it: the bytes to send next, lent as one region,
 * and the report of how many the kernel took. The engine's outbound buffer implements it.
 *
 * <p>A readiness transport (nio, epoll) takes the region and reports {@link #sent} within
 * {@link Socket#flush}. A completion transport (io_uring) hands the region to the kernel and
 * reports {@link #sent} when the completion arrives: until then the region is lent, and the
 * engine neither moves, grows, reuses nor pools its memory (appends made meanwhile queue behind
 * it). Loop thread only.
 */
public interface OutboundRegion {

    /**
     * The bytes to send next, position to limit, lent to the caller until {@link #sent}. Empty
     * when nothing waits.
     *
     * @return the lent region
     */
    ByteBuffer region();

    /**
     * The kernel took {@code n} bytes of the lent region, which is no longer lent; the rest
     * stays queued, in order, before anything appended since.
     *
     * @param n bytes sent, 0 to return the region unsent
     */
    void sent(int n);

    /**
     * The file region to send next, once every byte queued before it has gone; {@code null}
     * while bytes come first or nothing waits. While it is returned, {@link #region()} is
     * empty: a transport checks for a file first, sends from it, reports with
     * {@link #fileSent}, and asks again.
     *
     * @return the file region at the head of the output, or null
     */
    FileRegion file();

    /**
     * The kernel took {@code n} bytes of {@link #file()}; a region fully sent leaves the queue
     * (and the engine closes its file).
     *
     * @param n bytes sent, 0 if none
     */
    void fileSent(long n);

    /**
     * Whether no byte waits to be sent (neither in memory nor in a file region).
     *
     * @return true when nothing waits
     */
    boolean isEmpty();
}
