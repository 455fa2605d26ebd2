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
 * a one-second retransmit), every wait bounded by a deadline. With {@code probe} each connection
 * also sends one byte and waits for its echo, proving the server holds it. Not thread-safe: the
 * returned keys stay registered with the caller's selector, interested in nothing.
 */
final class Connector {

    static final int MAX_PENDING = 256;
    private static final byte PROBE = 0x5A;

    private Connector() {
    }

    /**
     * Opens {@code count} connections with TCP_NODELAY, registered with {@code selector}.
     *
     * @throws IOException if one fails, a probe is not echoed, or the deadline (a
     *                     {@link System#nanoTime()} value) passes; every channel is then closed
     */
    static List<SelectionKey> open(Selector selector, InetSocketAddress server, int count, boolean probe,
                                   long deadlineNanos) throws IOException {
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
                    channel.register(selector, SelectionKey.OP_CONNECT);
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
                    SocketChannel channel = (SocketChannel) key.channel();
                    boolean done = false;
                    if (key.isConnectable() && channel.finishConnect()) {
                        if (probe) {
                            channel.write(probeBuffer.clear().put(0, PROBE));
                            key.interestOps(SelectionKey.OP_READ);
                        } else {
                            done = true;
                        }
                    } else if (key.isReadable()) {
                        int read = channel.read(probeBuffer.clear());
                        if (read < 0 || read == 1 && probeBuffer.get(0) != PROBE) {
                            throw new IOException("the server did not echo a new connection's probe byte");
                        }
                        done = read == 1;
                    }
                    if (done) {
                        key.interestOps(0);
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
}
