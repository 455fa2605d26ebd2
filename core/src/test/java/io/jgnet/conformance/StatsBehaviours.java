package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.readExactly;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventLoop;
import io.jgnet.LoopStats;
import io.jgnet.TransportKind;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine#stats()}: what each loop counts agrees with the traffic it served. Snapshots are
 * taken on the loop itself, after the traffic, so that every count the loop made is visible.
 */
interface StatsBehaviours extends Harness {

    /** The loop's own view of the engine's stats, taken between two of its turns. */
    private static LoopStats statsOnLoop(Engine engine, int loop) throws Exception {
        CompletableFuture<List<LoopStats>> taken = new CompletableFuture<>();
        EventLoop target = engine.eventLoops().get(loop);
        target.execute(() -> taken.complete(engine.stats()));
        return await(taken).get(loop);
    }

    @Test
    default void statsCountTheBytesMessagesReadsAndWritesOfAnEcho() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        int rounds = 20;
        int size = 1000;
        try (Socket client = Peers.connect(Peers.inet(engine))) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < rounds; i++) {
                out.write(Peers.randomBytes(i, size));
                readExactly(in, size);
            }
            LoopStats stats = statsOnLoop(engine, 0);
            assertThat(stats.loop()).isZero();
            assertThat(stats.connections()).isEqualTo(1);
            assertThat(stats.bytesIn()).isEqualTo((long) rounds * size);
            assertThat(stats.bytesOut()).isEqualTo((long) rounds * size);
            // The echo writes once per onTraffic, and is shown each read once.
            assertThat(stats.reads()).isBetween((long) rounds, (long) rounds * size);
            assertThat(stats.messagesIn()).isEqualTo(stats.reads());
            assertThat(stats.messagesOut()).isEqualTo(stats.messagesIn());
            assertThat(stats.writes()).isBetween(1L, stats.messagesOut());
            if (transport() == TransportKind.NIO) {
                assertThat(stats.systemCalls()).isEqualTo(-1);
            } else {
                // At least one wait (or io_uring_enter) per round trip.
                assertThat(stats.systemCalls()).isGreaterThanOrEqualTo(rounds);
            }
            assertThat(stats.pendingOutput()).isZero();
            assertThat(stats.tasksQueued()).isZero();
            assertThat(stats.iterations()).isGreaterThanOrEqualTo(rounds);
            assertThat(stats.busyFraction()).isBetween(0.0, 1.0);
        }
        server.awaitClose(server.opened.peek());
        assertThat(statsOnLoop(engine, 0).connections()).isZero();
    }

    @Test
    default void pendingOutputIsWhatTheKernelHasNotTakenYet() throws Exception {
        int total = 8 * 1024 * 1024;
        CompletableFuture<Conn> written = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                super.onOpen(conn);
                conn.setSendBufferSize(Peers.SMALL_SOCKET_BUFFER);
                conn.write(new byte[total]);
                written.complete(conn);
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().loops(1).writeBufferCap(2 * total).writeBufferWatermarks(1, total)
                .build(), "tcp://127.0.0.1:0");
        try (Socket client = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            Conn conn = await(written);
            CompletableFuture<long[]> held = new CompletableFuture<>();
            conn.execute(() -> held.complete(new long[] {engine.stats().get(0).pendingOutput(), conn.outboundBuffered()}));
            long[] pending = await(held);
            // The client reads nothing yet: most of the 8 MiB waits in the engine, counted exactly.
            assertThat(pending[0]).isEqualTo(pending[1]).isPositive();
            readExactly(client.getInputStream(), total);
            LoopStats stats = statsOnLoop(engine, 0);
            assertThat(stats.pendingOutput()).isZero();
            assertThat(stats.bytesOut()).isEqualTo(total);
            assertThat(stats.messagesOut()).isEqualTo(1);
        }
    }

    @Test
    default void statsAnswerWhileALoopIsBlocked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                blocking.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.onTraffic(conn);
            }
        };
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        try (Socket client = Peers.connect(Peers.inet(engine))) {
            client.getOutputStream().write(1);
            Peers.await(blocking, "the handler blocking its loop");
            LoopStats stats = engine.stats().get(0);
            assertThat(stats.connections()).isEqualTo(1);
            assertThat(stats.bytesIn()).isEqualTo(1);
            release.countDown();
            assertThat(readExactly(client.getInputStream(), 1)).hasSize(1);
        } finally {
            release.countDown();
        }
    }
}
