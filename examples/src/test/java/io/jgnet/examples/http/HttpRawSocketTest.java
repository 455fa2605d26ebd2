package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP server driven byte by byte from plain sockets: pipelining, framing, errors, closing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpRawSocketTest {
    private HttpTestServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersRequestsPipelinedInOneWriteInOrder() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send(get("/plaintext") + get("/json") + post("/echo", "ping") + get("/nothing-here") + get("/plaintext"));
            assertThat(peer.response().text()).isEqualTo("Hello, World!");
            assertThat(peer.response().text()).isEqualTo("{\"message\":\"Hello, World!\"}");
            assertThat(peer.response().text()).isEqualTo("ping");
            assertThat(peer.response().status()).isEqualTo(404);
            RawResponse last = peer.response();
            assertThat(last.text()).isEqualTo("Hello, World!");
            assertThat(last.header("connection")).as("keep-alive is the HTTP/1.1 default: no header").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "AUTO"})
    void answersPipelinedRequestsSplitAtRandomBytePositions(TransportKind transport) throws Exception {
        server = HttpTestServer.start(HttpConfig.defaults(), transport);
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        List<Boolean> heads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String body = "x".repeat(random.nextInt(3000)) + i;
            String request = switch (random.nextInt(6)) {
                case 0 -> get("/json");
                case 1 -> post("/echo", body);
                case 2 -> chunkedPost(body, random);
                case 3 -> "HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
                case 4 -> get("/missing?q=" + i);
                default -> get("/plaintext");
            };
            stream.writeBytes(ascii(request));
            heads.add(request.startsWith("HEAD"));
            expected.add(request.startsWith("GET /json") ? "{\"message\":\"Hello, World!\"}"
                    : request.startsWith("POST") ? body
                    : request.startsWith("HEAD") ? ""
                    : request.startsWith("GET /missing") ? "Not Found\n" : "Hello, World!");
        }
        byte[] bytes = stream.toByteArray();
        try (Peer peer = new Peer(); ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            // Write from another thread while this one reads, so neither side's buffers can fill up and stall.
            Future<?> written = writer.submit(() -> {
                for (int at = 0; at < bytes.length; ) {
                    int length = Math.min(1 + random.nextInt(200), bytes.length - at);
                    peer.out.write(bytes, at, length);
                    peer.out.flush();
                    at += length;
                }
                return null;
            });
            for (int i = 0; i < expected.size(); i++) {
                RawResponse response = peer.response(heads.get(i));
                assertThat(response.text()).as("response %d, seed %d, transport %s", i, seed, server.transport())
                        .isEqualTo(expected.get(i));
            }
            written.get();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GARBAGE\r\n\r\n",                                                         // no target, no version
            "GET  /plaintext HTTP/1.1\r\nHost: t\r\n\r\n",                              // two spaces
            "GET /plaintext HTTP/1.1 extra\r\nHost: t\r\n\r\n",                         // trailing junk
            "GET plaintext HTTP/1.1\r\nHost: t\r\n\r\n",                                // not origin-form
            "GET /plaintext http/1.1\r\nHost: t\r\n\r\n",                               // version is case-sensitive
            "GET /plaintext HTTP/1.1\nHost: t\n\n",                                     // bare LF
            "GET /plaintext HTTP/1.1\r\n\r\n",                                          // HTTP/1.1 without Host
            "GET /plaintext HTTP/1.1\r\nHost: t\r\nHost: u\r\n\r\n",                     // two Hosts
            "GET /plaintext HTTP/1.1\r\nHost : t\r\n\r\n",                              // space before colon
            "GET /plaintext HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n",                    // obs-fold
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\n",            // bad length
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  // bad chunk size
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", // data overruns
    })
    void answersAMalformedRequestWith400AndCloses(String request) throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send(request + get("/plaintext"));
            RawResponse response = peer.response();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(peer.in.read()).as("closed after the 400; the pipelined request is dropped").isEqualTo(-1);
        }
    }

    @Test
    void answersHeadersOverTheLimitWith431AndCloses() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("GET /plaintext HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(HttpConfig.DEFAULT_MAX_HEADER_BYTES) + "\r\n\r\n");
            assertThat(peer.response().status()).isEqualTo(431);
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void acceptsHeadersExactlyAtTheLimit() throws Exception {
        server = HttpTestServer.start(new HttpConfig(512, 1024), TransportKind.AUTO);
        String head = "GET /plaintext HTTP/1.1\r\nHost: t\r\nX-Pad: ";
        String exact = head + "a".repeat(512 - head.length() - 4) + "\r\n\r\n";
        try (Peer peer = new Peer()) {
            peer.send(exact);
            assertThat(peer.response().status()).isEqualTo(200);
            peer.send(exact.replace("X-Pad: ", "X-Pad: a"));
            assertThat(peer.response().status()).isEqualTo(431);
        }
    }

    @Test
    void answersAContentLengthOverTheLimitWith413BeforeTheBodyArrives() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + (HttpConfig.DEFAULT_MAX_BODY_BYTES + 1) + "\r\n\r\n");
            assertThat(peer.response().status()).isEqualTo(413);
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void answersAChunkedBodyOverTheLimitWith413() throws Exception {
        server = HttpTestServer.start(new HttpConfig(1024, 100), TransportKind.AUTO);
        try (Peer peer = new Peer()) {
            peer.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + "a".repeat(64)
                    + "\r\n40\r\n");
            assertThat(peer.response().status()).isEqualTo(413);
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void answersAnUnsupportedTransferEncodingWith501() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
            assertThat(peer.response().status()).isEqualTo(501);
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void answersAnotherMajorVersionWith505() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("GET /plaintext HTTP/2.0\r\nHost: t\r\n\r\n");
            assertThat(peer.response().status()).isEqualTo(505);
        }
    }

    @Test
    void closesAfterAnHttp10RequestWithoutKeepAlive() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("GET /plaintext HTTP/1.0\r\n\r\n");
            RawResponse response = peer.response();
            assertThat(response.text()).isEqualTo("Hello, World!");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void keepsAnHttp10ConnectionThatAsksForKeepAlive() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("GET /json HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
            assertThat(peer.response().header("connection")).isEqualTo("keep-alive");
            peer.send("GET /plaintext HTTP/1.0\r\n\r\n");
            assertThat(peer.response().text()).isEqualTo("Hello, World!");
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void honoursConnectionCloseAndDropsWhatWasPipelinedAfterIt() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: upgrade, close\r\n\r\n" + get("/json"));
            RawResponse response = peer.response();
            assertThat(response.text()).isEqualTo("Hello, World!");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(peer.in.read()).isEqualTo(-1);
        }
    }

    @Test
    void keepsTheConnectionAfter404And405() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send(get("/nope"));
            assertThat(peer.response().status()).isEqualTo(404);
            peer.send(post("/plaintext", "x"));
            RawResponse notAllowed = peer.response();
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.header("allow")).isEqualTo("GET, HEAD");
            peer.send(get("/plaintext"));
            assertThat(peer.response().text()).isEqualTo("Hello, World!");
        }
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\n" + get("/json"));
            RawResponse head = peer.response(true);
            assertThat(head.header("content-length")).isEqualTo("13");
            assertThat(head.body()).isEmpty();
            assertThat(peer.response().text()).as("no body bytes came before it").startsWith("{");
        }
    }

    @Test
    void sends100ContinueBeforeTheBodyOfAnExpectingRequest() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawResponse interim = RawResponse.read(peer.in, false);
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            peer.send("hello");
            assertThat(peer.response().text()).isEqualTo("hello");
        }
    }

    @Test
    void decodesAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        server = HttpTestServer.start();
        try (Peer peer = new Peer()) {
            peer.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: Chunked\r\nContent-Type: text/x\r\n\r\n"
                    + "5;name=value\r\nhello\r\nA \r\n, world! :\r\n0\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n");
            RawResponse response = peer.response();
            assertThat(response.text()).isEqualTo("hello, world! :");
            assertThat(response.header("content-type")).isEqualTo("text/x");
        }
    }

    @Test
    void pausesAClientThatWritesFasterThanItReadsInsteadOfOverflowingItsOutput() throws Exception {
        // Small kernel and jgnet output buffers: without pausing, 6 MiB of answers to a slow reader
        // would pass the 256 KiB write cap and the connection would be cut.
        server = HttpTestServer.start(HttpConfig.defaults(), Options.builder().loops(1)
                .socketBuffers(16 * 1024, 0).writeBufferCap(256 * 1024).build());
        byte[] body = new byte[32 * 1024];
        new Random(7).nextBytes(body);
        byte[] request = concat(ascii("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n"), body);
        int count = 200;
        try (Peer peer = new Peer(8 * 1024); ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
            // A small receive window keeps the reader slow: the server's output passes its watermark,
            // so it must pause reading and resume on onWritable without losing a request.
            Future<?> written = writer.submit(() -> {
                for (int i = 0; i < count; i++) {
                    peer.out.write(request);
                }
                peer.out.flush();
                return null;
            });
            for (int i = 0; i < count; i++) {
                assertThat(peer.response().body()).as("response %d", i).isEqualTo(body);
            }
            written.get();
        }
    }

    // ------------------------------------------------------------------------------ helpers

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n";
    }

    private static String post(String target, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: t\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String chunkedPost(String body, Random random) {
        StringBuilder request = new StringBuilder("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int at = 0; at < body.length(); ) {
            int length = Math.min(1 + random.nextInt(1000), body.length() - at);
            request.append(Integer.toHexString(length)).append("\r\n").append(body, at, at + length).append("\r\n");
            at += length;
        }
        return request.append("0\r\n\r\n").toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A client connection to the server under test. */
    private final class Peer implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer() throws IOException {
            this(0);
        }

        /** With a receive buffer of {@code receiveBuffer} bytes (0: the kernel's default). */
        Peer(int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(ascii(text));
            out.flush();
        }

        RawResponse response() throws IOException {
            return RawResponse.read(in, false);
        }

        RawResponse response(boolean head) throws IOException {
            return RawResponse.read(in, head);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
