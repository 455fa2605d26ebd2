package io.jgnet;

import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One event loop: a platform thread that owns a poller, its connections and their buffers.
 * Reached through {@link Conn#eventLoop()} or {@link Engine#eventLoops()}.
 *
 * <h2>Threading and ownership</h2>
 * All methods are safe from any thread and never block, so they may be called from a callback
 * too. Tasks run on the loop's thread, one at a time, between I/O events, and must not block
 * either. The loop owns the connections it dials or enrolls, as every connection it serves.
 * Once the engine has stopped, the methods that hand the loop work throw
 * {@link java.util.concurrent.RejectedExecutionException} (or, for {@link #dial} and
 * {@link #enroll}, complete the future with an error).
 */
public interface EventLoop {

    /**
     * The loop's index within its engine.
     *
     * @return the index, from 0
     */
    int index();

    /**
     * Whether the calling thread is this loop's thread.
     *
     * @return {@code true} on this loop's thread
     */
    boolean inEventLoop();

    /**
     * Runs {@code task} on this loop's thread, after the events it is handling now.
     *
     * @param task what to run; an exception it throws is logged
     */
    void execute(Runnable task);

    /**
     * Runs {@code task} on this loop's thread after {@code delay}, unless cancelled first through
     * the handle returned. The delay is measured from this call; the task runs at the first tick
     * of the loop's timer (1 ms) at or after it, never before. Arming and cancelling cost O(1)
     * however many timers the loop holds.
     *
     * @param task  what to run; an exception it throws is logged; must not be null
     * @param delay how long to wait first; zero or negative runs it on the loop's next tick; must
     *              not be null
     * @return the handle that cancels the task
     * @throws IllegalArgumentException if {@code task} or {@code delay} is null
     */
    Scheduled schedule(Runnable task, Duration delay);

    /**
     * The number of connections this loop owns now.
     *
     * @return the count (a snapshot)
     */
    int connectionCount();

    /**
     * Dials {@code address} (tcp, udp or unix; see {@link Engine}) and makes the new connection
     * one of this loop's. {@code context} is attached before {@link EventHandler#onOpen} runs.
     * The future completes on this loop after {@code onOpen}, or with the cause if the dial
     * fails; {@code onClose} is not called for a dial that failed.
     *
     * @param address where to connect, for example {@code tcp://127.0.0.1:9000}
     * @param context the object {@link Conn#context()} returns, or {@code null}
     * @return the connection, once open
     */
    CompletableFuture<Conn> dial(String address, Object context);

    /**
     * Like {@link #dial(String, Object)}, with a connect timeout of its own instead of the
     * engine's ({@link Timeouts#connect()}): a dial not connected after {@code connectTimeout}
     * fails with a {@link java.net.ConnectException} whose cause is a
     * {@link ConnectionTimeoutException} of kind {@code CONNECT}.
     *
     * @param address        where to connect, for example {@code tcp://127.0.0.1:9000}
     * @param context        the object {@link Conn#context()} returns, or {@code null}
     * @param connectTimeout how long the connect may take; {@link java.time.Duration#ZERO} leaves
     *                       it to the kernel; must not be null or negative
     * @return the connection, once open
     * @throws IllegalArgumentException if {@code connectTimeout} is null or negative
     */
    CompletableFuture<Conn> dial(String address, Object context, Duration connectTimeout);

    /**
     * Adopts an already connected {@link java.nio.channels.SocketChannel} or
     * {@link java.nio.channels.DatagramChannel} as one of this loop's connections. jgnet owns the
     * channel from then on. The future completes after {@code onOpen}.
     *
     * @param channel the connected channel
     * @param context the object {@link Conn#context()} returns, or {@code null}
     * @return the connection, once open
     */
    CompletableFuture<Conn> enroll(NetworkChannel channel, Object context);
}
