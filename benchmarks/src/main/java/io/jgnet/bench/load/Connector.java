package io.jgnet.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens many connections to one server from one thread: non-blocking connects, at most
 * {@link #MAX_PENDING} under way so the server's accept queue is not flooded (a dropped SYN costs
 * a one-second retransmit), every wait bounded by a deadline. With TLS each connection also makes
 * its handshake; with {@code probe} it then sends one byte and waits for its echo, proving the
 * server holds it. Not thread-safe: the returned keys stay registered with the caller's selector,
 * interested in nothing, each with its {@link TlsLink} (or null) attached.
 */
final class Connector {

    static final int MAX_PENDING = 256;
    private static final byte PROBE = 0x5A;

    private Connector() {
    }

    /** A connection on its way: its TLS link (null in plaintext) and whether its probe is out. */
    private static final class Opening {
        TlsLink link;
        boolean probed;
    }

    /**
     * Opens {@code count} connections with TCP_NODELAY, registered with {@code selector}, over
     * TLS when {@code tls} is not null.
     *
     * @throws IOException if one fails, a handshake fails, a probe is not echoed, or the deadline
     *                     (a {@link System#nanoTime()} value) passes; every channel is then closed
     */
    static List<SelectionKey> open(Selector selector, InetSocketAddress server, int count, boolean probe,
                                   TlsLink.Shared tls, long deadlineNanos) throws IOException {
        List<SelectionKey> established = new ArrayList<>();
        ByteBuffer probeBuffer = ByteBuffer.allocate(1);
        int started = 0;
        int pending = 0;
        try {
            while (established.size() < count) {
                for (; pending < MAX_PENDING && started < count; started++, pending++) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channel.register(selector, SelectionKey.OP_CONNECT, new Opening());
                    channel.connect(server);
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    throw new IOException("established only " + established.size() + " of " + count
                            + " connections before the deadline");
                }
                selector.select(100);
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (advance(key, probe, tls, probeBuffer)) {
                        key.interestOps(0);
                        key.attach(((Opening) key.attachment()).link);
                        pending--;
                        established.add(key);
                    }
                }
            }
            return established;
        } catch (IOException | RuntimeException e) {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            throw e;
        }
    }

    /** Moves one connection on: connected, then handshaken (TLS), then its probe echoed; true once done. */
    private static boolean advance(SelectionKey key, boolean probe, TlsLink.Shared tls, ByteBuffer probeBuffer)
            throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        Opening o = (Opening) key.attachment();
        if (key.isConnectable()) {
            if (!channel.finishConnect()) {
                return false;
            }
            key.interestOps(SelectionKey.OP_READ);
            o.link = tls == null ? null : new TlsLink(channel, tls);
        }
        if (o.link != null && !o.link.handshaken()) {
            boolean done = o.link.handshake();
            key.interestOps(o.link.pendingOutput() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            if (!done) {
                return false;
            }
        }
        if (!probe) {
            return true;
        }
        if (!o.probed) {
            o.probed = true;
            probeBuffer.clear().put(0, PROBE);
            if (o.link == null ? channel.write(probeBuffer) != 1 : !o.link.write(probeBuffer)) {
                throw new IOException("a new connection's probe byte did not go out at once");
            }
            return false;
        }
        ByteBuffer in = o.link == null ? probeBuffer.clear() : tls.scratch.clear();
        int read = o.link == null ? channel.read(in) : o.link.read(in);
        if (read < 0 || read > 1 || read == 1 && in.get(0) != PROBE) {
            throw new IOException("the server did not echo a new connection's probe byte");
        }
        return read == 1;
    }
}
