package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Action;
import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.Options;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to the API fails loudly and precisely, and a failing handler hurts only its own connection. */
interface MisuseBehaviours extends Harness {

    @ParameterizedTest
    @ValueSource(strings = {"tcp://nohost-no-port", "foo://x", "tcp://127.0.0.1:99999", "tcp6://127.0.0.1:1"})
    default void badAddressIsRejectedNamingIt(String address) throws Exception {
        assertThatThrownBy(() -> serve(new Recorder(), options().build(), address))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(address);
        Engine client = client(new Recorder(), options().build());
        assertThatThrownBy(() -> client.dial(address))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(address);
    }

    @Test
    default void badOptionIsRejectedNamingIt() {
        List<Case> cases = List.of(
                new Case("loops", b -> b.loops(-1)),
                new Case("Watermark", b -> b.writeBufferWatermarks(10, 5)),
                new Case("readBufferCap", b -> b.readBufferCap(1)));
        for (Case bad : cases) {
            assertThatThrownBy(() -> bad.change().apply(options()).build()).as(bad.option())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.option());
        }
    }

    /** An option and a change that makes it invalid. */
    record Case(String option, UnaryOperator<Options.Builder> change) {
    }

    @Test
    default void writeAfterCloseOnTheLoopThrowsIllegalState() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                conn.close();
                try {
                    conn.write("too late".getBytes());
                    thrown.complete(null);
                } catch (RuntimeException e) {
                    thrown.complete(e);
                }
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            socket.getOutputStream().write('x');
            assertThat(await(thrown)).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot write");
            Peers.assertEndOfStream(socket.getInputStream());
        }
    }

    @Test
    default void loopThreadOperationsFromAnotherThreadThrowIllegalState() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(socket);
            assertThatThrownBy(() -> conn.write(new byte[1])).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("event loop thread");
            assertThatThrownBy(() -> conn.write(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> conn.peek(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> conn.next(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> conn.inboundBuffered()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(conn::flush).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> conn.setNoDelay(true)).isInstanceOf(IllegalStateException.class);
            // The connection is unharmed.
            assertThat(Peers.echo(socket, "fine")).isEqualTo("fine");
        }
    }

    @Test
    default void asyncOperationsOnAClosedConnectionReportAnErrorAndNeverHang() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        Conn conn;
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            conn = server.connOf(socket);
        }
        assertThat(server.awaitClose(conn)).isNull();

        assertThat(errorOf(cb -> conn.asyncWrite("late".getBytes(), cb))).isInstanceOf(IllegalStateException.class);
        assertThat(errorOf(cb -> conn.asyncWritev(new ByteBuffer[]{ByteBuffer.wrap(new byte[3])}, cb)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(errorOf(cb -> conn.wake(cb))).isInstanceOf(IllegalStateException.class);
        assertThat(errorOf(conn::closeWithCallback)).as("closing a closed connection").isNull();

        assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
        // After the stop: rejected at once or told through the callback, never silence.
        CompletableFuture<Throwable> afterStop = new CompletableFuture<>();
        try {
            conn.asyncWrite("later".getBytes(), (c, error) -> afterStop.complete(error));
        } catch (RejectedExecutionException e) {
            afterStop.complete(e);
        }
        assertThat(await(afterStop)).isNotNull();
        assertThatCode(conn::close).as("close is harmless on a closed connection").doesNotThrowAnyException();
        assertThat(errorOf(conn::closeWithCallback)).isNull();
    }

    /** Runs {@code operation} with a callback and returns the error it reports. */
    private static Throwable errorOf(java.util.function.Consumer<AsyncCallback> operation) throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        operation.accept((c, e) -> error.complete(e));
        return await(error);
    }

    @Test
    default void bindingAnAddressInUseFailsNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String address = "tcp://127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> serve(new Recorder(), options().build(), address))
                    .isInstanceOf(IOException.class).hasMessageContaining(address);
        }
    }

    @Test
    default void exceptionInOnTrafficClosesOnlyThatConnectionWithItAsCause() throws Exception {
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                if (conn.peek(1).get(0) == '!') {
                    RuntimeException boom = new IllegalArgumentException("boom from the handler");
                    thrown.set(boom);
                    throw boom;
                }
                return super.onTraffic(conn);
            }
        };
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        try (Socket failing = Peers.connect(Peers.inet(engine)); Socket bystander = Peers.connect(Peers.inet(engine))) {
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            failing.getOutputStream().write('!');
            assertThat(server.awaitClose(server.connOf(failing))).isSameAs(thrown.get()).isNotNull();
            Peers.assertEndOfStream(failing.getInputStream());
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
            assertThat(server.connOf(bystander).isOpen()).isTrue();
        }
    }

    @Test
    default void aViewKeptPastItsCallbackIsEmptiedInsteadOfShowingLaterBytes() throws Exception {
        AtomicReference<ByteBuffer> kept = new AtomicReference<>();
        CompletableFuture<Integer> keptRemainingLater = new CompletableFuture<>();
        Engine engine = serve(new io.jgnet.EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                // Look at the kept view before asking for a new one, which may be the same object.
                if (kept.get() != null) {
                    keptRemainingLater.complete(kept.get().remaining());
                }
                ByteBuffer view = conn.next(-1);
                kept.compareAndSet(null, view);
                conn.write(new byte[]{'k'});
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            socket.getOutputStream().write("first".getBytes());
            assertThat(Peers.readExactly(socket.getInputStream(), 1)).containsExactly('k');
            socket.getOutputStream().write("second".getBytes());
            assertThat(Peers.readExactly(socket.getInputStream(), 1)).containsExactly('k');
        }
        assertThat(await(keptRemainingLater)).as("bytes a stale view still shows").isZero();
    }

    @Test
    default void aViewOfBytesLeftForLaterIsEmptiedPastItsCallbackToo() throws Exception {
        AtomicReference<ByteBuffer> kept = new AtomicReference<>();
        CompletableFuture<Integer> keptRemainingLater = new CompletableFuture<>();
        CompletableFuture<String> seenWithTheLeftBytes = new CompletableFuture<>();
        Engine engine = serve(new io.jgnet.EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                if (kept.get() != null) {
                    keptRemainingLater.complete(kept.get().remaining());
                    conn.discard(-1);
                } else if (conn.inboundBuffered() < 3) {
                    // Leave "ab" unconsumed: jgnet holds it and the next read is appended to it.
                } else {
                    ByteBuffer view = conn.peek(-1);
                    seenWithTheLeftBytes.complete(StandardCharsets.US_ASCII.decode(view.duplicate()).toString());
                    kept.set(view);
                    conn.discard(-1);
                }
                conn.write(new byte[]{'k'});
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            for (String part : new String[]{"ab", "c", "d"}) {
                socket.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
                assertThat(Peers.readExactly(socket.getInputStream(), 1)).containsExactly('k');
            }
        }
        assertThat(await(seenWithTheLeftBytes)).isEqualTo("abc");
        assertThat(await(keptRemainingLater)).as("bytes a stale view of held bytes still shows").isZero();
    }
}
