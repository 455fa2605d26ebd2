package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.TlsSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jgnet's TLS against real peers: openssl s_client and s_server (TLS 1.3 and 1.2, ALPN, client
 * certificates), the JDK's HttpClient, and Netty's SslHandler as client and server. A missing
 * openssl skips its tests here and fails them under {@code CI=true}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsRealPeersTest {
    private final List<Engine> engines = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Engine engine : engines) {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    /**
     * Answers the first line with what the connection negotiated, then closes:
     * {@code echo=<line> protocol=<v> alpn=<p> peer=<CN or none>}.
     */
    static final class Describe implements EventHandler {
        @Override
        public Action onTraffic(Conn conn) {
            ByteBuffer in = conn.peek(-1);
            int newline = -1;
            for (int i = in.position(); i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    newline = i - in.position();
                    break;
                }
            }
            if (newline < 0) {
                return Action.NONE;
            }
            String line = StandardCharsets.UTF_8.decode(conn.next(newline + 1)).toString().strip();
            TlsSession tls = conn.tls();
            String peer = tls.peerCertificates().isEmpty() ? "none"
                    : ((X509Certificate) tls.peerCertificates().getFirst()).getSubjectX500Principal().getName();
            conn.write(("echo=" + line + " protocol=" + tls.protocol() + " alpn=" + tls.applicationProtocol()
                    + " peer=" + peer + "\n").getBytes(StandardCharsets.UTF_8));
            return Action.CLOSE;
        }
    }

    private int serve(EventHandler handler, Tls tls) throws IOException {
        Engine engine = Jgnet.start(handler, List.of("tls://127.0.0.1:0"), Options.builder().tls(tls).build());
        engines.add(engine);
        return Peers.inet(engine).getPort();
    }

    private static Tls.Builder serverTls() throws IOException {
        TestCertificates.Issued server = TestCertificates.server();
        return Tls.builder().certificate(server.certificate(), server.privateKey());
    }

    // ---------------------------------------------------------------------------- openssl

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void opensslClientTalksToAJgnetServerWithAlpn(String version) throws Exception {
        requireTool("openssl");
        int port = serve(new Describe(), serverTls().applicationProtocols("h2", "http/1.1").build());
        String out = run("hello\n", "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", TestCertificates.server().certificate().toString(), "-verify_return_error", "-ign_eof",
                version, "-alpn", "http/1.1");
        String expected = version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
        assertThat(out).contains("echo=hello protocol=" + expected + " alpn=http/1.1 peer=none")
                .contains("Verify return code: 0 (ok)").contains("ALPN protocol: http/1.1");
    }

    @Test
    void opensslClientWithACertificateIsSeenAndWithoutOneRefused() throws Exception {
        requireTool("openssl");
        TestCertificates.Issued client = TestCertificates.client();
        int port = serve(new Describe(), serverTls().clientAuth(Tls.ClientAuth.REQUIRED).trust(client.certificate()).build());
        String ca = TestCertificates.server().certificate().toString();
        String with = run("who\n", "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile", ca,
                "-verify_return_error", "-ign_eof", "-cert", client.certificate().toString(),
                "-key", client.privateKey().toString());
        assertThat(with).contains("echo=who protocol=TLSv1.3 alpn=null peer=CN=jgnet test client");
        String without = run("who\n", "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile", ca,
                "-ign_eof");
        assertThat(without).doesNotContain("echo=who").containsIgnoringCase("alert");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void jgnetClientTalksToOpensslServer(String version) throws Exception {
        requireTool("openssl");
        TestCertificates.Issued server = TestCertificates.server();
        TestCertificates.Issued client = TestCertificates.client();
        int port = freePort();
        Process openssl = start("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                server.certificate().toString(), "-key", server.privateKey().toString(), version,
                "-alpn", "http/1.1", "-Verify", "1", "-CAfile", client.certificate().toString(), "-www");
        awaitLine(openssl, "ACCEPT");
        Tls tls = Tls.builder().trust(server.certificate()).certificate(client.certificate(), client.privateKey())
                .applicationProtocols("h2", "http/1.1").build();
        Fetch fetch = fetch(tls, "tls://localhost:" + port, "GET / HTTP/1.0\r\n\r\n");
        String expected = version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2";
        assertThat(fetch.text().get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.0 200 ok").contains(expected);
        TlsSession session = fetch.session().get(30, TimeUnit.SECONDS);
        assertThat(session.protocol()).isEqualTo(expected);
        assertThat(session.applicationProtocol()).isEqualTo("http/1.1");
    }

    // ------------------------------------------------------------------------- HttpClient

    @Test
    void jdkHttpClientGetsAnswersOverOneTlsConnection() throws Exception {
        EventHandler http = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                while (true) {
                    ByteBuffer in = conn.peek(-1);
                    int end = indexOf(in, "\r\n\r\n");
                    if (end < 0) {
                        return Action.NONE;
                    }
                    conn.discard(end + 4);
                    byte[] body = (conn.tls().protocol() + " " + conn.tls().applicationProtocol() + " "
                            + conn.remoteAddress()).getBytes(StandardCharsets.UTF_8);
                    conn.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    conn.write(body);
                }
            }
        };
        int port = serve(http, serverTls().applicationProtocols("http/1.1").build());
        HttpClient client = HttpClient.newBuilder().sslContext(trustingServer()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(20)).build();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            bodies.add(response.body());
        }
        assertThat(bodies.getFirst()).startsWith("TLSv1.3 http/1.1 /127.0.0.1:");
        assertThat(bodies).as("one connection, kept alive").containsOnly(bodies.getFirst());
    }

    // ------------------------------------------------------------------------------ Netty

    @Test
    void nettyClientWithSslHandlerEchoesThroughAJgnetServer() throws Exception {
        int port = serve(new Recorder(), serverTls().build());
        byte[] data = Peers.randomBytes(21, 300_000);
        byte[] echoed = NettyPeer.echoClient(port, TestCertificates.server().certificate(), data);
        Peers.assertSameBytes(echoed, data);
    }

    @Test
    void jgnetClientEchoesThroughANettyServerWithSslHandler() throws Exception {
        TestCertificates.Issued server = TestCertificates.server();
        try (NettyPeer.EchoServer netty = NettyPeer.echoServer(server.certificate(), server.privateKey())) {
            byte[] data = Peers.randomBytes(22, 300_000);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            EventHandler handler = new EventHandler() {
                private final ByteArrayOutputStream got = new ByteArrayOutputStream();

                @Override
                public Action onOpen(Conn conn) {
                    conn.write(data);
                    return Action.NONE;
                }

                @Override
                public Action onTraffic(Conn conn) {
                    ByteBuffer in = conn.next(-1);
                    byte[] bytes = new byte[in.remaining()];
                    in.get(bytes);
                    got.writeBytes(bytes);
                    if (got.size() >= data.length) {
                        echoed.complete(got.toByteArray());
                        return Action.CLOSE;
                    }
                    return Action.NONE;
                }

                @Override
                public Action onClose(Conn conn, Throwable cause) {
                    echoed.completeExceptionally(cause != null ? cause : new IOException("closed early"));
                    return Action.NONE;
                }
            };
            Engine client = Jgnet.client(handler, Options.builder().tls(Tls.builder().trust(server.certificate()).build()).build());
            engines.add(client);
            client.dial("tls://localhost:" + netty.port());
            Peers.assertSameBytes(echoed.get(30, TimeUnit.SECONDS), data);
        }
    }

    // ---------------------------------------------------------------------------- helpers

    record Fetch(CompletableFuture<String> text, CompletableFuture<TlsSession> session) {
    }

    /** Dials {@code address}, sends {@code request}, and collects everything until the server closes. */
    private Fetch fetch(Tls tls, String address, String request) throws IOException {
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<TlsSession> session = new CompletableFuture<>();
        EventHandler handler = new EventHandler() {
            private final ByteArrayOutputStream got = new ByteArrayOutputStream();

            @Override
            public Action onOpen(Conn conn) {
                conn.write(request.getBytes(StandardCharsets.US_ASCII));
                return Action.NONE;
            }

            @Override
            public Action onTraffic(Conn conn) {
                session.complete(conn.tls());
                ByteBuffer in = conn.next(-1);
                byte[] bytes = new byte[in.remaining()];
                in.get(bytes);
                got.writeBytes(bytes);
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                if (got.size() > 0) {
                    text.complete(got.toString(StandardCharsets.UTF_8));
                } else {
                    text.completeExceptionally(cause != null ? cause : new IOException("closed with no answer"));
                }
                return Action.NONE;
            }
        };
        Engine client = Jgnet.client(handler, Options.builder().tls(tls).build());
        engines.add(client);
        client.dial(address);
        return new Fetch(text, session);
    }

    static int indexOf(ByteBuffer in, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = in.position(); i + needle.length <= in.limit(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (in.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i - in.position();
        }
        return -1;
    }

    static SSLContext trustingServer() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(TestCertificates.server().certificate())) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** Skips without {@code tool}, or fails under CI=true, where the tools are installed on purpose. */
    static void requireTool(String tool) throws Exception {
        Process probe = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
        boolean present = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        probe.destroyForcibly();
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(tool + " is missing (CI=true: the real-peer tests must run)");
        }
        assumeTrue(present, tool + " is not installed: skipping its real-peer test");
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    /** Runs {@code command} with {@code input} on stdin until it exits; its stdout and stderr. */
    private String run(String input, String... command) throws Exception {
        Process process = start(command);
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        CompletableFuture<String> output = Peers.inBackground(
                () -> new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            fail(String.join(" ", command) + " did not finish");
        }
        return output.get(30, TimeUnit.SECONDS);
    }

    /** Reads the process's output until a line equals {@code line}. */
    private static void awaitLine(Process process, String line) throws Exception {
        CompletableFuture<Void> seen = Peers.inBackground(() -> {
            var reader = process.inputReader(StandardCharsets.UTF_8);
            String next;
            StringBuilder all = new StringBuilder();
            while ((next = reader.readLine()) != null) {
                all.append(next).append('\n');
                if (next.strip().equals(line)) {
                    return null;
                }
            }
            throw new IOException("the process ended before printing " + line + ":\n" + all);
        });
        seen.get(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
