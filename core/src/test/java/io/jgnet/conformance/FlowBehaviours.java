package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Flow control a proxy needs: half-close kept open, suspended reading, and the writable signal. */
interface FlowBehaviours extends Harness {

    @Test
    default void aHandlerCanKeepAHalfClosedConnectionWritingThenShutItsOutput() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        AtomicReference<String> receivedBeforeHalfClose = new AtomicReference<>("");
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                byte[] bytes = new byte[conn.inboundBuffered()];
                conn.read(ByteBuffer.wrap(bytes));
                receivedBeforeHalfClose.accumulateAndGet(new String(bytes), String::concat);
                return Action.NONE;
            }

            @Override
            public Action onHalfClose(Conn conn) {
                conn.write(("got " + receivedBeforeHalfClose.get()).getBytes());
                conn.shutdownOutput();
                assertThatThrownBy(() -> conn.write(new byte[1])).isInstanceOf(IllegalStateException.class);
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                closed.complete(cause);
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            socket.getOutputStream().write("request".getBytes());
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            assertThat(new String(Peers.readExactly(in, "got request".length()))).isEqualTo("got request");
            Peers.assertEndOfStream(in);
            assertThat(await(closed)).as("both directions done: closed cleanly").isNull();
        }
    }

    @Test
    default void suspendedReadingDeliversNothingUntilResumed() throws Exception {
        AtomicBoolean resumed = new AtomicBoolean();
        AtomicInteger deliveredWhileSuspended = new AtomicInteger();
        CompletableFuture<Conn> opened = new CompletableFuture<>();
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                conn.suspendReading();
                opened.complete(conn);
                return Action.NONE;
            }

            @Override
            public Action onTraffic(Conn conn) {
                if (!resumed.get()) {
                    deliveredWhileSuspended.incrementAndGet();
                }
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            Conn conn = await(opened);
            byte[] payload = Peers.randomBytes(5, 100_000);
            CompletableFuture<byte[]> echoed = Peers.inBackground(() -> Peers.readExactly(socket.getInputStream(), payload.length));
            socket.getOutputStream().write(payload, 0, 1000);
            // The loop handles the client's bytes (if it wrongly reads them) before this task.
            CompletableFuture<Void> resumedOnLoop = new CompletableFuture<>();
            conn.execute(() -> {
                resumed.set(true);
                conn.resumeReading();
                resumedOnLoop.complete(null);
            });
            await(resumedOnLoop);
            socket.getOutputStream().write(payload, 1000, payload.length - 1000);
            Peers.assertSameBytes(await(echoed), payload);
            assertThat(deliveredWhileSuspended).hasValue(0);
        }
    }

    @Test
    default void onWritableFollowsWhenAStalledConnectionDrainsBelowTheLowWatermark() throws Exception {
        CompletableFuture<Boolean> wasUnwritable = new CompletableFuture<>();
        CompletableFuture<Boolean> writableAgain = new CompletableFuture<>();
        int total = 4 * 1024 * 1024;
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                conn.write(new byte[total]);
                wasUnwritable.complete(!conn.isWritable());
                return Action.NONE;
            }

            @Override
            public Action onWritable(Conn conn) {
                writableAgain.complete(conn.isWritable());
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            assertThat(await(wasUnwritable)).as("past the high watermark").isTrue();
            Peers.readExactly(socket.getInputStream(), total);
            assertThat(await(writableAgain)).isTrue();
        }
    }
}
