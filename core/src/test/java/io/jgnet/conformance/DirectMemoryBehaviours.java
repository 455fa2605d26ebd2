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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server out of direct memory (issue 15): peers that send without reading make their
 * connections' output grow (or, with a handler that consumes nothing, their input) until the
 * JVM's direct memory is gone. The connection whose buffer cannot grow closes with a clear cause, the others (and the loop) go on. The server runs in its
 * own JVM ({@link DirectMemoryLimitedServer}) with {@code -XX:MaxDirectMemorySize} below what
 * the hogs' caps allow; this JVM plays the peers.
 */
interface DirectMemoryBehaviours extends Harness {
    int MIB = 1024 * 1024;
    /** The server's direct memory, and each connection's write and inbound cap: three hogs need more than there is. */
    int DIRECT_MEMORY = 24 * MIB;
    int CAP = 16 * MIB;
    int HOGS = 3;

    /** Which buffer runs out: output that the peer does not read (echo), or input the handler does not consume (hold). */
    @ParameterizedTest
    @ValueSource(strings = {"echo", "hold"})
    default void aConnectionThatCannotGetDirectMemoryClosesWithAClearCauseAndTheOthersGoOn(String buffer) throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (ServerJvm server = ServerJvm.start(List.of("-Xmx128m", "-XX:MaxDirectMemorySize=" + DIRECT_MEMORY),
                DirectMemoryLimitedServer.class, transport().name(),
                String.valueOf(options().build().epoll().edgeTriggered()), String.valueOf(CAP), buffer)) {
            InetSocketAddress address = server.address();
            BufferedReader out = server.out();
            // The causes come on standard output; standard error is drained so that the server never blocks on it.
            Peers.inBackground(() -> server.process().getErrorStream().transferTo(OutputStream.nullOutputStream()));
            ConcurrentLinkedQueue<String> closes = new ConcurrentLinkedQueue<>();
            CountDownLatch outOfMemory = new CountDownLatch(1);
            Peers.inBackground(() -> {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    closes.add(line);
                    if (line.contains("OutOfMemoryError") && line.contains("direct buffer memory")) {
                        outOfMemory.countDown();
                    }
                }
                return null;
            });

            Socket bystander = Peers.connect(address);
            clients.add(bystander);
            assertThat(Peers.echo(bystander, "before")).isEqualTo("before");
            List<CompletableFuture<Long>> hogs = new ArrayList<>();
            for (int i = 0; i < HOGS; i++) {
                Socket hog = Peers.connect(address);
                clients.add(hog);
                hogs.add(Peers.inBackground(() -> sendUntilCut(hog.getOutputStream())));
            }
            for (CompletableFuture<Long> hog : hogs) {
                await(hog);
            }
            // The cause says it: "OutOfMemoryError: Cannot reserve 8388608 bytes of direct buffer memory (allocated: ..., limit: ...)".
            // The server reads what the kernel holds after the hogs stop sending, and its line comes
            // through a pipe: wait for it rather than look once.
            assertThat(outOfMemory.await(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS))
                    .as("a connection closed for want of direct memory, saying so; the server said %s", closes).isTrue();
            assertThat(server.process().isAlive()).isTrue();
            assertThat(Peers.echo(bystander, "after")).isEqualTo("after");
            try (Socket newcomer = Peers.connect(address)) {
                assertThat(Peers.echo(newcomer, "new")).isEqualTo("new");
            }
        } finally {
            Peers.closeAll(clients);
        }
    }

    /** Sends without reading until the server cuts the connection (or twice the write cap went out). */
    private static long sendUntilCut(OutputStream out) {
        byte[] chunk = new byte[256 * 1024];
        Arrays.fill(chunk, (byte) 'H'); // what the "hold" server keeps unread
        long sent = 0;
        try {
            while (sent < 2L * CAP) {
                out.write(chunk);
                sent += chunk.length;
            }
        } catch (IOException cut) {
            // reset or broken pipe: the server closed the connection
        }
        return sent;
    }
}
