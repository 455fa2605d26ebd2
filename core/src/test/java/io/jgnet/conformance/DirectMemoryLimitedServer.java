package io.jgnet.conformance;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * An echo server run in its own JVM by {@link DirectMemoryBehaviours}, started with a small
 * {@code -XX:MaxDirectMemorySize} and a write cap above what that leaves, so that peers which
 * send without reading exhaust direct memory before they reach the cap: in its output buffer
 * ({@code echo}) or, with a handler that reads nothing ({@code hold}), its input buffer. It prints
 * {@code READY <port>}, then {@code CLOSED <peer port> <cause>} for every connection that closes
 * with a cause, and runs until killed.
 *
 * <p>Arguments: the transport name, whether epoll is edge-triggered, the write and inbound cap in
 * bytes, and echo or hold.
 */
final class DirectMemoryLimitedServer {
    private DirectMemoryLimitedServer() {
    }

    public static void main(String[] args) throws Exception {
        boolean hold = args[3].equals("hold");
        int cap = Integer.parseInt(args[2]);
        Engine engine = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                // "hold" keeps the bytes of a peer that sends 'H's unread (a frame that never
                // completes): its inbound buffer grows. Anything else is echoed.
                ByteBuffer in = conn.peek(-1);
                if (!hold || in.get(in.position()) != 'H') {
                    conn.write(conn.next(-1));
                }
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                if (cause != null) {
                    System.out.println("CLOSED " + ((InetSocketAddress) conn.remoteAddress()).getPort() + " " + cause);
                    System.out.flush();
                }
                return Action.NONE;
            }
        }, "tcp://127.0.0.1:0", Options.builder().transport(TransportKind.valueOf(args[0]))
                .epoll(epoll -> epoll.edgeTriggered(Boolean.parseBoolean(args[1]))).loops(1)
                .writeBufferCap(cap).inboundBufferCap(cap).build());
        System.out.println("READY " + ((InetSocketAddress) engine.listenAddresses().get(0)).getPort());
        System.out.flush();
        engine.awaitTermination();
    }
}
