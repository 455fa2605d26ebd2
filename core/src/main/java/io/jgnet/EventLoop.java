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

    /** The loop's index within its engine, from 0. */
    int index();

    /** Whether the calling thread is this loop's thread. */
    boolean inEventLoop();

    /** Runs {@code task} on this loop's thread, after the events it is handling now. */
    void execute(Runnable task);

    /** Runs {@code task} on this loop's thread after {@code delay}. */
    void schedule(Runnable task, Duration delay);

    /** The number of connections this loop owns now (a snapshot). */
    int connectionCount();

    /**
     * Dials {@code address} (tcp, udp or unix; see {@link Engine}) and makes the new connection
     * one of this loop's. {@code context} is attached before {@link EventHandler#onOpen} runs.
     * The future completes on this loop after {@code onOpen}, or with the cause if the dial
     * fails; {@code onClose} is not called for a dial that failed.
     */
    CompletableFuture<Conn> dial(String address, Object context);

    /**
     * Adopts an already connected {@link java.nio.channels.SocketChannel} or
     * {@link java.nio.channels.DatagramChannel} as one of this loop's connections. jgnet owns the
     * channel from then on. The future completes after {@code onOpen}.
     */
    CompletableFuture<Conn> enroll(NetworkChannel channel, Object context);
}
