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
import java.util.ArrayList;
import java.util.List;

/**
 * A server run in its own JVM by {@link SuspendedReadingBehaviours}, with little direct memory:
 * a connection whose first byte is {@code S} is a stream whose bytes it counts, and whose reading
 * it suspends once {@code threshold} bytes have come (printing {@code SUSPENDED <peer port>});
 * any other connection is echoed, and a {@code !} in what it sends first resumes every suspended
 * stream. At a stream's end it prints {@code RECEIVED <peer port> <bytes>} and closes; a
 * connection that closes with a cause prints {@code CLOSED <peer port> <cause>}. It prints
 * {@code READY <port>} first and runs until killed. One loop.
 *
 * <p>Arguments: the transport name, whether epoll is edge-triggered, the threshold in bytes.
 */
final class SuspendingServer {
    private SuspendingServer() {
    }

    public static void main(String[] args) throws Exception {
        long threshold = Long.parseLong(args[2]);
        List<Conn> suspended = new ArrayList<>(); // the loop's only
        Engine engine = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                if (conn.context() == null) {
                    ByteBuffer first = conn.peek(1);
                    conn.context(first.get(first.position()) == 'S' ? new Stream() : Boolean.TRUE);
                }
                if (conn.context() instanceof Stream stream) {
                    stream.bytes += conn.next(-1).remaining();
                    if (stream.bytes >= threshold && !stream.wasSuspended) {
                        stream.wasSuspended = true;
                        suspended.add(conn);
                        conn.suspendReading();
                        say("SUSPENDED " + port(conn));
                    }
                    return Action.NONE;
                }
                ByteBuffer in = conn.next(-1);
                boolean resume = false;
                for (int i = in.position(); i < in.limit(); i++) {
                    resume |= in.get(i) == '!';
                }
                if (resume) {
                    for (Conn stream : suspended) {
                        stream.resumeReading();
                    }
                    suspended.clear();
                }
                conn.write(in);
                return Action.NONE;
            }

            @Override
            public Action onHalfClose(Conn conn) {
                if (conn.context() instanceof Stream stream) {
                    say("RECEIVED " + port(conn) + " " + stream.bytes);
                }
                return Action.CLOSE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                suspended.remove(conn);
                if (cause != null) {
                    say("CLOSED " + port(conn) + " " + cause);
                }
                return Action.NONE;
            }
        }, "tcp://127.0.0.1:0", Options.builder().transport(TransportKind.valueOf(args[0]))
                .epoll(epoll -> epoll.edgeTriggered(Boolean.parseBoolean(args[1]))).loops(1).build());
        say("READY " + ((InetSocketAddress) engine.listenAddresses().get(0)).getPort());
        engine.awaitTermination();
    }

    /** A counted stream's state. */
    private static final class Stream {
        long bytes;
        boolean wasSuspended;
    }

    private static int port(Conn conn) {
        return ((InetSocketAddress) conn.remoteAddress()).getPort();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
