package io.jgnet.bench.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every server kind speaks every protocol, checked with plain sockets in the test JVM. */
class BenchServersTest {

    static List<String> kinds() {
        return BenchServers.KINDS;
    }

    private static BenchServers.Running start(String protocol, String kind) throws Exception {
        try {
            return BenchServers.start(protocol, kind, 0);
        } catch (BenchServers.Unavailable e) {
            Assumptions.abort(kind + " cannot run here: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    private static Socket connect(BenchServers.Running server) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        assertThat(bytes).as("stream ended early").hasSize(n);
        return bytes;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void echoReturnsEveryByteAndTheLoopThreadIsFound(String kind) throws Exception {
        try (BenchServers.Running server = start("echo", kind); Socket s = connect(server)) {
            byte[] payload = new byte[100_000];
            new Random(1).nextBytes(payload);
            Thread.ofPlatform().start(() -> {
                try {
                    s.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(readExactly(s.getInputStream(), payload.length)).isEqualTo(payload);
            assertThat(server.ioThreads()).hasSize(1);
            assertThat(BenchServers.answer("ALLOC", server)).matches("ALLOC bytes=\\d+ threads=1");
            assertThat(BenchServers.answer("nonsense", server)).isEqualTo("ERROR unknown command nonsense");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void lengthFieldFramesComeBackFramedAlike(String kind) throws Exception {
        try (BenchServers.Running server = start("frame-length", kind); Socket s = connect(server)) {
            ByteBuffer frames = ByteBuffer.allocate(3 * (4 + 1024));
            for (int size : new int[] {1, 1024, 64}) {
                frames.putInt(size).put(new byte[size]).put(frames.position() - size, (byte) size);
            }
            byte[] sent = java.util.Arrays.copyOf(frames.array(), frames.position());
            OutputStream out = s.getOutputStream();
            for (byte b : sent) { // one byte at a time: frames split everywhere
                out.write(b);
            }
            assertThat(readExactly(s.getInputStream(), sent.length)).isEqualTo(sent);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void linesComeBackAsLinesEndedByNewline(String kind) throws Exception {
        try (BenchServers.Running server = start("frame-line", kind); Socket s = connect(server)) {
            s.getOutputStream().write("one\r\ntwo\nthree".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write("\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(readExactly(s.getInputStream(), 14), StandardCharsets.US_ASCII)).isEqualTo("one\ntwo\nthree\n");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void httpAnswersPipelinedPlaintextAndNotFound(String kind) throws Exception {
        httpConversation("http", kind);
    }

    @org.junit.jupiter.api.Test
    void nettysHttpCodecServerAnswersAlike() throws Exception {
        httpConversation("http-codec", "netty-epoll");
    }

    private static void httpConversation(String protocol, String kind) throws Exception {
        try (BenchServers.Running server = start(protocol, kind); Socket s = connect(server)) {
            String get = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";
            s.getOutputStream().write((get + get + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            for (String status : List.of("200", "200", "404")) {
                String head = head(in);
                assertThat(head).startsWith("HTTP/1.1 " + status).containsIgnoringCase("date: ");
                int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                String body = new String(readExactly(in, length), StandardCharsets.US_ASCII);
                if (status.equals("200")) {
                    assertThat(body).isEqualTo("Hello, World!");
                }
            }
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("a response head").isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void respKeepsWhatIsSet(String kind) throws Exception {
        try (BenchServers.Running server = start("resp", kind); Socket s = connect(server)) {
            String commands = "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
                    + "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
            s.getOutputStream().write(commands.getBytes(StandardCharsets.US_ASCII));
            String expected = "+PONG\r\n+OK\r\n$5\r\nvalue\r\n:1\r\n$-1\r\n";
            assertThat(new String(readExactly(s.getInputStream(), expected.length()), StandardCharsets.US_ASCII))
                    .isEqualTo(expected);
        }
    }

    /** Every kind's TLS server: TLS 1.3, the one pinned suite, the benchmark's certificate, and an echo through it. */
    @ParameterizedTest
    @MethodSource("kinds")
    void tlsServersAgreeOnProtocolSuiteAndCertificate(String kind) throws Exception {
        java.security.cert.Certificate[] expected;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(BenchTls.serverKeyStore())) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, BenchTls.PASSWORD);
            expected = store.getCertificateChain(store.aliases().nextElement());
        }
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("bench", expected[0]); // trusts this certificate and nothing else
        trust.init(trusted);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        try (BenchServers.Running server = start("tls-echo", kind);
             javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket(connect(server),
                     "localhost", server.port(), true)) {
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo(BenchTls.PROTOCOL);
            assertThat(s.getSession().getCipherSuite()).isEqualTo(BenchTls.CIPHER_SUITE);
            assertThat(s.getSession().getPeerCertificates()).containsExactly(expected);
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(readExactly(s.getInputStream(), 4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
