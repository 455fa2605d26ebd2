package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.inBackground;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.Engine;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The any-thread side of a connection: asyncWrite, asyncWritev and wake. */
interface AsyncBehaviours extends Harness {

    /** Bytes after the length field: thread and sequence number. */
    int TAG = 8;

    /** A message of thread {@code t}: [length][t][seq][payload], with a payload derived from both. */
    private static ByteBuffer[] message(int t, int seq) {
        int payloadLength = (seq * 7 + t) % 61;
        ByteBuffer header = ByteBuffer.allocate(12).putInt(TAG + payloadLength).putInt(t).putInt(seq).flip();
        return new ByteBuffer[]{header, ByteBuffer.wrap(payload(t, seq, payloadLength))};
    }

    private static byte[] payload(int t, int seq, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (t * 31 + seq + i);
        }
        return bytes;
    }

    @Test
    default void asyncWritesFromManyThreadsArriveCompleteAndInPerThreadOrder() throws Exception {
        int threads = 8;
        int writesPerThread = 500;
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(2).build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(socket);
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger misplacedCallbacks = new AtomicInteger();
            CountDownLatch completed = new CountDownLatch(threads * writesPerThread);
            AsyncCallback callback = (c, error) -> {
                if (error != null) {
                    errors.add(error);
                }
                if (c != conn || !c.eventLoop().inEventLoop()) {
                    misplacedCallbacks.incrementAndGet();
                }
                completed.countDown();
            };
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                CompletableFuture<Void> done = new CompletableFuture<>();
                Runnable body = () -> {
                    try {
                        go.await();
                        for (int seq = 0; seq < writesPerThread; seq++) {
                            ByteBuffer[] parts = message(thread, seq);
                            switch (seq % 3) {
                                case 0 -> {
                                    ByteBuffer joined = ByteBuffer.allocate(parts[0].remaining() + parts[1].remaining());
                                    conn.asyncWrite(joined.put(parts[0]).put(parts[1]).array(), callback);
                                }
                                case 1 -> {
                                    ByteBuffer direct = ByteBuffer.allocateDirect(parts[0].remaining() + parts[1].remaining());
                                    conn.asyncWrite(direct.put(parts[0]).put(parts[1]).flip(), callback);
                                }
                                default -> conn.asyncWritev(parts, callback);
                            }
                        }
                        done.complete(null);
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                };
                // Platform and virtual threads alike may write.
                (thread % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).name("writer-" + thread).start(body);
                writers.add(done);
            }
            go.countDown();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            int[] nextSeq = new int[threads];
            for (int i = 0; i < threads * writesPerThread; i++) {
                int length = in.readInt();
                int thread = in.readInt();
                int seq = in.readInt();
                assertThat(thread).as("thread tag of message %d", i).isBetween(0, threads - 1);
                assertThat(seq).as("sequence of thread %d", thread).isEqualTo(nextSeq[thread]);
                assertThat(length - TAG).isEqualTo((seq * 7 + thread) % 61);
                Peers.assertSameBytes(Peers.readExactly(in, length - TAG), payload(thread, seq, length - TAG));
                nextSeq[thread]++;
            }
            for (CompletableFuture<Void> writer : writers) {
                await(writer);
            }
            Peers.await(completed, "every asyncWrite callback");
            assertThat(errors).isEmpty();
            assertThat(misplacedCallbacks).hasValue(0);
        }
    }

    @Test
    default void wakeRunsOnTrafficWithNothingBufferedThenTheCallback() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                events.add("onTraffic " + conn.inboundBuffered() + (conn.eventLoop().inEventLoop() ? "" : " off the loop"));
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(socket);
            CompletableFuture<Throwable> woken = new CompletableFuture<>();
            conn.wake((c, error) -> {
                events.add("callback");
                woken.complete(error);
            });
            assertThat(await(woken)).isNull();
            assertThat(events).containsExactly("onTraffic 0", "callback");
        }
    }

    @Test
    default void wakeHandsLeftoverBytesToOnTrafficAgain() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean consume = new AtomicBoolean();
        CountDownLatch allBuffered = new CountDownLatch(1);
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                int buffered = conn.inboundBuffered();
                events.add("onTraffic " + buffered);
                if (consume.get()) {
                    conn.write(conn.next(-1));
                } else if (buffered == 5) {
                    allBuffered.countDown();
                }
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(socket);
            socket.getOutputStream().write("hello".getBytes());
            Peers.await(allBuffered, "the five bytes to be buffered, unconsumed");
            consume.set(true);
            CompletableFuture<Throwable> woken = new CompletableFuture<>();
            conn.wake((c, error) -> {
                events.add("callback");
                woken.complete(error);
            });
            assertThat(await(woken)).isNull();
            assertThat(new String(Peers.readExactly(socket.getInputStream(), 5))).isEqualTo("hello");
            assertThat(events).endsWith("onTraffic 5", "callback");
        }
    }
}
