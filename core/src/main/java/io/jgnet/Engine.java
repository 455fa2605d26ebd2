package io.jgnet;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.List;

/**
 * A running jgnet engine: its listeners, its event loops and their connections. Obtained from
 * {@link Jgnet#start}, {@link Jgnet#client} or {@link EventHandler#onBoot}.
 *
 * <p>Addresses are strings as in gnet, the scheme in any case: {@code tcp://host:port},
 * {@code tcp4://}, {@code tcp6://}, {@code udp://host:port}, {@code udp4://}, {@code udp6://}
 * and {@code unix:///path/to.sock}. A malformed or null address is an
 * {@link IllegalArgumentException} naming it and the fault.
 *
 * <h2>Threading and ownership</h2>
 * All methods are safe from any thread unless they say otherwise; the blocking ones
 * ({@link #dial}, {@link #enroll}, {@link #stop}) refuse to run on a loop thread, where
 * {@link EventLoop} offers the same as futures. The engine owns its listeners, loops and every
 * connection on them, including channels handed to {@link #enroll}; {@link #stop} closes them
 * all. Nothing is left running once {@link #isTerminated()} is true.
 */
public interface Engine {

    /**
     * The transport the loops run on.
     *
     * @return {@code "nio"}, {@code "epoll"} or {@code "io_uring"}
     */
    String transport();

    /**
     * The addresses actually bound, in the order given.
     *
     * @return the bound addresses, a port of 0 resolved to the real one; empty for a client engine
     */
    List<SocketAddress> listenAddresses();

    /**
     * The UDP listener bound for {@code listenAddresses().get(index)}, as a {@link Conn} of its
     * socket: {@link Conn#sendTo} from it (any thread), {@link Conn#joinGroup} and socket options
     * (on its loop's thread: {@code conn.execute(...)}). It has no peer, so the read side is empty
     * and {@code write} throws {@link UnsupportedOperationException}; a datagram's own Conn in
     * {@code onTraffic} answers its sender. With reusePort each loop has a socket of its own:
     * this is loop 0's. Any thread.
     *
     * @param index the listener's place in {@link #listenAddresses()}
     * @return the listener's Conn, the same one on every call
     * @throws IllegalArgumentException if there is no such listener or it is not a datagram one
     */
    Conn datagramListener(int index);

    /**
     * The engine's event loops.
     *
     * @return the loops, in index order
     */
    List<EventLoop> eventLoops();

    /**
     * The number of open connections over all loops.
     *
     * @return the count (a snapshot)
     */
    int connectionCount();

    /**
     * A snapshot of what each event loop has done and holds: connections, bytes and messages in
     * and out, reads, writes and system calls, pending output, queued tasks, busy fraction and
     * timers. Cheap enough to call every second: it reads counters the loops keep anyway,
     * without stopping or waiting for them, so it answers even while a loop is blocked.
     *
     * @return one {@link LoopStats} per loop of {@link #eventLoops()}, in index order
     */
    List<LoopStats> stats();

    /**
     * Dials {@code address} onto one of the loops (picked by the load balancer) and waits until
     * the connection is open and {@link EventHandler#onOpen} has run.
     *
     * @param address where to connect, for example {@code tcp://127.0.0.1:9000}
     * @return the open connection
     * @throws IOException           if the dial fails; the exception carries the cause
     * @throws IllegalStateException if called on a loop thread (use {@link EventLoop#dial}) or
     *                               after the engine stopped
     */
    Conn dial(String address) throws IOException;

    /**
     * Like {@link #dial(String)}, attaching {@code context} before {@code onOpen}.
     *
     * @param address where to connect
     * @param context the object {@link Conn#context()} returns, or {@code null}
     * @return the open connection
     * @throws IOException if the dial fails
     */
    Conn dial(String address, Object context) throws IOException;

    /**
     * Adopts an already connected socket or datagram channel onto one of the loops and waits for
     * {@code onOpen}; jgnet owns the channel from then on. Not on a loop thread.
     *
     * @param channel a connected {@link java.nio.channels.SocketChannel} or
     *                {@link java.nio.channels.DatagramChannel}
     * @param context the object {@link Conn#context()} returns, or {@code null}
     * @return the connection
     * @throws IOException if the channel cannot be registered
     */
    Conn enroll(NetworkChannel channel, Object context) throws IOException;

    /**
     * Stops gracefully and waits: stops accepting, lets connections send the output already
     * written (up to {@code timeout}), closes them (calling {@code onClose} for each), ends the
     * loops, then calls {@link EventHandler#onShutdown}. A second call waits for the same stop
     * and is otherwise harmless. Not on a loop thread (from a callback, return
     * {@link Action#SHUTDOWN} instead).
     *
     * <p>What a peer sees, the same on every transport: every byte written, then FIN (end of
     * stream). Input that arrives meanwhile is read and dropped, and a connection is closed only
     * once the peer ended its output, or its kernel acknowledged every byte and the FIN (where
     * the kernel can tell: TCP and unix sockets on epoll and io_uring, TCP on nio on Linux;
     * elsewhere only unread input is waited for), or at the deadline; closing earlier would let the peer's next bytes reset the connection and
     * make the kernel drop output it still held. A peer that keeps writing after that sees its
     * write fail with a reset, having received everything first. At the deadline, connections
     * with output unsent or not yet acknowledged are reset and counted as cut: the count is
     * logged at WARNING, and this method then returns {@code false}.
     *
     * @param timeout how long connections may take to send what was written
     * @return whether every connection's output reached its peer in time ({@code false}: some
     *         were cut at the deadline)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean stop(Duration timeout) throws InterruptedException;

    /**
     * Blocks until the engine has stopped and {@code onShutdown} has run.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void awaitTermination() throws InterruptedException;

    /**
     * Whether the engine has stopped completely.
     *
     * @return {@code true} once stopped and {@code onShutdown} has run
     */
    boolean isTerminated();
}
