package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections whose reading the handler suspended in the middle of a fast stream, while their
 * peers keep sending (issue 12): each may hold only a bounded amount of what arrived after the
 * suspension, so a server with little direct memory keeps its loop, serves the others meanwhile,
 * and, once reading resumes, gets every byte of every stream. On io_uring a receive that is not
 * bounded (a multishot receive with no budget) took megabytes after the suspension from a
 * socket whose receive window had grown, and the loop died of the allocation. The server runs in
 * its own JVM ({@link SuspendingServer}); this JVM plays the peers.
 */
interface SuspendedReadingBehaviours extends Harness {
    int MIB = 1024 * 1024;
    int STREAMS = 3;
    /** The bytes after which the server suspends a stream: enough for its receive window to grow. */
    long THRESHOLD = 6L * MIB;
    /** Each stream's bytes after its first ('S'). */
    int STREAM = 16 * MIB;

    @Test
    default void suspendedStreamsHoldBoundedMemoryTheOthersAreServedAndNothingIsLostOnResume() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (ServerJvm server = ServerJvm.start(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=4m"),
                SuspendingServer.class, transport().name(),
                String.valueOf(options().build().epoll().edgeTriggered()), String.valueOf(THRESHOLD))) {
            InetSocketAddress address = server.address();
            BufferedReader out = server.out();
            Peers.inBackground(() -> server.process().getErrorStream().transferTo(OutputStream.nullOutputStream()));
            ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
            Map<Integer, Long> received = new ConcurrentHashMap<>();
            CountDownLatch suspended = new CountDownLatch(STREAMS);
            CountDownLatch ended = new CountDownLatch(STREAMS);
            Peers.inBackground(() -> {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    String[] words = line.split(" ");
                    if (words[0].equals("SUSPENDED")) {
                        suspended.countDown();
                    } else if (words[0].equals("RECEIVED")) {
                        received.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
                        ended.countDown();
                    }
                }
                return null;
            });

            Socket bystander = Peers.connect(address);
            clients.add(bystander);
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            List<CompletableFuture<Void>> streams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                Socket stream = Peers.connect(address);
                clients.add(stream);
                streams.add(Peers.inBackground(() -> {
                    send(stream);
                    return null;
                }));
            }
            assertThat(suspended.await(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS))
                    .as("every stream suspended; the server said %s", lines).isTrue();
            // Its peers keep pushing: the loop must still be there, and serve.
            assertThat(Peers.echo(bystander, "during")).isEqualTo("during");
            assertThat(Peers.echo(bystander, "!resume")).isEqualTo("!resume");
            for (CompletableFuture<Void> stream : streams) {
                await(stream);
            }
            assertThat(ended.await(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS))
                    .as("every stream ended; the server said %s", lines).isTrue();
            for (Socket stream : clients.subList(1, clients.size())) {
                assertThat(received.get(stream.getLocalPort())).as("bytes the server got from %s", stream)
                        .isEqualTo(1L + STREAM);
            }
            assertThat(lines).noneMatch(line -> line.startsWith("CLOSED"));
            assertThat(server.process().isAlive()).isTrue();
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
        } finally {
            Peers.closeAll(clients);
        }
    }

    /** 'S', then {@link #STREAM} bytes as fast as the server takes them, then end of stream. */
    private static void send(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write('S');
        byte[] chunk = new byte[256 * 1024];
        Arrays.fill(chunk, (byte) 's');
        for (int sent = 0; sent < STREAM; sent += chunk.length) {
            out.write(chunk);
        }
        socket.shutdownOutput();
    }
}
