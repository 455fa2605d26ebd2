package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How connections end: half-close and reset by the peer, close and closeWithCallback by the server. */
interface CloseBehaviours extends Harness {

    @Test
    default void halfClosedPeerReceivesEveryEchoThenEndOfStream() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().socketBuffers(Peers.SMALL_SOCKET_BUFFER, 0).build(), "tcp://127.0.0.1:0");
        byte[] payload = randomBytes(7, 1 << 20);
        try (Socket socket = connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            Conn conn = server.connOf(socket);
            // Everything is sent and the side shut before we read a byte: most of the echo is
            // still waiting in the engine when it sees the end of stream.
            Peers.writeInRandomChunks(Peers.sink(socket.getOutputStream()), payload, new Random(7));
            socket.shutdownOutput();
            byte[] echoed = socket.getInputStream().readAllBytes();
            assertSameBytes(echoed, payload);
            assertThat(server.awaitClose(conn)).isNull();
        }
    }

    @Test
    default void resetByThePeerClosesOnlyThatConnectionWithACause() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        Socket victim = connect(Peers.inet(engine));
        try (Socket bystander = connect(Peers.inet(engine))) {
            assertThat(Peers.echo(victim, "hi")).isEqualTo("hi");
            assertThat(Peers.echo(bystander, "hi")).isEqualTo("hi");
            Conn victimConn = server.connOf(victim);
            Conn bystanderConn = server.connOf(bystander);

            reset(victim); // an RST, not a FIN

            assertThat(server.awaitClose(victimConn)).isInstanceOf(IOException.class);
            assertThat(Peers.echo(bystander, "still served")).isEqualTo("still served");
            assertThat(bystanderConn.isOpen()).isTrue();
            assertThat(server.closes.get()).isEqualTo(1);
        } finally {
            victim.close();
        }
    }

    /** How the server ends the exchange in {@link #serverCloseDeliversTheWholeResponseBeforeEndOfStream}. */
    enum CloseStyle {
        /** onTraffic writes the response and returns Action.CLOSE. */
        ACTION_CLOSE,
        /** onTraffic writes the response and calls close() twice. */
        CLOSE_IN_CALLBACK,
        /** Another thread calls asyncWrite(response) and then close(). */
        CLOSE_FROM_ANOTHER_THREAD
    }

    @ParameterizedTest
    @EnumSource(CloseStyle.class)
    default void serverCloseDeliversTheWholeResponseBeforeEndOfStream(CloseStyle style) throws Exception {
        byte[] response = randomBytes(11, 1 << 20);
        CompletableFuture<Conn> requested = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                switch (style) {
                    case ACTION_CLOSE -> {
                        conn.write(response);
                        return Action.CLOSE;
                    }
                    case CLOSE_IN_CALLBACK -> {
                        conn.write(response);
                        conn.close();
                        conn.close();
                    }
                    case CLOSE_FROM_ANOTHER_THREAD -> requested.complete(conn);
                }
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().socketBuffers(Peers.SMALL_SOCKET_BUFFER, 0).build(), "tcp://127.0.0.1:0");
        try (Socket socket = connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            socket.getOutputStream().write("GET".getBytes());
            if (style == CloseStyle.CLOSE_FROM_ANOTHER_THREAD) {
                Conn conn = await(requested);
                conn.asyncWrite(response.clone(), null);
                conn.close();
            }
            byte[] received = socket.getInputStream().readAllBytes();
            assertSameBytes(received, response);
            assertThat(server.awaitClose(server.connOf(socket))).isNull();
        }
    }

    /**
     * A greeting then goodbye, all in onOpen (a server announcing it is full, say). Over TLS
     * onOpen runs before the handshake, so the close must still read the handshake's records
     * before the greeting can be encrypted; then it is delivered, then close_notify and FIN.
     */
    @Test
    default void writeAndCloseInOnOpenDeliversTheBytesThenEndOfStream() throws Exception {
        byte[] greeting = randomBytes(17, 40_000);
        Recorder server = new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                super.onOpen(conn);
                conn.write(greeting);
                conn.close();
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = connect(Peers.inet(engine))) {
            assertSameBytes(socket.getInputStream().readAllBytes(), greeting);
            assertThat(server.awaitClose(server.connOf(socket))).isNull();
        }
    }

    @Test
    default void closeWithCallbackRunsTheCallbackAfterOnCloseAndRepeatedClosesAreHarmless() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Recorder server = new Recorder() {
            @Override
            public Action onClose(Conn conn, Throwable cause) {
                events.add("onClose " + cause);
                return super.onClose(conn, cause);
            }
        };
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = connect(Peers.inet(engine))) {
            // Idle but established: over TLS the echo also shows that the server has read the
            // client's last handshake bytes, which would otherwise be unread input that a close
            // lingers for (until the peer's end of stream, as for plain TCP).
            assertThat(Peers.echo(socket, "hi")).isEqualTo("hi");
            Conn conn = server.connOf(socket);
            CompletableFuture<Throwable> first = new CompletableFuture<>();
            conn.closeWithCallback((c, error) -> {
                events.add("callback " + error + (c.eventLoop().inEventLoop() ? "" : " off the loop"));
                first.complete(error);
            });
            assertThat(await(first)).isNull();
            Peers.assertEndOfStream(socket.getInputStream());

            conn.close();
            CompletableFuture<Throwable> second = new CompletableFuture<>();
            conn.closeWithCallback((c, error) -> second.complete(error));
            assertThat(await(second)).isNull();
            assertThat(events).containsExactly("onClose null", "callback null");
            assertThat(server.closes.get()).isEqualTo(1);
            assertThat(conn.isOpen()).isFalse();
        }
    }
}
