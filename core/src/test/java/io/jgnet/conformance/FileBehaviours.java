package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Sending file regions with {@link Conn#sendFile}: exact bytes for empty, tiny, huge and
 * mid-file regions, order among writes, watermarks, and the channel closed whatever happens.
 */
interface FileBehaviours extends Harness {

    /** 100 MiB of random bytes, made once per test run and deleted when the JVM exits. */
    final class Files100 {
        static final long SIZE = 100L << 20;
        static final Path PATH = make();

        private static Path make() {
            try {
                Path path = Files.createTempFile("jgnet-sendfile", ".bin");
                path.toFile().deleteOnExit();
                Random random = new Random(14);
                byte[] chunk = new byte[1 << 20];
                try (FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    for (long written = 0; written < SIZE; written += chunk.length) {
                        random.nextBytes(chunk);
                        ByteBuffer buffer = ByteBuffer.wrap(chunk);
                        while (buffer.hasRemaining()) {
                            out.write(buffer);
                        }
                    }
                }
                return path;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static FileChannel open() {
            try {
                return FileChannel.open(PATH, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SHA-256 of {@code [position, position + length)} of the file, read the ordinary way. */
        static String digest(long position, long length) throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            try (FileChannel in = open()) {
                long at = position;
                long end = position + length;
                while (at < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                    int n = in.read(buffer, at);
                    buffer.flip();
                    sha.update(buffer);
                    at += n;
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** SHA-256 of the next {@code length} bytes of {@code in}, failing if it ends first. */
    static String readDigest(InputStream in, long length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            assertThat(n).as("the stream ended with " + left + " of " + length + " bytes unread").isPositive();
            sha.update(buffer, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * A server that obeys one line per command: {@code F position length} sends that region of
     * the big file, {@code W text} writes the text.
     */
    private Engine fileServer() throws IOException {
        return serve(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                ByteBuffer line;
                while ((line = nextLine(conn)) != null) {
                    String command = StandardCharsets.US_ASCII.decode(line).toString().trim();
                    if (command.startsWith("F ")) {
                        String[] parts = command.split(" ");
                        conn.sendFile(Files100.open(), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    } else if (command.startsWith("W ")) {
                        conn.write(command.substring(2).getBytes(StandardCharsets.US_ASCII));
                    }
                }
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
    }

    private static ByteBuffer nextLine(Conn conn) {
        ByteBuffer all = conn.peek(-1);
        for (int i = all.position(); i < all.limit(); i++) {
            if (all.get(i) == '\n') {
                return conn.next(i - all.position() + 1);
            }
        }
        return null;
    }

    @Test
    default void fileRegionsOfZeroOneAndManyBytesArriveExactly() throws Exception {
        Engine engine = fileServer();
        long middle = Files100.SIZE / 2 - 12_345;
        List<long[]> regions = List.of(new long[] {0, 0}, new long[] {0, 1}, new long[] {Files100.SIZE - 1, 1},
                new long[] {middle, 3_000_001});
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            for (long[] region : regions) {
                socket.getOutputStream().write(("F " + region[0] + " " + region[1] + "\nW |\n").getBytes());
                assertThat(readDigest(socket.getInputStream(), region[1]))
                        .as("region at %d of %d bytes", region[0], region[1])
                        .isEqualTo(Files100.digest(region[0], region[1]));
                assertThat(Peers.readExactly(socket.getInputStream(), 1)).as("the write after it").isEqualTo(new byte[] {'|'});
            }
        }
    }

    @Test
    default void aHundredMebibyteFileArrivesExactly() throws Exception {
        Engine engine = fileServer();
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            socket.getOutputStream().write(("F 0 " + Files100.SIZE + "\n").getBytes());
            assertThat(readDigest(socket.getInputStream(), Files100.SIZE)).isEqualTo(Files100.digest(0, Files100.SIZE));
        }
    }

    @Test
    default void fileRegionsKeepTheirPlaceAmongWrites() throws Exception {
        Engine engine = fileServer();
        // Written in one go, so that bytes, regions and bytes queue together behind each other.
        String script = "W head\nF 1000 70000\nW mid\nF 5 3\nF 2000000 1500000\nW tail\n";
        try (Socket socket = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            socket.getOutputStream().write(script.getBytes());
            InputStream in = socket.getInputStream();
            assertThat(new String(Peers.readExactly(in, 4))).isEqualTo("head");
            assertThat(readDigest(in, 70_000)).isEqualTo(Files100.digest(1000, 70_000));
            assertThat(new String(Peers.readExactly(in, 3))).isEqualTo("mid");
            assertThat(readDigest(in, 3)).isEqualTo(Files100.digest(5, 3));
            assertThat(readDigest(in, 1_500_000)).isEqualTo(Files100.digest(2_000_000, 1_500_000));
            assertThat(new String(Peers.readExactly(in, 4))).isEqualTo("tail");
        }
    }

    @Test
    default void aQueuedFileCountsTowardsTheWatermarksUntilSent() throws Exception {
        CompletableFuture<int[]> queued = new CompletableFuture<>();
        CompletableFuture<Integer> writableAgain = new CompletableFuture<>();
        long length = 8L << 20;
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                conn.sendFile(Files100.open(), 0, length);
                queued.complete(new int[] {conn.outboundBuffered(), conn.isWritable() ? 1 : 0});
                return Action.NONE;
            }

            @Override
            public Action onWritable(Conn conn) {
                writableAgain.complete(conn.outboundBuffered());
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            int[] state = await(queued);
            assertThat(state[0]).as("pending bytes include the region").isEqualTo((int) length);
            assertThat(state[1]).as("past the high watermark: not writable").isZero();
            assertThat(readDigest(socket.getInputStream(), length)).isEqualTo(Files100.digest(0, length));
            assertThat(await(writableAgain)).as("below the low watermark when told")
                    .isLessThan(options().build().writeBufferLowWatermark());
        }
    }

    @Test
    default void aPeerClosingMidFileClosesTheConnectionAndTheFile() throws Exception {
        CompletableFuture<FileChannel> sent = new CompletableFuture<>();
        CompletableFuture<Boolean> fileOpenAtClose = new CompletableFuture<>();
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                FileChannel file = Files100.open();
                conn.sendFile(file, 0, Files100.SIZE);
                conn.context(file);
                sent.complete(file);
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                fileOpenAtClose.complete(((FileChannel) conn.context()).isOpen());
                return Action.NONE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
            await(sent);
            Peers.readExactly(socket.getInputStream(), 100_000);
            socket.setSoLinger(true, 0);
        }
        assertThat(await(fileOpenAtClose)).as("the channel is closed with the connection").isFalse();
    }

    @Test
    default void sendFileOwnsTheChannelEvenWhenItRefuses() throws Exception {
        CompletableFuture<Throwable> outOfRange = new CompletableFuture<>();
        CompletableFuture<Boolean> stillOpen = new CompletableFuture<>();
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onOpen(Conn conn) {
                FileChannel file = Files100.open();
                try {
                    conn.sendFile(file, Files100.SIZE - 10, 11);
                } catch (IllegalArgumentException e) {
                    outOfRange.complete(e);
                }
                stillOpen.complete(file.isOpen());
                return Action.CLOSE;
            }
        }, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            assertThat(await(outOfRange)).hasMessageContaining("not within the file");
            assertThat(await(stillOpen)).isFalse();
        }
    }
}
