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
     * Whether no byte waits to be sent.
     *
     * @return true when nothing waits
     */
    boolean isEmpty();
}
