package io.jgnet;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One connection: a TCP or Unix stream, a dialed UDP socket, or (for a UDP listener) one
 * received datagram and its sender. Such a datagram's {@code Conn} lives for its
 * {@link EventHandler#onTraffic} call: writes answer the sender at once, {@link #close()} and
 * {@link Action#CLOSE} end nothing, and what needs a socket of its own
 * ({@link #suspendReading}, {@link #resumeReading}, {@link #shutdownOutput}, {@link #wake},
 * {@link #setNoDelay} and the other setters below) throws {@link UnsupportedOperationException}
 * saying so; {@link #sendTo}, {@link #joinGroup} and {@link #setOption} act on the listener's
 * socket.
 *
 * <h2>Threading</h2>
 * A connection belongs to one event loop for its whole life and every callback about it runs on
 * that loop's thread. The <b>read side</b> ({@link #peek}, {@link #next}, {@link #discard},
 * {@link #inboundBuffered}, {@link #read}), the <b>write side</b> ({@link #write},
 * {@link #writev}, {@link #flush}, {@link #outboundBuffered}) and the <b>socket options</b> may be
 * called only on that thread (inside a callback, or in a task given to {@link #execute});
 * elsewhere they throw {@link IllegalStateException}. Methods marked <i>any thread</i> are safe
 * from every thread, virtual threads included: they hop onto the loop and return at once.
 *
 * <h2>Ownership of buffers</h2>
 * Buffers returned by the read side are views of the connection's inbound bytes, not copies,
 * and are reused: the bytes of a view lie between its {@code position()} and {@code limit()},
 * and its position need not be 0, so read it with relative gets or absolute indexes from
 * {@code position()}. A view stays valid until the current callback returns (after that it is
 * emptied, or shows other bytes) and must not be modified, kept, or handed to another thread;
 * copy what must outlive the callback. Buffers passed to {@link #write} and
 * {@link #writev} are copied before the call returns.
 *
 * <p>What is passed to {@link #asyncWrite} and {@link #asyncWritev} is read later, on the loop
 * thread, and belongs to jgnet until the callback runs: the loop copies the bytes into the
 * connection's outbound buffer (a datagram is sent at once), then calls the callback, so from
 * then on the caller may reuse or change them. Until then:
 * <ul>
 *   <li>the bytes must not change, and a {@link ByteBuffer}'s position and limit must not be
 *       touched (the loop consumes the buffer, advancing its position);</li>
 *   <li>one {@code byte[]} may be handed to several {@code asyncWrite} calls, on one connection
 *       or many (each call reads it through its own view): the broadcast of one message needs a
 *       single array, unchanged until every callback has run, or for ever if no callback is
 *       given;</li>
 *   <li>one {@code ByteBuffer} must not: the first write consumes it and the others would send
 *       nothing. Give each call its own {@link ByteBuffer#duplicate()} of it instead.</li>
 * </ul>
 * If the engine has stopped, the call throws and jgnet never read the data.
 *
 * <p>jgnet creates every {@code Conn} and never reuses one: a handler may keep a reference (in a
 * set of members to broadcast to, or in another connection's context) and use its <i>any
 * thread</i> methods until {@link EventHandler#onClose} has run for it; after that they are
 * harmless ({@link #close} does nothing, a write's callback receives an error) until the engine
 * stops, when those that hop onto the loop throw as each says.
 *
 * <h2>Write batching</h2>
 * Writes made on the loop thread are queued and sent together, with one system call per
 * connection: what a connection's own {@code onTraffic} wrote to it goes out when that callback
 * returns, everything else when the loop finishes its current batch of events.
 * {@link #flush} sends at once.
 * Output that the kernel cannot take yet waits for the socket to become writable; the loop never
 * blocks. Output pending beyond {@link Options#writeBufferCap()} closes the connection with an
 * {@link java.io.IOException} naming the cap.
 */
public interface Conn extends Codec.ByteSink {

    // ---------------------------------------------------------------- read side (loop thread)

    /**
     * Returns up to {@code n} buffered inbound bytes without consuming them ({@code n < 0}: all
     * of them). The view holds fewer than {@code n} bytes when fewer are buffered. Loop thread.
     *
     * @param n the most bytes to return, or a negative number for all
     * @return a view of the bytes, valid until the callback returns
     */
    ByteBuffer peek(int n);

    /**
     * Returns up to {@code n} buffered inbound bytes and consumes them ({@code n < 0}: all of
     * them). The view stays valid until the callback returns. Loop thread.
     *
     * @param n the most bytes to consume, or a negative number for all
     * @return a view of the consumed bytes, valid until the callback returns
     */
    ByteBuffer next(int n);

    /**
     * Consumes up to {@code n} inbound bytes ({@code n < 0}: all) without looking at them. Loop
     * thread.
     *
     * @param n the most bytes to consume, or a negative number for all
     * @return how many bytes were consumed
     */
    int discard(int n);

    /**
     * The number of inbound bytes buffered and not yet consumed. Loop thread.
     *
     * @return the buffered inbound byte count
     */
    int inboundBuffered();

    /**
     * Copies as many buffered inbound bytes as fit into {@code dst}, consumes them, and returns
     * how many were copied. Loop thread.
     *
     * @param dst where the bytes go, from its position; its position advances
     * @return how many bytes were copied and consumed
     */
    int read(ByteBuffer dst);

    // --------------------------------------------------------------- write side (loop thread)

    /**
     * Queues {@code data} for sending. Loop thread; throws {@link IllegalStateException} once
     * closed.
     *
     * @param data the bytes to send, copied before this returns
     */
    void write(byte[] data);

    /**
     * Queues {@code data[offset, offset + length)} for sending. Loop thread.
     *
     * @param data   the array holding the bytes, copied before this returns
     * @param offset the index of the first byte to send
     * @param length how many bytes to send
     */
    void write(byte[] data, int offset, int length);

    /**
     * Queues the remaining bytes of {@code data}, consuming them. Loop thread.
     *
     * @param data the bytes to send, from position to limit, copied before this returns
     */
    void write(ByteBuffer data);

    /**
     * Queues the remaining bytes of each buffer in order, consuming them. For a UDP connection
     * the buffers form one datagram. Loop thread.
     *
     * @param data the buffers to send, each from position to limit, copied before this returns
     */
    void writev(ByteBuffer... data);

    /**
     * Queues {@code length} bytes of {@code file} from {@code position}: sent after everything
     * written before and before everything written after, straight from the file to the socket
     * without passing through Java memory (sendfile(2) on epoll and io_uring,
     * {@link java.nio.channels.FileChannel#transferTo} on nio); on a TLS connection, which
     * must encrypt it, the file is read one record (16 KiB) at a time as the socket takes the
     * records before, so it is never held whole in memory. Until sent, the region counts
     * towards the write watermarks ({@link #isWritable}, {@link #outboundBuffered},
     * {@link EventHandler#onWritable}), but not towards {@link Options#writeBufferCap()}, which
     * bounds memory. Stream connections only: a UDP connection throws
     * {@link UnsupportedOperationException}. Loop thread.
     *
     * <p><b>Ownership:</b> the channel belongs to jgnet from this call on, whatever happens: it
     * is closed once the region is sent, when the connection closes before that, or at once if
     * the call throws. Do not use or close it afterwards; open one channel per region sent. A
     * file that shrinks below the region before it is sent closes the connection with an
     * {@link java.io.IOException} saying so.
     *
     * @param file     the file, open for reading; jgnet closes it
     * @param position the offset of the first byte to send
     * @param length   how many bytes to send (0 sends nothing and closes the channel)
     * @throws IllegalArgumentException if the region is not within the file
     */
    void sendFile(java.nio.channels.FileChannel file, long position, long length);

    /**
     * Runs {@code task} off the loop (blocking work: a database call, a disk read, a sleep) and
     * writes the bytes it returns to this connection in request order: after the replies of
     * every task offloaded before it, and before anything written after this call. Output
     * written while offloaded work is outstanding ({@link #write}, {@link #writev},
     * {@link #sendFile}, {@link #asyncWrite}) is held and sent in its turn, and so is a
     * {@link #close} or {@link Action#CLOSE} (reading stops meanwhile), so a pipelined protocol
     * can offload some requests and answer others inline and still reply in order.
     * {@link #shutdownOutput} does not wait: output whose turn comes after it closes the
     * connection with the {@link IllegalStateException} a write would have thrown.
     *
     * <p>The task runs on {@link Offload#executor()} (default: a new virtual thread each); an
     * executor that rejects it makes this call throw, and nothing is queued. With
     * {@link Offload#maxPending()} tasks outstanding the connection stops reading until fewer
     * remain; then, if the handler left bytes buffered, it hears {@link EventHandler#onTraffic}
     * again. A task that throws closes the connection with its exception as the cause. If the
     * connection closes first, the reply is dropped (the task is not interrupted).
     *
     * <p><b>Threading and ownership:</b> called on the loop thread. The task runs on another
     * thread: it must not call this connection's loop-thread methods (its <i>any thread</i>
     * ones are fine), and must copy what it needs from the read side before this call, as views
     * are not valid on other threads. The array it returns belongs to jgnet; null or empty
     * writes nothing but keeps the order. Stream connections only: a UDP connection throws
     * {@link UnsupportedOperationException}.
     *
     * @param task computes the reply off the loop
     * @throws java.util.concurrent.RejectedExecutionException if the executor refuses the task
     */
    void offload(java.util.concurrent.Callable<byte[]> task);

    /** Sends queued output now instead of at the end of the loop's batch. Loop thread. */
    void flush();

    /**
     * The number of bytes written and not yet taken by the kernel. Loop thread.
     *
     * @return the pending outbound byte count
     */
    int outboundBuffered();

    /**
     * {@code false} while more than {@link Options#writeBufferHighWatermark()} bytes wait to be
     * sent; {@code true} again once they drop below the low watermark. Any thread (a snapshot).
     *
     * @return whether writing more is welcome
     */
    boolean isWritable();

    /**
     * Stops reading from the socket until {@link #resumeReading()}: the kernel's buffer fills and
     * TCP slows the peer down. For backpressure, e.g. while the connection bytes are relayed to
     * is not writable. Bytes already buffered stay buffered. On a dialed or enrolled UDP
     * connection the datagrams that arrive meanwhile wait in the kernel's receive buffer
     * ({@code SO_RCVBUF}), and after {@link #resumeReading()} each reaches {@link
     * EventHandler#onTraffic} whole, in order; once that buffer is full the kernel drops new
     * ones, as UDP does. Loop thread.
     */
    void suspendReading();

    /** Reads again after {@link #suspendReading()}. Loop thread. */
    void resumeReading();

    /**
     * Shuts down the sending side once the output already written has been sent (a TCP
     * half-close: the peer reads end of stream, and may go on sending). Further writes throw.
     * Loop thread.
     */
    void shutdownOutput();

    // ------------------------------------------------------------------------ any thread

    /**
     * Writes {@code data} from any thread: the loop copies its remaining bytes into the outbound
     * buffer, as {@link #write(ByteBuffer)} would, then calls {@code callback} (which may be
     * {@code null}); the bytes go out with the loop's next flush. Writes from one thread are sent
     * in the order made. jgnet owns {@code data} until the callback runs (see "Ownership of
     * buffers" above: do not pass one buffer to two pending calls). On a closed connection the
     * callback gets an {@link IllegalStateException}.
     *
     * @param data     the bytes to send, from position to limit
     * @param callback called on the loop once the bytes are queued, or {@code null}
     * @throws java.util.concurrent.RejectedExecutionException if the engine has stopped (the
     *                                                         callback is then not called)
     */
    void asyncWrite(ByteBuffer data, AsyncCallback callback);

    /**
     * Like {@link #asyncWrite(ByteBuffer, AsyncCallback)} for a whole byte array, which must not
     * change until the callback runs. The same array may be given to several calls at once (a
     * broadcast); each reads it through its own view.
     *
     * @param data     the bytes to send
     * @param callback called on the loop once the bytes are queued, or {@code null}
     */
    void asyncWrite(byte[] data, AsyncCallback callback);

    /**
     * Like {@link #asyncWrite(ByteBuffer, AsyncCallback)} for several buffers sent in order (for
     * UDP, as one datagram). jgnet owns the array and the buffers until the callback runs. Any
     * thread; throws {@link java.util.concurrent.RejectedExecutionException} once the engine has
     * stopped.
     *
     * @param data     the buffers to send, each from position to limit
     * @param callback called on the loop once the bytes are queued, or {@code null}
     */
    void asyncWritev(ByteBuffer[] data, AsyncCallback callback);

    /**
     * Makes the loop call {@link EventHandler#onTraffic} for this connection (with whatever
     * inbound bytes are buffered, possibly none), then {@code callback}. Any thread; throws
     * {@link java.util.concurrent.RejectedExecutionException} once the engine has stopped.
     *
     * @param callback called on the loop after {@code onTraffic}, or {@code null}
     */
    void wake(AsyncCallback callback);

    /**
     * Closes the connection once the output already written has been sent (bounded by
     * {@link Options#closeTimeout()}). {@link EventHandler#onClose} follows on the loop. Any
     * thread; harmless on a closed connection.
     */
    void close();

    /**
     * Like {@link #close()}, then calls {@code callback} after {@link EventHandler#onClose}. Any
     * thread. Once the engine has stopped the connection is already closed, and {@code callback}
     * runs at once on the calling thread.
     *
     * @param callback called after {@code onClose}, or {@code null}
     */
    void closeWithCallback(AsyncCallback callback);

    /**
     * Runs {@code task} on this connection's loop thread. Any thread; throws
     * {@link java.util.concurrent.RejectedExecutionException} once the engine has stopped.
     *
     * @param task what to run on the loop; an exception it throws is logged
     */
    void execute(Runnable task);

    /**
     * Whether the connection is still open (not closing or closed). Any thread (a snapshot).
     *
     * @return {@code true} while open
     */
    boolean isOpen();

    // -------------------------------------------------------------------------- identity

    /**
     * The object attached with {@link #context(Object)}. Any thread.
     *
     * @return the attached object, or {@code null}
     */
    Object context();

    /**
     * Attaches a per-connection object for the handler's own use. Any thread.
     *
     * @param context the object, or {@code null} to detach
     */
    void context(Object context);

    /**
     * The local address of the socket. Any thread.
     *
     * @return the local address
     */
    SocketAddress localAddress();

    /**
     * The peer's address; for a UDP listener, the sender of the current datagram. Any thread.
     *
     * @return the peer's address
     */
    SocketAddress remoteAddress();

    /**
     * The event loop that owns this connection. Any thread.
     *
     * @return the owning loop
     */
    EventLoop eventLoop();

    // --------------------------------------------------------------- socket options (loop thread)

    /**
     * Sets TCP_NODELAY (Nagle off when {@code true}). TCP only. Loop thread.
     *
     * @param noDelay whether to send small writes at once
     */
    void setNoDelay(boolean noDelay);

    /**
     * Turns TCP keep-alive on with the given idle time, probe interval and probe count, or off
     * when {@code idle} is {@code null}. Loop thread.
     *
     * @param idle     how long the connection is idle before the first probe, or {@code null}
     * @param interval the time between probes
     * @param count    how many unanswered probes close the connection
     */
    void setKeepAlive(Duration idle, Duration interval, int count);

    /**
     * Sets SO_SNDBUF. Loop thread.
     *
     * @param bytes the kernel's send buffer size
     */
    void setSendBufferSize(int bytes);

    /**
     * Sets SO_RCVBUF. Loop thread.
     *
     * @param bytes the kernel's receive buffer size
     */
    void setReceiveBufferSize(int bytes);

    /**
     * Sets SO_LINGER: {@code null} turns it off; {@link Duration#ZERO} makes close reset the
     * connection. Loop thread.
     *
     * @param linger how long close waits for unsent data, or {@code null}
     */
    void setLinger(Duration linger);

    // ---------------------------------------------------------------- timeouts (loop thread)

    /**
     * {@return this connection's timeouts: the engine's ({@link Options#timeouts()}) unless
     * changed with {@link #timeouts(java.util.function.Consumer)}} Loop thread.
     *
     * @throws UnsupportedOperationException for a UDP listener's datagram, which has no socket
     *     of its own
     */
    default Timeouts timeouts() {
        throw new UnsupportedOperationException("timeouts need a connection with a socket of its own, not "
                + getClass().getSimpleName());
    }

    /**
     * Changes this connection's timeouts, keeping those not touched:
     * {@code conn.timeouts(t -> t.read(Duration.ofSeconds(5)))}. Each changed timeout counts from
     * its last activity as before (an idle timeout set now to 10 s on a connection silent for 8 s
     * expires in 2 s; one silent for 12 s expires at once). Loop thread; {@code changes} runs at
     * once.
     *
     * @param changes changes the {@link Timeouts.Builder} it is given; must not be null
     * @throws IllegalArgumentException      if {@code changes} is null or sets an invalid value
     * @throws IllegalStateException         off the loop thread, or once the connection is closed
     * @throws UnsupportedOperationException for a UDP listener's datagram, which has no socket
     *     of its own
     */
    default void timeouts(java.util.function.Consumer<? super Timeouts.Builder> changes) {
        throw new UnsupportedOperationException("timeouts need a connection with a socket of its own, not "
                + getClass().getSimpleName());
    }

    /**
     * Sets any socket option: the JDK's ({@link java.net.StandardSocketOptions},
     * {@code jdk.net.ExtendedSocketOptions}) or jgnet's {@link LinuxSocketOptions}. For a received
     * datagram, or the Conn of a UDP listener ({@link Engine#datagramListener}), the option is set
     * on the listener's socket. Loop thread.
     *
     * @param <T> the option's value type
     * @param option the option
     * @param value its value
     * @throws UnsupportedOperationException naming the option if this transport cannot set it
     * @throws IllegalStateException if the connection is closed or the kernel refuses the value
     */
    <T> void setOption(SocketOption<T> option, T value);

    /**
     * Reads any socket option, as {@link #setOption} sets them. Loop thread.
     *
     * @param <T> the option's value type
     * @param option the option
     * @return its value now
     * @throws UnsupportedOperationException naming the option if this transport cannot read it
     * @throws IllegalStateException if the connection is closed or the kernel refuses
     */
    <T> T getOption(SocketOption<T> option);

    // ------------------------------------------------------------------------- datagrams

    /**
     * Sends one datagram to {@code to} from this connection's datagram socket: the UDP
     * listener's for a received datagram or a listener's Conn ({@link Engine#datagramListener}),
     * the connection's own for a dialed UDP connection. <i>Any thread</i>: on the loop thread the
     * datagram goes at once; from another thread its bytes are copied before the call returns and
     * the loop sends them. Either way the buffer's remaining bytes are consumed. A datagram the
     * kernel has no room for is dropped, as UDP may.
     *
     * @param to the destination, e.g. a multicast group's {@code InetSocketAddress}
     * @param datagram the payload, at most 65,507 bytes over IPv4
     * @throws UnsupportedOperationException on a stream connection (and, on the nio transport, from
     *     a dialed UDP connection to anyone but its peer)
     * @throws java.io.UncheckedIOException on the loop thread, if the kernel refuses the send (for
     *     example a broadcast without {@link java.net.StandardSocketOptions#SO_BROADCAST}); from
     *     another thread such a failure is logged
     * @throws IllegalStateException if the engine has stopped
     */
    void sendTo(SocketAddress to, ByteBuffer datagram);

    /**
     * Like {@link #sendTo(SocketAddress, ByteBuffer)}, for a whole array (copied when not on the
     * loop thread). <i>Any thread</i>.
     *
     * @param to the destination
     * @param datagram the payload
     */
    default void sendTo(SocketAddress to, byte[] datagram) {
        sendTo(to, ByteBuffer.wrap(datagram));
    }

    /**
     * Joins the multicast {@code group} (IPv4 or IPv6) on {@code networkInterface}: the socket then
     * receives what is sent to the group on that interface. Choose the interface explicitly (for
     * loopback, {@code NetworkInterface.getByName("lo")}), and set
     * {@link java.net.StandardSocketOptions#IP_MULTICAST_IF} and
     * {@link java.net.StandardSocketOptions#IP_MULTICAST_LOOP} with {@link #setOption} to choose
     * where and whether this host's own sends go. Datagram sockets only. Loop thread.
     *
     * @param group a multicast address
     * @param networkInterface the interface to join on; must not be null
     * @throws UnsupportedOperationException on a stream connection
     * @throws IllegalStateException if the kernel refuses (the group was joined already, ...)
     */
    void joinGroup(InetAddress group, NetworkInterface networkInterface);

    /**
     * Leaves a group joined with {@link #joinGroup}. Loop thread.
     *
     * @param group the multicast address joined
     * @param networkInterface the interface it was joined on
     * @throws UnsupportedOperationException on a stream connection
     * @throws IllegalStateException if the group was not joined on that interface
     */
    void leaveGroup(InetAddress group, NetworkInterface networkInterface);

    /**
     * {@return what this TLS connection negotiated, or null on a plaintext connection} Loop
     * thread; see {@link TlsSession} for when its values settle.
     */
    default TlsSession tls() {
        return null;
    }
}
