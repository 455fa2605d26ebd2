package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.inBackground;
import static io.jgnet.conformance.Peers.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventLoop;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Ending the engine: graceful stop, stop at a deadline, Action.SHUTDOWN; and the ticker. */
interface StopBehaviours extends Harness {

    /**
     * On a first byte 'B' writes {@link #bulk} and counts down {@link #written}; on 'P' (an idle
     * probe) only counts down {@link #probed}.
     */
    class BulkWriter extends Recorder {
        final byte[] bulk;
        final CountDownLatch written = new CountDownLatch(1);
        final CountDownLatch probed = new CountDownLatch(1);
        final Tally shutdowns = new Tally();

        BulkWriter(byte[] bulk) {
            this.bulk = bulk;
        }

        @Override
        public Action onTraffic(Conn conn) {
            byte role = conn.next(1).get(0);
            conn.discard(-1);
            if (role == 'B') {
                conn.write(bulk);
                written.countDown();
            } else {
                probed.countDown();
            }
            return Action.NONE;
        }

        @Override
        public void onShutdown(Engine engine) {
            shutdowns.increment();
        }
    }

    /** Far more than the kernel buffers of both ends hold, so the engine must keep the rest. */
    int BULK = 8 << 20;

    @Test
    default void gracefulStopSendsEverythingWrittenThenClosesAndShutsDownOnce() throws Exception {
        BulkWriter server = new BulkWriter(randomBytes(5, BULK));
        Engine engine = serve(server, options().loops(1).socketBuffers(4 * Peers.SMALL_SOCKET_BUFFER, 0).build(),
                "tcp://127.0.0.1:0");
        try (Socket reader = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER);
             Socket probe = Peers.connect(Peers.inet(engine))) {
            reader.getOutputStream().write('B');
            probe.getOutputStream().write('P');
            Peers.await(server.written, "the bulk write");
            Peers.await(server.probed, "the probe");
            Conn bulkConn = server.connOf(reader);
            Conn probeConn = server.connOf(probe);

            // Two threads stop at once; both must see the same, successful, stop.
            CompletableFuture<Boolean> first = inBackground(() -> engine.stop(Duration.ofSeconds(20)));
            CompletableFuture<Boolean> second = inBackground(() -> engine.stop(Duration.ofSeconds(20)));

            // The idle probe closes as soon as the stop begins; the bulk connection waits for us to read.
            assertThat(server.awaitClose(probeConn)).isNull();
            assertThat(server.closeOf(bulkConn)).isNotDone();
            assertThat(engine.isTerminated()).isFalse();

            byte[] received = reader.getInputStream().readAllBytes();
            assertSameBytes(received, server.bulk);
            assertThat(await(first)).isTrue();
            assertThat(await(second)).isTrue();
            assertThat(server.awaitClose(bulkConn)).isNull();
            assertThat(server.closes.get()).isEqualTo(2);
            assertThat(engine.isTerminated()).isTrue();
            assertThat(server.shutdowns.get()).isEqualTo(1);

            assertThat(engine.stop(Duration.ofSeconds(20))).as("a stop after the stop").isTrue();
            assertThat(server.shutdowns.get()).isEqualTo(1);
            assertThat(engine.connectionCount()).isZero();
        }
    }

    @Test
    default void stopWithATinyTimeoutCutsAPeerThatNeverReadsAndSaysSo() throws Exception {
        BulkWriter server = new BulkWriter(randomBytes(5, BULK));
        Engine engine = serve(server, options().loops(1).socketBuffers(Peers.SMALL_SOCKET_BUFFER, 0).build(),
                "tcp://127.0.0.1:0");
        try (Socket reader = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            reader.getOutputStream().write('B');
            Peers.await(server.written, "the bulk write");
            Conn conn = server.connOf(reader);

            assertThat(engine.stop(Duration.ofMillis(100))).as("stop reports the cut").isFalse();
            assertThat(engine.isTerminated()).isTrue();
            assertThat(server.awaitClose(conn)).isInstanceOf(IOException.class);
            assertThat(server.shutdowns.get()).isEqualTo(1);
            assertThat(engine.stop(Duration.ofSeconds(1))).as("a later stop says the same").isFalse();
        }
    }

    @Test
    default void shutdownActionFromOnTrafficStopsTheEngine() throws Exception {
        Tally shutdowns = new Tally();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                return Action.SHUTDOWN;
            }

            @Override
            public void onShutdown(Engine engine) {
                shutdowns.increment();
            }
        };
        Engine engine = serve(server, options().loops(2).build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            socket.getOutputStream().write("bye".getBytes());
            await(inBackground(() -> {
                engine.awaitTermination();
                return null;
            }));
            assertThat(engine.isTerminated()).isTrue();
            assertThat(shutdowns.get()).isEqualTo(1);
            Peers.assertEndOfStream(socket.getInputStream());
            assertThat(server.causes()).containsExactly((Throwable) null);
        }
    }

    @Test
    default void tickerRunsOnALoopUntilOnTickReturnsZero() throws Exception {
        int ticks = 5;
        AtomicInteger count = new AtomicInteger();
        AtomicReference<Engine> booted = new AtomicReference<>();
        Queue<String> loops = new ConcurrentLinkedQueue<>();
        AtomicReference<EventLoop> tickingLoop = new AtomicReference<>();
        CountDownLatch lastTick = new CountDownLatch(1);
        Recorder server = new Recorder() {
            @Override
            public Action onBoot(Engine engine) {
                booted.set(engine);
                return Action.NONE;
            }

            @Override
            public Duration onTick() {
                EventLoop loop = booted.get().eventLoops().stream().filter(EventLoop::inEventLoop).findFirst().orElse(null);
                loops.add(loop == null ? "off the loops" : "loop " + loop.index());
                tickingLoop.set(loop);
                if (count.incrementAndGet() < ticks) {
                    return Duration.ofMillis(10);
                }
                lastTick.countDown();
                return Duration.ZERO;
            }
        };
        Engine engine = serve(server, options().loops(2).ticker(true).build(), "tcp://127.0.0.1:0");
        Peers.await(lastTick, ticks + " ticks");
        // A task due well after another 10 ms tick would be: if the ticker went on, it runs first.
        CompletableFuture<Integer> later = new CompletableFuture<>();
        tickingLoop.get().schedule(() -> later.complete(count.get()), Duration.ofMillis(100));
        assertThat(await(later)).isEqualTo(ticks);
        assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(count).hasValue(ticks);
        assertThat(List.copyOf(loops)).hasSize(ticks).containsOnly(loops.peek()).doesNotContain("off the loops");
    }
}
