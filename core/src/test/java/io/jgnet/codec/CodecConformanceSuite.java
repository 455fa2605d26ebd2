package io.jgnet.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.CodecException;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.conformance.TlsTestClients;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Codecs over real sockets, run once per transport by a subclass: frames survive arbitrary
 * segmentation, bad input closes only its own connection with a cause naming the codec, and
 * frames copied to a worker can be answered from it. A TLS subclass ({@link #secure()}) runs
 * the same tests with a {@code tls://} listener and JDK SSLSocket clients.
 */
// A separate thread: a test blocked in a socket read is failed, not left hanging.
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class CodecConformanceSuite {
    private final List<Engine> engines = new ArrayList<>();

    /** The transport under test. */
    abstract TransportKind transport();

    @AfterEach
    void stopEngines() throws InterruptedException {
        for (Engine engine : engines) {
            engine.stop(Duration.ofSeconds(10));
        }
    }

    /** Whether listeners serve {@code tls://} and clients speak TLS: the suite's TLS variant. */
    boolean secure() {
        return false;
    }

    @BeforeEach
    void prepareTls() throws IOException {
        if (secure()) {
            TlsTestClients.prepare(); // outside the test's timeout: made once, slowly on a busy machine
        }
    }

    private InetSocketAddress serve(FrameHandler handler) throws IOException {
        Options.Builder options = Options.builder().transport(transport()).loops(2);
        Engine engine = secure()
                ? Jgnet.start(handler, "tls://127.0.0.1:0", options.tls(TlsTestClients.serverTls()).build())
                : Jgnet.start(handler, "tcp://127.0.0.1:0", options.build());
        engines.add(engine);
        return (InetSocketAddress) engine.listenAddresses().get(0);
    }

    @Test
    void lineEchoSurvivesRandomSegmentation() throws Exception {
        InetSocketAddress address = serve(new FrameHandler(Codec.line(1024, true)) {
            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                send(conn, frame);
                return Action.NONE;
            }
        });
        Random random = new Random(42);
        StringBuilder expected = new StringBuilder();
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String line = "line " + i + " " + "x".repeat(random.nextInt(200));
            expected.append(line).append('\n');
            wire.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        byte[] bytes = wire.toString().getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect(address)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readExactly(socket,
                    expected.length()));
            for (int offset = 0; offset < bytes.length; ) {
                int chunk = Math.min(bytes.length - offset, 1 + random.nextInt(300));
                out.write(bytes, offset, chunk);
                out.flush();
                offset += chunk;
            }
            assertThat(new String(received.get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII))
                    .isEqualTo(expected.toString());
        }
    }

    @Test
    void lengthFieldRpcEchoKeepsEveryPayloadIntact() throws Exception {
        Codec codec = Codec.lengthField().maxFrameLength(70_000).build();
        InetSocketAddress address = serve(new FrameHandler(codec) {
            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                send(conn, frame);
                return Action.NONE;
            }
        });
        Random random = new Random(7);
        try (Socket socket = connect(address)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int round = 0; round < 50; round++) {
                // Several requests pipelined in one write, answered in order.
                List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    byte[] payload = new byte[random.nextInt(65_000)];
                    random.nextBytes(payload);
                    sent.add(payload);
                    out.writeInt(payload.length);
                    out.write(payload);
                }
                out.flush();
                for (byte[] payload : sent) {
                    int length = in.readInt();
                    assertThat(length).isEqualTo(payload.length);
                    byte[] echoed = in.readNBytes(length);
                    assertThat(echoed).isEqualTo(payload);
                }
            }
        }
    }

    @Test
    void anOversizedFrameClosesOnlyItsConnectionWithACauseNamingTheCodecAndLimit() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        InetSocketAddress address = serve(new FrameHandler(Codec.lengthField().maxFrameLength(1024).build()) {
            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                send(conn, frame);
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable error) {
                if (error != null) {
                    cause.complete(error);
                }
                return Action.NONE;
            }
        });
        try (Socket good = connect(address);
             Socket bad = connect(address)) {
            DataOutputStream badOut = new DataOutputStream(bad.getOutputStream());
            badOut.writeInt(Integer.MAX_VALUE);
            badOut.flush();
            assertThat(cause.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("length-field codec")
                    .hasMessageContaining("maxFrameLength 1024");
            assertThat(bad.getInputStream().read()).as("the bad connection is closed").isEqualTo(-1);

            DataOutputStream out = new DataOutputStream(good.getOutputStream());
            out.writeInt(3);
            out.write(new byte[]{1, 2, 3});
            out.flush();
            DataInputStream in = new DataInputStream(good.getInputStream());
            assertThat(in.readInt()).isEqualTo(3);
            assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aLineTooLongClosesTheConnectionBeforeBufferingPastTheLimit() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        InetSocketAddress address = serve(new FrameHandler(Codec.line(100, true)) {
            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable error) {
                cause.complete(error);
                return Action.NONE;
            }
        });
        try (Socket socket = connect(address)) {
            OutputStream out = socket.getOutputStream();
            out.write("y".repeat(5000).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(cause.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("line codec")
                    .hasMessageContaining("maxLength 100");
        }
    }

    @Test
    void framesOfOneReadShareOneReusedView() throws Exception {
        CompletableFuture<Integer> distinctViews = new CompletableFuture<>();
        CompletableFuture<String> seen = new CompletableFuture<>();
        InetSocketAddress address = serve(new FrameHandler(Codec.line(100, false)) {
            private final Set<ByteBuffer> views = Collections.newSetFromMap(new IdentityHashMap<>());
            private final StringBuilder frames = new StringBuilder();

            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                views.add(frame);
                frames.append(StandardCharsets.US_ASCII.decode(frame.duplicate()));
                if (frame.get(frame.limit() - 2) == '!') {
                    distinctViews.complete(views.size());
                    seen.complete(frames.toString());
                }
                return Action.NONE;
            }
        });
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            wire.append("frame ").append(i).append('\n');
        }
        wire.append("last!\n");
        try (Socket socket = connect(address)) {
            // One small write arrives in one segment, so in one read, or two if the loop is quick.
            socket.getOutputStream().write(wire.toString().getBytes(StandardCharsets.US_ASCII));
            assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo(wire.toString());
            assertThat(distinctViews.get()).as("distinct frame buffers for 101 frames").isLessThanOrEqualTo(2);
        }
    }

    @Test
    void framesCopiedToAWorkerAreAnsweredFromIt() throws Exception {
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            InetSocketAddress address = serve(new FrameHandler(Codec.line(1024, true)) {
                @Override
                public Action onFrame(Conn conn, ByteBuffer frame) {
                    ByteBuffer copy = copy(frame);
                    workers.submit(() -> {
                        String upper = StandardCharsets.US_ASCII.decode(copy).toString().toUpperCase();
                        sendAsync(conn, StandardCharsets.US_ASCII.encode(upper), null);
                    });
                    return Action.NONE;
                }
            });
            try (Socket socket = connect(address)) {
                socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(readExactly(socket, 6), StandardCharsets.US_ASCII)).isEqualTo("HELLO\n");
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private Socket connect(InetSocketAddress address) throws IOException {
        return secure() ? TlsTestClients.connect(address) : new Socket(address.getAddress(), address.getPort());
    }

    private static byte[] readExactly(Socket socket, int length) {
        try {
            InputStream in = socket.getInputStream();
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException("connection ended after " + bytes.length + " of " + length + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
