package io.jgnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat example under abuse: 200 clients send garbage full of line ends (each line is fanned
 * out to every member) and never read, a few members never read either. Members that cannot keep
 * up are dropped, so the server's memory stays bounded, and a client that joins in the middle of
 * the flood still gets its welcome.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatBackpressureTest {
    private static final int GARBAGE_SENDERS = 200;
    private static final int SILENT_MEMBERS = 5;
    /** Garbage per sender: with a line end every 60 bytes on average, about 1,000 lines each. */
    private static final int GARBAGE_BYTES = 64 * 1024;
    /** Small kernel buffers on both ends, so that what a member cannot take waits in the server. */
    private static final int SOCKET_BUFFER = 16 * 1024;
    private static final int LOOPS = 2;
    private static final long MIB = 1024 * 1024;
    /**
     * What the process may grow by: every member's output up to the chat's limit, twice (in its
     * mailbox on the heap, then in its output buffer), plus each loop's fixed allowance (its
     * pool's idle buffers, its read buffer), plus room for the heap to grow under the flood's
     * garbage. Without backpressure every line for a member that does not read is kept until its
     * 16 MiB write cap: gigabytes for 200 members.
     */
    private static final long MEMORY_BOUND = 2L * (GARBAGE_SENDERS + SILENT_MEMBERS + 1) * ChatServer.MAX_PENDING
            + LOOPS * 65 * MIB + 512 * MIB;

    private Engine engine;

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void membersThatCannotKeepUpAreDroppedAndANewcomerStillGetsItsWelcome() throws Exception {
        engine = Jgnet.start(new ChatServer(), "tcp://127.0.0.1:0",
                Options.builder().loops(LOOPS).socketBuffers(SOCKET_BUFFER, 0).build());
        InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
        long residentBefore = resident();

        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < SILENT_MEMBERS; i++) {
            Socket member = new Socket();
            member.setReceiveBufferSize(4096);
            member.connect(address);
            silent.add(member);
        }
        Flood flood = new Flood(address);
        CompletableFuture<Void> midway = new CompletableFuture<>();
        CompletableFuture<Long> flooded = CompletableFuture.supplyAsync(() -> flood.run(midway));

        midway.get(60, TimeUnit.SECONDS);
        long joined = System.nanoTime();
        String welcome;
        try (Socket newcomer = new Socket()) {
            newcomer.setSoTimeout(60_000); // a guard against a hang, not a timing assertion
            newcomer.connect(address);
            welcome = new BufferedReader(new InputStreamReader(newcomer.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
        long welcomeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined);
        long peakGrowth = flooded.get(100, TimeUnit.SECONDS) - residentBefore;

        System.out.printf("chat flood: %d senders x %d KiB (%d lines), %d of them dropped by the server;"
                        + " newcomer welcomed after %d ms; peak RSS +%d MiB (bound %d MiB)%n",
                GARBAGE_SENDERS, GARBAGE_BYTES / 1024, flood.lines, flood.dropped, welcomeMillis,
                peakGrowth / MIB, MEMORY_BOUND / MIB);
        assertThat(welcome).startsWith("welcome, guest-");
        assertThat(peakGrowth).as("growth of the process (server and clients) at its peak").isLessThan(MEMORY_BOUND);
        for (Socket member : silent) {
            member.setSoTimeout(20_000); // a guard: a member never dropped fails here
            assertThat(readsToTheEnd(member.getInputStream()))
                    .as("a silent member is dropped, so its input ends").isTrue();
            member.close();
        }
        assertThat(flood.dropped).as("garbage senders dropped (they never read)").isPositive();
    }

    /** True if the stream ends (EOF or reset) after whatever the server sent before the drop. */
    private static boolean readsToTheEnd(InputStream in) {
        byte[] sink = new byte[64 * 1024];
        try {
            while (in.read(sink) >= 0) {
                // drain what was sent before the drop
            }
            return true;
        } catch (IOException reset) {
            return !(reset instanceof java.net.SocketTimeoutException);
        }
    }

    /** The process's resident memory (the loops' buffers are off-heap slabs no MXBean counts). */
    static long resident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** The garbage senders: one selector, each sends its share and never reads. */
    private static final class Flood {
        private final InetSocketAddress address;
        private final Random random = new Random(20261205);
        /** Senders whose input ended (EOF or reset) after their garbage was sent: the server dropped them. */
        int dropped;
        long lines;

        Flood(InetSocketAddress address) {
            this.address = address;
        }

        /** Sends everything (or until each sender is cut); returns the peak resident memory seen. */
        long run(CompletableFuture<Void> midway) {
            try (Selector selector = Selector.open()) {
                List<SocketChannel> senders = new ArrayList<>();
                for (int i = 0; i < GARBAGE_SENDERS; i++) {
                    SocketChannel sender = SocketChannel.open();
                    sender.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                    sender.connect(address);
                    sender.configureBlocking(false);
                    sender.register(selector, SelectionKey.OP_WRITE, garbage());
                    senders.add(sender);
                }
                long total = (long) GARBAGE_SENDERS * GARBAGE_BYTES;
                long sent = 0;
                long peak = resident();
                int open = GARBAGE_SENDERS;
                while (open > 0) {
                    selector.select(1000);
                    for (SelectionKey key : selector.selectedKeys()) {
                        ByteBuffer rest = (ByteBuffer) key.attachment();
                        try {
                            sent += ((SocketChannel) key.channel()).write(rest);
                        } catch (IOException closedByServer) {
                            sent += rest.remaining();
                            rest.position(rest.limit());
                        }
                        if (!rest.hasRemaining()) {
                            key.interestOps(0);
                            open--;
                        }
                    }
                    selector.selectedKeys().clear();
                    if (sent >= total / 2) {
                        midway.complete(null);
                    }
                    peak = Math.max(peak, resident());
                }
                midway.complete(null);
                dropped = countEnded(selector, senders);
                for (SocketChannel sender : senders) {
                    sender.close();
                }
                return peak;
            } catch (IOException e) {
                midway.completeExceptionally(e);
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Reads every sender until its input ends; those still open after a quiet 5 s were not dropped. */
        private static int countEnded(Selector selector, List<SocketChannel> senders) throws IOException {
            for (SelectionKey key : selector.keys()) {
                key.interestOps(SelectionKey.OP_READ);
            }
            ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
            int ended = 0;
            while (ended < senders.size() && selector.select(5000) > 0) {
                for (SelectionKey key : selector.selectedKeys()) {
                    int n;
                    try {
                        n = ((SocketChannel) key.channel()).read(sink.clear());
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        ended++;
                    }
                }
                selector.selectedKeys().clear();
            }
            return ended;
        }

        /** Random printable bytes with a line end every 1 to 120 bytes. */
        private ByteBuffer garbage() {
            byte[] bytes = new byte[GARBAGE_BYTES];
            int untilLineEnd = 1 + random.nextInt(120);
            for (int i = 0; i < bytes.length; i++) {
                if (--untilLineEnd == 0) {
                    bytes[i] = '\n';
                    untilLineEnd = 1 + random.nextInt(120);
                    lines++;
                } else {
                    bytes[i] = (byte) (' ' + random.nextInt(95));
                }
            }
            return ByteBuffer.wrap(bytes);
        }
    }
}
