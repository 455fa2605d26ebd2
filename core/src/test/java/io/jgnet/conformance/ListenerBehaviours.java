package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.inBackground;
import static io.jgnet.conformance.Peers.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.Jgnet;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener kinds: several at once (rotate), UDP (served and dialed), unix sockets. */
interface ListenerBehaviours extends Harness {

    @Test
    default void rotateServesTcpUdpAndUnixAtOnceWithOneHandler(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("rotate.sock");
        CompletableFuture<Engine> booted = new CompletableFuture<>();
        Recorder server = new Recorder() {
            @Override
            public Action onBoot(Engine engine) {
                booted.complete(engine);
                return Action.NONE;
            }
        };
        CompletableFuture<Void> running = inBackground(() -> {
            Jgnet.rotate(server, List.of("tcp://127.0.0.1:0", "udp://127.0.0.1:0", "unix://" + path),
                    options().loops(2).build());
            return null;
        });
        running.whenComplete((done, failure) -> booted.completeExceptionally(
                failure != null ? failure : new AssertionError("rotate returned before onBoot")));
        Engine engine = await(booted);
        track(engine);

        List<SocketAddress> addresses = engine.listenAddresses();
        assertThat(addresses).hasSize(3);
        assertThat(addresses.get(2)).isEqualTo(UnixDomainSocketAddress.of(path));
        try (Socket tcp = Peers.connect((InetSocketAddress) addresses.get(0))) {
            assertThat(Peers.echo(tcp, "over tcp")).isEqualTo("over tcp");
        }
        try (DatagramSocket udp = Peers.datagramSocket()) {
            Peers.send(udp, (InetSocketAddress) addresses.get(1), "over udp".getBytes());
            assertThat(new String(Peers.receive(udp))).isEqualTo("over udp");
        }
        try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            unix.connect(addresses.get(2));
            Peers.sink(unix).write("over unix".getBytes(), 0, 9);
            assertThat(new String(Peers.readExactly(unix, 9))).isEqualTo("over unix");
        }
        assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
        await(running);
    }

    @Test
    default void udpAnswersEachDatagramToItsSenderWithOneOnTrafficPerDatagram() throws Exception {
        Queue<Integer> sizes = new ConcurrentLinkedQueue<>();
        Queue<SocketAddress> senders = new ConcurrentLinkedQueue<>();
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                sizes.add(conn.inboundBuffered());
                senders.add(conn.remoteAddress());
                return super.onTraffic(conn);
            }
        };
        Engine engine = serve(server, options().loops(2).build(), "udp://127.0.0.1:0");
        InetSocketAddress address = Peers.inet(engine);
        int[] lengths = {1, 17, 512, 1400};
        List<Integer> sent = new ArrayList<>();
        Set<SocketAddress> clientAddresses = new HashSet<>();
        List<DatagramSocket> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                clients.add(Peers.datagramSocket());
                clientAddresses.add(clients.get(c).getLocalSocketAddress());
            }
            for (int c = 0; c < clients.size(); c++) {
                DatagramSocket client = clients.get(c);
                for (int length : lengths) {
                    byte[] datagram = randomBytes(c * 10_000L + length, length);
                    Peers.send(client, address, datagram);
                    sent.add(length);
                    assertSameBytes(Peers.receive(client), datagram);
                }
                // Two back to back: two onTraffic calls and two answers, never one merged datagram.
                byte[] first = randomBytes(c, 100);
                byte[] second = randomBytes(c + 1, 200);
                Peers.send(client, address, first);
                Peers.send(client, address, second);
                sent.add(100);
                sent.add(200);
                List<byte[]> replies = List.of(Peers.receive(client), Peers.receive(client));
                assertThat(replies).extracting(reply -> reply.length).containsExactlyInAnyOrder(100, 200);
                for (byte[] reply : replies) {
                    assertSameBytes(reply, reply.length == 100 ? first : second);
                }
            }
        } finally {
            Peers.closeAll(clients);
        }
        assertThat(sizes).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(new HashSet<>(senders)).isEqualTo(clientAddresses);
        assertThat(server.opens.get()).as("no onOpen for a listener's datagrams").isZero();
    }

    @Test
    default void dialedUdpConnectionTalksToAUdpServer() throws Exception {
        Engine server = serve(new Recorder(), options().build(), "udp://127.0.0.1:0");
        BlockingQueue<byte[]> replies = new LinkedBlockingQueue<>();
        Recorder clientHandler = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                byte[] copy = new byte[conn.inboundBuffered()];
                conn.next(-1).get(copy);
                replies.add(copy);
                return Action.NONE;
            }
        };
        Engine client = client(clientHandler, options().build());
        Conn conn = client.dial("udp://127.0.0.1:" + Peers.inet(server).getPort());
        assertThat(clientHandler.opens.get()).as("onOpen ran before dial returned").isEqualTo(1);
        assertThat(conn.remoteAddress()).isEqualTo(Peers.inet(server));
        for (int i = 0; i < 5; i++) {
            byte[] datagram = randomBytes(i, 1400 - 300 * i);
            CompletableFuture<Throwable> written = new CompletableFuture<>();
            conn.asyncWrite(datagram.clone(), (c, error) -> written.complete(error));
            assertThat(await(written)).isNull();
            byte[] reply = replies.poll(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(reply).as("reply %d", i).isNotNull();
            assertSameBytes(reply, datagram);
        }
    }

    @Test
    default void unixSocketEchoesAndItsFileIsRemovedAfterStop(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("echo.sock");
        EchoBehaviours.PiecemealEcho server = new EchoBehaviours.PiecemealEcho(3);
        Engine engine = serve(server, options().loops(2).build(), "unix://" + path);
        assertThat(path).exists();
        byte[] payload = randomBytes(3, 200_000);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            CompletableFuture<Void> writer = inBackground(() -> {
                Peers.writeInRandomChunks(Peers.sink(channel), payload, new Random(3));
                return null;
            });
            byte[] echoed = Peers.readExactly(channel, payload.length);
            await(writer);
            assertSameBytes(echoed, payload);
        }
        server.closes.awaitAtLeast(1);
        assertThat(server.causes()).containsExactly((Throwable) null);
        assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(path).doesNotExist();
    }
}
