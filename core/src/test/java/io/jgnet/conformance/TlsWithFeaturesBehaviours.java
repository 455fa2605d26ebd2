package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.ConnectionTimeoutException;
import io.jgnet.ConnectionTimeoutException.Kind;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.conformance.FileBehaviours.Files100;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Features meeting TLS on every transport: file regions sent over TLS (read and encrypted a
 * record at a time, in order among writes, counted against the watermarks, closed with the
 * connection), connection timeouts on a TLS connection, and offloaded work answering in order
 * over TLS.
 */
interface TlsWithFeaturesBehaviours extends TlsBehaviours, OffloadBehaviours {

    /** The first complete line of the handler's input, consumed; null while none has arrived. */
    private static String nextLine(Conn conn) {
        ByteBuffer all = conn.peek(-1);
        for (int i = all.position(); i < all.limit(); i++) {
            if (all.get(i) == '\n') {
                ByteBuffer line = conn.next(i - all.position() + 1);
                return StandardCharsets.US_ASCII.decode(line).toString().trim();
            }
        }
        return null;
    }

    @Test
    default void fileRegionsOverTlsArriveExactlyAndInOrderAmongWrites() throws Exception {
        Files100.open().close(); // made here, not on the loop
        // F position length: that region of the big file; W text: the text.
        Engine engine = serveTls(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                String command;
                while ((command = nextLine(conn)) != null) {
                    String[] parts = command.split(" ");
                    if (parts[0].equals("F")) {
                        conn.sendFile(Files100.open(), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    } else {
                        conn.write(parts[1].getBytes(StandardCharsets.US_ASCII));
                    }
                }
                return Action.NONE;
            }
        }, serverTls().build());
        long middle = Files100.SIZE / 2 - 12_345;
        // More than a MiB each (many records, past WRAP_AHEAD), odd lengths, an empty and a one-byte region.
        List<long[]> regions = List.of(new long[] {3, (1 << 20) + 7}, new long[] {0, 0}, new long[] {Files100.SIZE - 1, 1},
                new long[] {middle, 5_000_001});
        try (SSLSocket socket = TlsBehaviours.sslSocket(engine)) {
            // All asked for at once: the writes must wait behind the files queued before them.
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < regions.size(); i++) {
                script.append("W <").append(i).append("\nF ").append(regions.get(i)[0]).append(' ')
                        .append(regions.get(i)[1]).append("\nW >\n");
            }
            socket.getOutputStream().write(script.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            for (int i = 0; i < regions.size(); i++) {
                long[] region = regions.get(i);
                assertThat(new String(Peers.readExactly(in, 2), StandardCharsets.US_ASCII)).isEqualTo("<" + i);
                assertThat(FileBehaviours.readDigest(in, region[1])).as("region at %d of %d bytes", region[0], region[1])
                        .isEqualTo(Files100.digest(region[0], region[1]));
                assertThat(new String(Peers.readExactly(in, 1), StandardCharsets.US_ASCII)).isEqualTo(">");
            }
        }
    }

    @Test
    default void aFileOverTlsCountsAgainstTheWatermarksAndIsClosedWithTheConnection() throws Exception {
        Files100.open().close(); // made here, not on the loop
        CompletableFuture<FileChannel> sent = new CompletableFuture<>();
        CompletableFuture<Boolean> writableAfterSend = new CompletableFuture<>();
        CompletableFuture<Integer> bufferedAfterSend = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.next(-1);
                FileChannel file = Files100.open();
                conn.sendFile(file, 0, Files100.SIZE);
                writableAfterSend.complete(conn.isWritable());
                bufferedAfterSend.complete(conn.outboundBuffered());
                sent.complete(file);
                return Action.NONE;
            }
        };
        Engine engine = serveTls(server, serverTls().build());
        try (SSLSocket socket = TlsBehaviours.sslSocket(engine)) {
            socket.getOutputStream().write("go".getBytes(StandardCharsets.US_ASCII));
            // A first share of the file arrives: it is being read and encrypted...
            assertThat(FileBehaviours.readDigest(socket.getInputStream(), 100_000)).isEqualTo(Files100.digest(0, 100_000));
            // ...yet the whole region counted as waiting output when it was queued.
            assertThat(await(bufferedAfterSend)).isEqualTo((int) Files100.SIZE);
            assertThat(await(writableAfterSend)).as("100 MiB pending is above the high watermark").isFalse();
            FileChannel file = await(sent);
            Conn conn = server.connOf(socket);
            socket.close();
            await(server.closeOf(conn));
            assertThat(file.isOpen()).as("the file of a connection closed mid-region").isFalse();
        }
    }

    @Test
    default void idleAndReadTimeoutsCloseTlsConnectionsNamingTheTimeout() throws Exception {
        // Longer than the plaintext cases' 200 ms: a first handshake on a loaded machine is slow.
        Duration timeout = Duration.ofSeconds(1);
        Recorder server = new Recorder();
        Engine idle = serve(server, options().tls(serverTls().build()).timeouts(t -> t.idle(timeout)).build(),
                "tls://127.0.0.1:0");
        Engine read = serve(server, options().tls(serverTls().build()).timeouts(t -> t.read(timeout)).build(),
                "tls://127.0.0.1:0");
        try (SSLSocket quiet = TlsBehaviours.sslSocket(idle); SSLSocket served = TlsBehaviours.sslSocket(read)) {
            quiet.startHandshake();
            assertThat(Peers.echo(served, "served over tls first")).isEqualTo("served over tls first");
            assertThat(await(server.closeOf(server.connOf(quiet))))
                    .isInstanceOfSatisfying(ConnectionTimeoutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IDLE));
            assertThat(await(server.closeOf(server.connOf(served))))
                    .isInstanceOfSatisfying(ConnectionTimeoutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READ));
            // Closed after close_notify: the peers read a clean end of stream, not a reset.
            Peers.assertEndOfStream(quiet.getInputStream());
            Peers.assertEndOfStream(served.getInputStream());
        }
    }

    @Test
    default void writeTimeoutClosesATlsConnectionWhosePeerStopsReading() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        byte[] flood = new byte[8 << 20];
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.next(-1);
                // Far more than the socket buffers and the records encrypted ahead hold: output waits.
                conn.write(flood);
                return Action.NONE;
            }
        };
        Engine engine = serve(server, options().tls(serverTls().build()).timeouts(t -> t.write(timeout)).build(),
                "tls://127.0.0.1:0");
        try (SSLSocket client = TlsBehaviours.sslSocket(engine)) {
            client.getOutputStream().write('x'); // and never reads
            assertThat(await(server.closeOf(server.connOf(client))))
                    .isInstanceOfSatisfying(ConnectionTimeoutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.WRITE));
        }
    }

    @Test
    default void offloadedRepliesOverTlsKeepRequestOrder() throws Exception {
        answersPipelinedRequestsInOrder(options().tls(serverTls().build()), "tls://127.0.0.1:0", TlsBehaviours::sslSocket);
    }
}
