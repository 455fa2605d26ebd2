package io.jgnet.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * {@code Conn.sendTo} and multicast membership for both datagram connections (a listener's {@link DatagramReply} and a
 * dialed {@link SocketConnection}): on the loop thread the datagram goes at once and a refusal
 * throws; from any other thread it is copied, so the caller may reuse its buffer at once, and
 * sent by the loop, where a refusal can only be logged. Stateless.
 */
final class DatagramSends {
    /** What sends one datagram from a socket of the loop. */
    interface Sender {
        void send(ByteBuffer datagram, SocketAddress to) throws IOException;
    }

    /** What joins or leaves a multicast group on a socket of the loop. */
    interface Membership {
        void change(boolean join, InetAddress group, NetworkInterface networkInterface) throws IOException;
    }

    private DatagramSends() {
    }

    static void sendTo(Loop loop, Sender sender, SocketAddress to, ByteBuffer datagram, Object from) {
        if (to == null || datagram == null) {
            throw new IllegalArgumentException("sendTo needs a destination and a datagram, was " + to + ", " + datagram);
        }
        if (loop.inEventLoop()) {
            try {
                send(loop, sender, datagram, to);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot send a datagram from " + from + " to " + to + ": "
                        + e.getMessage(), e);
            }
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
        if (!loop.offer(() -> {
            try {
                send(loop, sender, copy, to);
            } catch (IOException | RuntimeException e) {
                loop.failures().failed("cannot send a datagram to " + to + " from ", from, e);
            }
        })) {
            throw new IllegalStateException("cannot send a datagram to " + to + ": the engine has stopped");
        }
    }

    /** Sends on the loop thread and counts it, as a reply is counted, in the loop's stats. */
    private static void send(Loop loop, Sender sender, ByteBuffer datagram, SocketAddress to) throws IOException {
        int bytes = datagram.remaining();
        sender.send(datagram, to);
        loop.counters().wrote(bytes);
    }

    /** {@code Conn.joinGroup}/{@code leaveGroup} on the loop thread: a refusal names the group, the interface and the socket. */
    static void membership(Loop loop, Membership membership, boolean join, InetAddress group,
            NetworkInterface networkInterface, Object socket) {
        loop.checkThread(join ? "joinGroup" : "leaveGroup");
        if (group == null || networkInterface == null) {
            throw new IllegalArgumentException("a multicast group and an interface are needed, was " + group + " on "
                    + networkInterface);
        }
        try {
            membership.change(join, group, networkInterface);
        } catch (IOException e) {
            throw new IllegalStateException("cannot " + (join ? "join " : "leave ") + group.getHostAddress() + " on "
                    + networkInterface.getName() + " for " + socket + ": " + e.getMessage(), e);
        }
    }
}
