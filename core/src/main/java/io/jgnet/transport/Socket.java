package io.jgnet.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * One connected socket as the engine sees it. Owned by the loop thread of its poller.
 */
public interface Socket {

    /**
     * Sends the output waiting in {@code out}: takes {@link OutboundRegion#region()}, gives it to the
     * kernel, and reports with {@link OutboundRegion#sent(int)} how much went. A readiness transport
     * does this within the call, sending as much as the kernel takes now; when bytes remain, it
     * reports {@link IoEvents#onWritable} once more can go, and the engine calls flush again.
     * A completion transport may keep the region lent until its completion arrives (the
     * engine neither moves nor frees it meanwhile) and report it then.
     */
    void flush(OutboundRegion out) throws IOException;

    /**
     * Sends one datagram from a datagram socket, bypassing any buffering: to its peer when
     * {@code to} is null, else to {@code to}. Dropped if the kernel's buffer is full. To {@code to}
     * ({@code sendTo}) it goes now and a refusal throws; to the peer, a completion transport may
     * queue it (copied) with its next batch, in order, and report a refusal by
     * {@link IoEvents#onError} instead.
     */
    void sendDatagram(ByteBuffer datagram, SocketAddress to) throws IOException;

    /**
     * Stops or resumes reading: for suspended reading, end of input and closing. Resuming a
     * socket that hung up while not read makes the transport read what the kernel still holds,
     * then report the end of stream (see {@link IoEvents#onHangUp}).
     */
    void readInterest(boolean on);

    /** Shuts down the sending side after the output is sent (half-close). */
    void shutdownOutput() throws IOException;

    /**
     * Reads and drops what the peer has sent that the kernel holds now, without waiting; for a
     * closing connection whose unread input would make the kernel answer the close with a reset.
     * Returns how many bytes were dropped, or -1 if the input ended (end of stream). A transport
     * that cannot tell returns 0.
     */
    default long discardInput() throws IOException {
        return 0;
    }

    /**
     * The bytes of output the kernel still holds that the peer has not acknowledged, sent or not
     * (after {@link #shutdownOutput} the FIN counts as one), or -1 if the transport cannot tell.
     * For a closing connection: while this is above 0, a reset (which the peer's next bytes
     * would cause once the socket is closed) would throw that output away.
     */
    default long unacknowledgedOutput() {
        return -1;
    }

    /** Closes the socket. Idempotent. */
    void close();

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    /** Whether this is an internet (IP) socket, not a unix one; asks no address that a transport keeps packed. */
    default boolean isInet() {
        return remoteAddress() instanceof InetSocketAddress;
    }

    /** Sets a socket option; {@link UnsupportedOperationException} names one the transport cannot set. */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    /** Reads a socket option; {@link UnsupportedOperationException} names one the transport cannot read. */
    <T> T getOption(SocketOption<T> option) throws IOException;

    /** Joins ({@code join}) or leaves a multicast group on a datagram socket, on {@code nif}. */
    void membership(boolean join, InetAddress group, NetworkInterface nif) throws IOException;
}
