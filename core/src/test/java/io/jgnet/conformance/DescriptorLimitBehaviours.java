package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A server that runs out of file descriptors (issue 11, fault 5) keeps serving the connections
 * it has, does not spin on the listener, and accepts again once clients leave. The server runs
 * in its own JVM ({@link DescriptorLimitedServer}) with a descriptor limit a little above what
 * it has open; this JVM plays the clients.
 */
interface DescriptorLimitBehaviours extends Harness {

    /** The log line that ends an out-of-descriptors episode: how long it lasted and the accepts refused in it. */
    Pattern EPISODE_ENDED = Pattern.compile("ran out of file descriptors .*? for (\\d+) ms: (\\d+) accepts refused");

    @Test
    default void aServerOutOfDescriptorsServesItsConnectionsBacksOffAndAcceptsAgain() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (ServerJvm server = ServerJvm.start(List.of("-Xmx128m"), DescriptorLimitedServer.class,
                transport().name(), String.valueOf(options().build().epoll().edgeTriggered()))) {
            InetSocketAddress address = server.address();
            int limit = Integer.parseInt(server.ready()[1]);
            StringBuffer log = new StringBuffer();
            CompletableFuture<Long> refusals = Peers.inBackground(() -> refusalsLogged(server.process(), log));
            try {
                exhaustAndRecover(address, limit, clients, refusals, server.process().pid());
            } catch (Throwable t) {
                throw new AssertionError(t.getMessage() + "; the server's log:\n" + log, t);
            }
            assertThat(server.process().isAlive()).isTrue();
        } finally {
            Peers.closeAll(clients);
        }
    }

    private static void exhaustAndRecover(InetSocketAddress address, int limit, List<Socket> clients,
            CompletableFuture<Long> refusals, long pid) throws Exception {
        // More clients than the server has descriptors: the kernel queues the rest.
        int total = limit + 16;
        for (int i = 0; i < total; i++) {
            clients.add(Peers.connect(address));
        }
        assertThat(Peers.echo(clients.get(0), "first")).isEqualTo("first");
        awaitAllDescriptorsTaken(pid, limit);
        // Out of descriptors, the connections it has are still served.
        assertThat(Peers.echo(clients.get(1), "while exhausted")).isEqualTo("while exhausted");

        // Clients leave; every one still waiting is accepted and served.
        int leaving = total - 20;
        for (int i = 0; i < leaving; i++) {
            clients.get(i).close();
        }
        for (int i = leaving; i < total; i++) {
            assertThat(Peers.echo(clients.get(i), "client " + i)).isEqualTo("client " + i);
        }
        assertThat(await(refusals)).as("accepts refused beyond one per retry delay: the listener was not left"
                + " polled while no descriptor was free").isZero();
    }

    /**
     * Reads the server's log until the line that ends the episode, and returns how many more
     * accepts it refused than a listener polled once per retry delay would have (0 if none).
     */
    private static long refusalsLogged(Process server, StringBuffer seen) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            seen.append(line).append('\n');
            Matcher matcher = EPISODE_ENDED.matcher(line);
            if (matcher.find()) {
                long millis = Long.parseLong(matcher.group(1));
                long refused = Long.parseLong(matcher.group(2));
                // One refusal starts the episode, then at most one per retry (100 ms); allow twice that.
                long allowed = 1 + 2 * (millis / 100 + 1);
                return Math.max(0, refused - allowed);
            }
        }
        throw new AssertionError("the server's log ended without saying the episode ended");
    }

    /** Waits (bounded by the guard) until every descriptor number below the limit is in use in {@code pid}. */
    private static void awaitAllDescriptorsTaken(long pid, int limit) throws IOException {
        long deadline = System.nanoTime() + Peers.GUARD.toNanos();
        while (countBelow(pid, limit) < limit) {
            assertThat(System.nanoTime() - deadline).as("the server used up its descriptors").isNegative();
            Thread.onSpinWait();
        }
    }

    private static int countBelow(long pid, int limit) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> open = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : open) {
                if (Integer.parseInt(fd.getFileName().toString()) < limit) {
                    count++;
                }
            }
        }
        return count;
    }
}
