package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Bounded buffers: watermarks, the write cap for a peer that stops reading, the inbound cap. */
interface BackpressureBehaviours extends Harness {

    int KIB = 1024;
    int MIB = 1024 * KIB;

    @Test
    default void peerThatStopsReadingIsCutAtTheWriteCapWhileTheLoopServesOthers() throws Exception {
        byte[] chunk = new byte[64 * KIB];
        Tally floodBytes = new Tally();
        CompletableFuture<Integer> backedUp = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                if (conn.peek(1).get(0) != 'F' && conn.context() == null) {
                    return super.onTraffic(conn);
                }
                // The flooded connection: 64 KiB out for every byte in, whatever the peer does.
                conn.context("flood");
                int n = conn.discard(-1);
                for (int i = 0; i < n && conn.isOpen(); i++) {
                    conn.write(chunk);
                    if (!conn.isWritable()) {
                        backedUp.complete(conn.outboundBuffered());
                    }
                }
                for (int i = 0; i < n; i++) {
                    floodBytes.increment();
                }
                return Action.NONE;
            }
        };
        // Small kernel buffers on both ends keep what the kernel absorbs far below the cap.
        Engine engine = serve(server, options().loops(1).writeBufferCap(MIB).writeBufferWatermarks(32 * KIB, 64 * KIB)
                .socketBuffers(64 * KIB, 64 * KIB).build(), "tcp://127.0.0.1:0");
        try (Socket flooded = connect(Peers.inet(engine), 64 * KIB);
             Socket bystander = connect(Peers.inet(engine))) {
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            OutputStream out = flooded.getOutputStream();
            out.write('F');
            floodBytes.awaitAtLeast(1);
            Conn floodedConn = server.connOf(flooded);
            // One byte at a time, each answered before the next, until the output backs up.
            int sent = 1;
            while (!backedUp.isDone() && sent < 200) {
                out.write('F');
                floodBytes.awaitAtLeast(++sent);
            }
            assertThat(backedUp).as("isWritable() turned false").isDone();
            assertThat(backedUp.join()).isGreaterThan(64 * KIB);

            // The loop that holds the backed-up connection still serves the other one.
            assertThat(Peers.echo(bystander, "meanwhile")).isEqualTo("meanwhile");
            assertThat(server.closeOf(floodedConn)).isNotDone();

            // Keep asking for output until the cap cuts the connection.
            CompletableFuture<Throwable> closed = server.closeOf(floodedConn);
            try {
                while (!closed.isDone() && sent < 400) {
                    out.write('F');
                    floodBytes.awaitAtLeast(++sent, closed);
                }
            } catch (IOException expected) {
                // The server cut us while we were still writing.
            }
            Throwable cause = server.awaitClose(floodedConn);
            assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("write buffer cap")
                    .hasMessageContaining(String.valueOf(MIB));
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
        }
        assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    default void writingPastTheCapInOneCallbackClosesWithTheCapAsCause() throws Exception {
        byte[] chunk = new byte[64 * KIB];
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                // A careless handler: 2 MiB in a loop, checking nothing.
                for (int i = 0; i < 32; i++) {
                    conn.write(chunk);
                }
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().writeBufferCap(MIB).build(), "tcp://127.0.0.1:0");
        try (Socket socket = connect(Peers.inet(engine), 64 * KIB)) {
            socket.getOutputStream().write('x');
            Throwable cause = server.awaitClose(server.connOf(socket));
            assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("write buffer cap")
                    .hasMessageContaining(String.valueOf(MIB));
        }
    }

    @Test
    default void handlerThatNeverConsumesIsCutAtTheInboundCap() throws Exception {
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                if (conn.context() != null || conn.peek(1).get(0) == 'H') {
                    conn.context("hoard");
                    return Action.NONE;
                }
                return super.onTraffic(conn);
            }
        };
        Engine engine = serve(server, options().loops(1).readBufferCap(KIB).inboundBufferCap(4 * KIB).build(),
                "tcp://127.0.0.1:0");
        try (Socket hoarded = connect(Peers.inet(engine)); Socket bystander = connect(Peers.inet(engine))) {
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            Conn hoardedConn = server.connOf(hoarded);
            byte[] data = new byte[16 * KIB];
            data[0] = 'H';
            try {
                hoarded.getOutputStream().write(data);
            } catch (IOException expected) {
                // Reset by the server once it gave up on us.
            }
            Throwable cause = server.awaitClose(hoardedConn);
            assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("inbound buffer cap")
                    .hasMessageContaining(String.valueOf(4 * KIB));
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
            assertThat(server.connOf(bystander).isOpen()).isTrue();
        }
    }
}
