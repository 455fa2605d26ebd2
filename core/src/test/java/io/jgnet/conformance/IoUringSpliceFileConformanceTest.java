package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.TransportKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The file behaviours on io_uring with files sent by IORING_OP_SPLICE through a pipe instead of
 * sendfile(2) ({@code -Djgnet.iouring.fileSending=splice}, read when a loop opens its ring);
 * skipped where io_uring is unavailable. On a kernel without the opcode the loop falls back to
 * sendfile(2) and these pass through that.
 */
class IoUringSpliceFileConformanceTest extends SuiteEngines implements FileBehaviours {
    private static final String PROPERTY = "jgnet.iouring.fileSending";

    /** Runs after the suite's io_uring check, so a skipped test leaves the property unset. */
    @BeforeEach
    void spliceFiles() {
        System.setProperty(PROPERTY, "splice");
    }

    /** The property is read when a loop opens its ring: clearing it before the engines stop is safe. */
    @AfterEach
    void sendfileAgain() {
        System.clearProperty(PROPERTY);
    }

    /**
     * The splice path's short cases, driven for real: a peer that does not read fills the
     * socket (sends come back short or EAGAIN, and the rest waits in the pipe for POLLOUT);
     * the file then shrinks under the queued region, so a fill comes back short (the send
     * linked to it is cancelled and the pipe's bytes go alone) and the next reads nothing. The
     * peer gets a prefix of the file, byte for byte, and the connection ends with a cause that
     * says the file shrank.
     */
    @Test
    void aFileShrinkingMidRegionEndsTheConnectionAfterAnExactPrefix() throws Exception {
        int size = 32 << 20;
        // Past what the socket and a pipe hold before the peer reads; not a chunk boundary, so
        // a fill comes back short; a page boundary, so the truncation zeroes no page in flight.
        int shrunk = (24 << 20) + 3 * 4096;
        byte[] content = new byte[size];
        new Random(30).nextBytes(content);
        Path path = Files.createTempFile("jgnet-splice-shrink", ".bin");
        try {
            Files.write(path, content);
            CompletableFuture<Conn> queued = new CompletableFuture<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            Engine engine = serve(new EventHandler() {
                @Override
                public Action onOpen(Conn conn) {
                    try {
                        conn.sendFile(FileChannel.open(path, StandardOpenOption.READ), 0, size);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    queued.complete(conn);
                    return Action.NONE;
                }

                @Override
                public Action onClose(Conn conn, Throwable cause) {
                    closed.complete(cause);
                    return Action.NONE;
                }
            }, options().build(), "tcp://127.0.0.1:0");
            try (Socket socket = Peers.connect(Peers.inet(engine), Peers.SMALL_SOCKET_BUFFER)) {
                await(queued);
                InputStream in = socket.getInputStream();
                byte[] first = Peers.readExactly(in, 100_000); // the socket is full behind these
                try (FileChannel shrink = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    shrink.truncate(shrunk);
                }
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        rest.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // a reset after the last byte: what arrived is checked below
                }
                byte[] got = new byte[first.length + rest.size()];
                System.arraycopy(first, 0, got, 0, first.length);
                System.arraycopy(rest.toByteArray(), 0, got, first.length, rest.size());
                assertThat(got.length).as("bytes received").isGreaterThanOrEqualTo(100_000).isLessThan(size);
                assertThat(Arrays.equals(got, 0, got.length, content, 0, got.length))
                        .as("what arrived is the file's prefix").isTrue();
            }
            assertThat(await(closed)).isInstanceOf(IOException.class).hasMessageContaining("shrank");
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Override
    public TransportKind transport() {
        return TransportKind.IO_URING;
    }
}
