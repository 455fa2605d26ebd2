package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.inBackground;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * What a peer sees when the server ends a connection cleanly, the same on every transport: every
 * byte written, then FIN (end of stream), even when the peer is still sending: the server reads
 * and drops what arrives after its FIN until the peer closes or has acknowledged everything,
 * since a socket closed with unread input, or receiving input after its close, resets the
 * connection and throws away output the kernel had not delivered. Covers the
 * engine's graceful stop under streaming clients (nothing the server accepted is lost) and a
 * proxy-like close when a backend refuses (the client sees end of stream, not a reset).
 */
interface GracefulStopBehaviours extends Harness {
    int STREAMS = 16;
    /** Echoed to each reader before the stop, so the stop lands mid-stream on every connection. */
    int BEFORE_STOP = 256 * 1024;
    /** The most a writer sends: the stop comes long before. */
    long WRITER_LIMIT = 64L << 20;

    /** What the server read from one connection (and so echoed): touched on its loop only. */
    final class Accepted {
        final CRC32 crc = new CRC32();
        long bytes;
        volatile Throwable closeCause;
    }

    /** Echoes with backpressure, keeping the count and checksum of every byte it accepted, per client port. */
    final class CountingEcho implements EventHandler {
        final Map<Integer, Accepted> byClientPort = new ConcurrentHashMap<>();

        @Override
        public Action onOpen(Conn conn) {
            Accepted accepted = new Accepted();
            conn.context(accepted);
            byClientPort.put(((InetSocketAddress) conn.remoteAddress()).getPort(), accepted);
            return Action.NONE;
        }

        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer data = conn.next(-1);
            Accepted accepted = (Accepted) conn.context();
            accepted.crc.update(data.duplicate());
            accepted.bytes += data.remaining();
            conn.write(data);
            if (!conn.isWritable()) {
                conn.suspendReading(); // backpressure: a reader slower than its writer is not cut at the cap
            }
            return Action.NONE;
        }

        @Override
        public Action onClose(Conn conn, Throwable cause) {
            ((Accepted) conn.context()).closeCause = cause;
            return Action.NONE;
        }

        @Override
        public Action onWritable(Conn conn) {
            conn.resumeReading();
            return Action.NONE;
        }
    }

    /** One streaming client: what it got back and how its input ended. */
    final class Stream {
        final Socket socket;
        final CRC32 crc = new CRC32();
        long echoed;
        /** "EOF" or the exception that ended reading. */
        String readEnd;
        /** "limit" or the exception that ended writing. */
        String writeEnd;

        Stream(Socket socket) {
            this.socket = socket;
        }

        String read(CountDownLatch warmedUp) {
            byte[] buffer = new byte[64 * 1024];
            boolean counted = false;
            try {
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    crc.update(buffer, 0, n);
                    echoed += n;
                    if (!counted && echoed >= BEFORE_STOP) {
                        counted = true;
                        warmedUp.countDown();
                    }
                }
                readEnd = "EOF";
                socket.close(); // as a client does at end of stream: the server may stop lingering
            } catch (IOException e) {
                readEnd = e.toString();
            }
            if (!counted) {
                warmedUp.countDown();
            }
            return readEnd;
        }

        String write(long seed) {
            Random random = new Random(seed);
            byte[] chunk = new byte[16 * 1024];
            try {
                OutputStream out = socket.getOutputStream();
                for (long sent = 0; sent < WRITER_LIMIT; sent += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
                writeEnd = "limit";
            } catch (IOException e) {
                writeEnd = e.getClass().getSimpleName();
            }
            return writeEnd;
        }
    }

    @Test
    default void gracefulStopUnderStreamingPeersEchoesEveryAcceptedByteThenSendsFin() throws Exception {
        CountingEcho server = new CountingEcho();
        Engine engine = serve(server, options().loops(2).build(), "tcp://127.0.0.1:0");
        List<Stream> streams = new ArrayList<>();
        List<CompletableFuture<String>> readers = new ArrayList<>();
        List<CompletableFuture<String>> writers = new ArrayList<>();
        CountDownLatch warmedUp = new CountDownLatch(STREAMS);
        try {
            for (int i = 0; i < STREAMS; i++) {
                Stream stream = new Stream(Peers.connect(Peers.inet(engine)));
                stream.socket.setSoTimeout((int) Peers.GUARD.toMillis());
                streams.add(stream);
                long seed = i;
                readers.add(inBackground(() -> stream.read(warmedUp)));
                writers.add(inBackground(() -> stream.write(seed)));
            }
            Peers.await(warmedUp, "every stream echoing");

            boolean sentEverything = engine.stop(Duration.ofSeconds(15));

            long accepted = 0;
            long echoed = 0;
            int ends = 0;
            for (int i = 0; i < STREAMS; i++) {
                Stream stream = streams.get(i);
                await(readers.get(i));
                await(writers.get(i));
                Accepted got = server.byClientPort.get(stream.socket.getLocalPort());
                assertThat(stream.echoed).as("stream %d: bytes echoed vs accepted (input ended: %s, output: %s, server's close: %s)", i,
                        stream.readEnd, stream.writeEnd, got.closeCause).isEqualTo(got.bytes);
                assertThat(stream.crc.getValue()).as("stream %d: checksum", i).isEqualTo(got.crc.getValue());
                assertThat(stream.readEnd).as("stream %d: its input ends with FIN", i).isEqualTo("EOF");
                accepted += got.bytes;
                echoed += stream.echoed;
                ends += stream.writeEnd.equals("limit") ? 0 : 1;
            }
            assertThat(sentEverything).as("stop reports no cut").isTrue();
            System.out.printf("%s graceful stop: %d streams, %d KiB accepted, %d KiB echoed back, %d/%d inputs"
                    + " ended with EOF, %d writers then saw a reset%n", transport(), STREAMS, accepted / 1024,
                    echoed / 1024, STREAMS, STREAMS, ends);
        } finally {
            for (Stream stream : streams) {
                stream.socket.close();
            }
        }
    }

    @Test
    default void aConnectionClosedBecauseItsBackendRefusedEndsWithFinEvenWithUnreadInput() throws Exception {
        int refusingPort;
        try (ServerSocket closedSoon = new ServerSocket(0)) {
            refusingPort = closedSoon.getLocalPort();
        }
        EventHandler proxy = new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                conn.suspendReading(); // like a proxy: the client's bytes wait for the backend
                conn.eventLoop().dial("tcp://127.0.0.1:" + refusingPort, null)
                        .whenComplete((backend, failure) -> conn.close());
                return Action.NONE;
            }
        };
        Engine engine = serve(proxy, options().loops(1).build(), "tcp://127.0.0.1:0");
        for (int i = 0; i < 5; i++) {
            try (Socket client = Peers.connect(Peers.inet(engine))) {
                client.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
                assertThat(client.getInputStream().read()).as("attempt %d: end of stream, not a reset", i).isEqualTo(-1);
            }
        }
    }
}
