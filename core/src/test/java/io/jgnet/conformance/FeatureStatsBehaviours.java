package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.readExactly;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.EventLoop;
import io.jgnet.LoopStats;
import io.jgnet.conformance.FileBehaviours.Files100;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * {@link Engine#stats()} for the features that came after it: a TLS connection counts its
 * plaintext, and file regions and datagrams sent with sendTo count as bytes out. Snapshots are taken on the loop, after the traffic.
 */
interface FeatureStatsBehaviours extends TlsBehaviours {

    private static LoopStats statsOnLoop(Engine engine) throws Exception {
        CompletableFuture<List<LoopStats>> taken = new CompletableFuture<>();
        EventLoop loop = engine.eventLoops().getFirst();
        loop.execute(() -> taken.complete(engine.stats()));
        return await(taken).getFirst();
    }

    @Test
    default void aTlsConnectionCountsItsPlaintextNotItsRecords() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(1).tls(serverTls().build()).build(), "tls://127.0.0.1:0");
        int rounds = 20;
        int size = 1000;
        try (SSLSocket client = TlsBehaviours.sslSocket(engine)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < rounds; i++) {
                out.write(Peers.randomBytes(i, size));
                readExactly(in, size);
            }
            LoopStats stats = statsOnLoop(engine);
            assertThat(stats.bytesIn()).as("plaintext decrypted").isEqualTo((long) rounds * size);
            assertThat(stats.bytesOut()).as("plaintext encrypted").isEqualTo((long) rounds * size);
            assertThat(stats.pendingOutput()).isZero();
        }
    }

    @Test
    default void fileBytesCountAsBytesOutOnPlainAndTlsConnections() throws Exception {
        Files100.open().close(); // made here, not on the loop
        long length = 3_000_001;
        EventHandler sender = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.next(-1);
                conn.sendFile(Files100.open(), 7, length);
                return Action.NONE;
            }
        };
        Engine plain = serve(sender, options().loops(1).build(), "tcp://127.0.0.1:0");
        Engine tls = serve(sender, options().loops(1).tls(serverTls().build()).build(), "tls://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(plain)); SSLSocket secure = TlsBehaviours.sslSocket(tls)) {
            for (Socket client : List.of(socket, secure)) {
                client.getOutputStream().write('x');
                readExactly(client.getInputStream(), (int) length);
            }
            assertThat(statsOnLoop(plain).bytesOut()).isEqualTo(length);
            assertThat(statsOnLoop(tls).bytesOut()).isEqualTo(length);
            assertThat(statsOnLoop(tls).bytesIn()).isEqualTo(1);
        }
    }

    @Test
    default void datagramsSentWithSendToCountAsWrites() throws Exception {
        try (DatagramSocket other = Peers.datagramSocket(); DatagramSocket asker = Peers.datagramSocket()) {
            SocketAddress otherAddress = other.getLocalSocketAddress();
            Engine engine = serve(new EventHandler() {
                @Override
                public Action onTraffic(Conn conn) {
                    conn.sendTo(otherAddress, conn.next(-1));
                    return Action.NONE;
                }
            }, options().loops(1).build(), "udp://127.0.0.1:0");
            Peers.send(asker, Peers.inet(engine), new byte[700]);
            assertThat(Peers.receive(other)).hasSize(700);
            LoopStats stats = statsOnLoop(engine);
            assertThat(stats.bytesOut()).isEqualTo(700);
            assertThat(stats.writes()).isEqualTo(1);
        }
    }
}
