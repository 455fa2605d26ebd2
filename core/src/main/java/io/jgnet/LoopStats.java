package io.jgnet;

/**
 * What one event loop has done since it started, and what it holds now: a snapshot taken by
 * {@link Engine#stats()}.
 *
 * <p>The counters grow from the loop's start and never go back; to get rates, take two
 * snapshots and subtract. The loop writes them as it works, with plain stores and no lock, so
 * that counting costs it nothing it would notice (no allocation, no fence); a snapshot reads each
 * one separately with an opaque load, so two counters of one snapshot may be a few events apart
 * (bytes counted for a send whose write is not counted yet, say) and a value may lag the loop
 * by a moment, but each is whole. To see every count up to a point, take the snapshot on the
 * loop itself ({@link EventLoop#execute}).
 *
 * <p>What counts as what:
 * <ul>
 * <li>a <em>read</em> is one delivery of bytes from the kernel: a {@code read(2)} that returned
 *     data on nio and epoll, a receive completion on io_uring, or one datagram;</li>
 * <li>a <em>write</em> is one send the kernel took bytes from (a partial send counts), or one
 *     datagram sent;</li>
 * <li>a <em>message in</em> is one {@link EventHandler#onTraffic} call, however many bytes it
 *     was shown; a <em>message out</em> is one buffer handed to {@code write}, {@code writev} or
 *     {@code asyncWrite}, however many sends it took;</li>
 * <li>on a TLS connection the bytes are the handler's plaintext: {@code bytesIn} what was
 *     decrypted for it, {@code bytesOut} what was encrypted for the kernel (records and handshake
 *     messages are not counted), and a <em>write</em> is one record encrypted;</li>
 * <li>bytes of a file sent with {@code Conn.sendFile} count in {@code bytesOut} as they go, and
 *     datagrams sent with {@code sendTo} count as writes and in {@code bytesOut};</li>
 * <li>{@code systemCalls} counts the loop's calls into the kernel on the I/O path
 *     ({@code epoll_wait}, {@code read}, {@code write}, {@code accept4}, {@code io_uring_enter}...;
 *     not socket setup, options or close); the nio transport cannot see its own calls and
 *     reports {@code -1}.</li>
 * </ul>
 *
 * <p>Immutable and safe to share between threads.
 *
 * @param loop             the loop's index ({@link EventLoop#index()})
 * @param connections      connections open on the loop now
 * @param bytesIn          bytes read from sockets
 * @param bytesOut         bytes the kernel took for sending
 * @param messagesIn       {@link EventHandler#onTraffic} calls
 * @param messagesOut      buffers the handler wrote
 * @param reads            deliveries of bytes from the kernel
 * @param writes           sends the kernel took bytes from
 * @param systemCalls      calls into the kernel, or {@code -1} where the transport cannot count them
 * @param pendingOutput    bytes written by handlers and not yet taken by the kernel, over all the
 *                         loop's connections
 * @param pooledBytes      idle buffer memory the loop's pool keeps for reuse, as of the end of its
 *                         last turn
 * @param tasksQueued      tasks waiting in the loop's queue
 * @param busyFraction     the share of the last whole second the loop spent working rather than
 *                         waiting for I/O, from 0 to 1 (0 until a second has passed); published
 *                         at the end of a turn, so a loop asleep in its poller for longer shows
 *                         the share of its last second with work until its next turn
 * @param timers           timers armed in the loop's timer wheel (connection and TLS handshake timeouts,
 *                         close timeouts, scheduled tasks, the ticker)
 * @param iterations       turns of the loop's duty cycle (wait, dispatch, tasks, timers, flush)
 */
public record LoopStats(int loop, int connections, long bytesIn, long bytesOut, long messagesIn, long messagesOut,
                        long reads, long writes, long systemCalls, long pendingOutput, long pooledBytes,
                        int tasksQueued,
                        double busyFraction, int timers, long iterations) {
}
