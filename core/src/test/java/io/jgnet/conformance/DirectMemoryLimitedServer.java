package io.jgnet.conformance;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.net.InetSocketAddress;

/**
 * An echo server run in its own JVM by {@link DirectMemoryBehaviours}, started with a small
 * {@code -XX:MaxDirectMemorySize} and a write cap above what that leaves, so that peers which
 * send without reading exhaust direct memory before they reach the cap. It prints
 * {@code READY <port>}, then {@code CLOSED <peer port> <cause>} for every connection that closes
 * with a cause, and runs until killed.
 *
 * <p>Arguments: the transport name, whether epoll is edge-triggered, and the write cap in bytes.
 */
final class DirectMemoryLimitedServer {
    private DirectMemoryLimitedServer() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
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
                .writeBufferCap(Integer.parseInt(args[2])).build());
        System.out.println("READY " + ((InetSocketAddress) engine.listenAddresses().get(0)).getPort());
        System.out.flush();
        engine.awaitTermination();
    }
}
