package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.assertSameBytes;
import static io.jgnet.conformance.Peers.await;
import static io.jgnet.conformance.Peers.inBackground;
import static io.jgnet.conformance.Peers.randomBytes;
import static io.jgnet.conformance.Peers.readExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.FrameHandler;
import io.jgnet.Tls;
import io.jgnet.TlsSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * TLS on every transport: the echo, close, half-close, backpressure and codec behaviours over
 * TLS, against the JDK's blocking SSLSocket and jgnet's own TLS client, and the cases only TLS
 * has (wrong version, plain text to a TLS port, a stalled handshake, client certificates, SNI,
 * ALPN).
 */
interface TlsBehaviours extends Harness {

    /** TLS settings serving the test certificate for localhost/127.0.0.1. */
    default Tls.Builder serverTls() throws IOException {
        TestCertificates.Issued server = TestCertificates.server();
        return Tls.builder().certificate(server.certificate(), server.privateKey());
    }

    /** A jgnet client that trusts the test server certificate. */
    default Tls.Builder clientTls() throws IOException {
        return Tls.builder().trust(TestCertificates.server().certificate());
    }

    default Engine serveTls(io.jgnet.EventHandler handler, Tls tls) throws IOException {
        return serve(handler, options().tls(tls).build(), "tls://127.0.0.1:0");
    }

    /** A JDK SSLSocket to {@code engine}, trusting the test server, optionally with a client certificate. */
    static SSLSocket sslSocket(Engine engine, String[] protocols, TestCertificates.Issued clientIdentity,
            String... alpn) throws Exception {
        return sslSocket(Peers.inet(engine), protocols, clientIdentity, alpn);
    }

    static SSLSocket sslSocket(InetSocketAddress address, String[] protocols, TestCertificates.Issued clientIdentity,
            String... alpn) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(TestCertificates.server().certificate())));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (clientIdentity != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = java.nio.file.Files.newInputStream(clientIdentity.pkcs12())) {
                store.load(in, TestCertificates.PASSWORD.toCharArray());
            }
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, TestCertificates.PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        Socket plain = Peers.connect(address);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", address.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols != null) {
            parameters.setProtocols(protocols);
        }
        if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    static SSLSocket sslSocket(Engine engine) throws Exception {
        return sslSocket(engine, null, null);
    }

    // ------------------------------------------------------------------- the common behaviours

    @Test
    default void tlsEchoesByteExactUnderRandomChunking() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().build());
        byte[] data = randomBytes(13, 3 * 1024 * 1024 + 7);
        try (SSLSocket socket = sslSocket(engine)) {
            CompletableFuture<byte[]> echoed = inBackground(() -> readExactly(socket.getInputStream(), data.length));
            Peers.writeInRandomChunks(Peers.sink(socket.getOutputStream()), data, new Random(13));
            assertSameBytes(await(echoed), data);
            TlsSession tls = server.connOf(socket).tls();
            assertThat(tls.isHandshakeComplete()).isTrue();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.cipherSuite()).isEqualTo(socket.getSession().getCipherSuite());
        }
    }

    @Test
    default void tls12StillWorksAndShowsItsVersion() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().build());
        try (SSLSocket socket = sslSocket(engine, new String[] {"TLSv1.2"}, null)) {
            assertThat(Peers.echo(socket, "hello over 1.2")).isEqualTo("hello over 1.2");
            assertThat(server.connOf(socket).tls().protocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    default void serverPrefersAes128GcmOverAClientsAes256First() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().build());
        // The JDK client offers AES-256-GCM first; the server's order (AES-128-GCM first) wins.
        try (SSLSocket tls13 = sslSocket(engine); SSLSocket tls12 = sslSocket(engine, new String[] {"TLSv1.2"}, null)) {
            assertThat(Peers.echo(tls13, "1.3")).isEqualTo("1.3");
            assertThat(Peers.echo(tls12, "1.2")).isEqualTo("1.2");
            assertThat(tls13.getSession().getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
            assertThat(tls12.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            assertThat(server.connOf(tls13).tls().cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        }
    }

    @Test
    default void plaintextIsUnchangedWhenTlsIsConfigured() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().tls(serverTls().build()).build(), "tcp://127.0.0.1:0", "tls://127.0.0.1:0");
        try (Socket plain = Peers.connect(Peers.inet(engine, 0))) {
            assertThat(Peers.echo(plain, "plain")).isEqualTo("plain");
            assertThat(server.connOf(plain).tls()).isNull();
        }
        try (SSLSocket socket = sslSocket(Peers.inet(engine, 1), null, null)) {
            assertThat(Peers.echo(socket, "secure")).isEqualTo("secure");
            assertThat(server.connOf(socket).tls().protocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    default void jgnetClientAndServerEchoOverTls() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().build());
        byte[] data = randomBytes(7, 512 * 1024);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        CompletableFuture<TlsSession> session = new CompletableFuture<>();
        Recorder clientHandler = new Recorder() {
            private final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();

            @Override
            public Action onOpen(Conn conn) {
                conn.write(data); // queued until the handshake is done
                return super.onOpen(conn);
            }

            @Override
            public Action onTraffic(Conn conn) {
                ByteBuffer in = conn.next(-1);
                byte[] bytes = new byte[in.remaining()];
                in.get(bytes);
                got.writeBytes(bytes);
                if (got.size() >= data.length) {
                    session.complete(conn.tls());
                    received.complete(got.toByteArray());
                }
                return Action.NONE;
            }
        };
        Engine client = client(clientHandler, options().tls(clientTls().build()).build());
        client.dial("tls://localhost:" + Peers.inet(engine).getPort());
        assertSameBytes(await(received), data);
        TlsSession tls = await(session);
        assertThat(tls.protocol()).isEqualTo("TLSv1.3");
        assertThat(tls.serverName()).isEqualTo("localhost");
        assertThat(((X509Certificate) tls.peerCertificates().get(0)).getSubjectX500Principal().getName())
                .isEqualTo("CN=localhost");
    }

    @Test
    default void closeSendsPendingOutputThenCloseNotify() throws Exception {
        byte[] payload = randomBytes(3, 200_000);
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                conn.write(payload);
                return Action.CLOSE;
            }
        };
        Engine engine = serveTls(server, serverTls().build());
        try (SSLSocket socket = sslSocket(engine)) {
            socket.getOutputStream().write('x');
            assertSameBytes(readExactly(socket.getInputStream(), payload.length), payload);
            // close_notify reads as end of stream; a missing one would throw (truncation).
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(server.awaitClose(server.connOf(socket))).isNull();
        }
    }

    @Test
    default void peerCloseNotifyIsEndOfInputAndHalfCloseKeepsWriting() throws Exception {
        Recorder server = new Recorder() {
            @Override
            public Action onHalfClose(Conn conn) {
                conn.write("after your close_notify".getBytes(StandardCharsets.UTF_8));
                conn.shutdownOutput();
                return Action.NONE;
            }
        };
        Engine engine = serveTls(server, serverTls().build());
        try (SSLSocket socket = sslSocket(engine)) {
            assertThat(Peers.echo(socket, "ping")).isEqualTo("ping");
            socket.shutdownOutput(); // TLS 1.3: close_notify, read side stays open
            byte[] expected = "after your close_notify".getBytes(StandardCharsets.UTF_8);
            assertThat(readExactly(socket.getInputStream(), expected.length)).isEqualTo(expected);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(server.awaitClose(server.connOf(socket))).isNull();
        }
    }

    @Test
    default void backpressureOverTlsDeliversEveryByteInOrder() throws Exception {
        int total = 6 * 1024 * 1024;
        byte[] chunk = randomBytes(5, 16 * 1024 + 3);
        Recorder server = new Recorder() {
            private int written;

            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                pump(conn);
                return Action.NONE;
            }

            @Override
            public Action onWritable(Conn conn) {
                pump(conn);
                return Action.NONE;
            }

            private void pump(Conn conn) {
                while (written < total && conn.isWritable()) {
                    int n = Math.min(chunk.length, total - written);
                    conn.write(chunk, 0, n);
                    written += n;
                }
                if (written >= total) {
                    conn.close();
                }
            }
        };
        Engine engine = serve(server, options().tls(serverTls().build()).writeBufferWatermarks(32 * 1024, 64 * 1024)
                .writeBufferCap(1024 * 1024).socketBuffers(64 * 1024, 64 * 1024).build(), "tls://127.0.0.1:0");
        try (SSLSocket socket = sslSocket(engine)) {
            socket.getOutputStream().write('g');
            InputStream in = socket.getInputStream();
            byte[] got = readExactly(in, total);
            for (int offset = 0; offset < total; offset += chunk.length) {
                int n = Math.min(chunk.length, total - offset);
                assertSameBytes(java.util.Arrays.copyOfRange(got, offset, offset + n),
                        java.util.Arrays.copyOf(chunk, n));
            }
            assertThat(in.read()).isEqualTo(-1);
            assertThat(server.awaitClose(server.connOf(socket))).isNull();
        }
    }

    @Test
    default void codecFramesArriveWholeOverTls() throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        FrameHandler lines = new FrameHandler(Codec.line(1024, true)) {
            @Override
            public Action onFrame(Conn conn, ByteBuffer frame) {
                String line = StandardCharsets.UTF_8.decode(frame).toString();
                send(conn, ByteBuffer.wrap(("[" + line + "]").getBytes(StandardCharsets.UTF_8)));
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                closed.complete(null);
                return Action.NONE;
            }
        };
        Engine engine = serveTls(lines, serverTls().build());
        try (SSLSocket socket = sslSocket(engine)) {
            OutputStream out = socket.getOutputStream();
            out.write("one\ntw".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.write("o\nthree\n".getBytes(StandardCharsets.UTF_8));
            byte[] expected = "[one]\n[two]\n[three]\n".getBytes(StandardCharsets.UTF_8);
            assertThat(new String(readExactly(socket.getInputStream(), expected.length), StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        }
        await(closed);
    }

    // ---------------------------------------------------------------------- TLS-only cases

    @Test
    default void wrongProtocolVersionFailsOnlyThatHandshake() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().protocols("TLSv1.3").build());
        try (SSLSocket socket = sslSocket(engine, new String[] {"TLSv1.2"}, null)) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
            assertThat(server.awaitClose(server.connOf(socket))).isInstanceOf(SSLHandshakeException.class);
        }
        try (SSLSocket socket = sslSocket(engine)) {
            assertThat(Peers.echo(socket, "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    default void plainTextToATlsPortClosesWithAHandshakeError() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().build());
        try (Socket plain = Peers.connect(Peers.inet(engine))) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Throwable cause = server.awaitClose(server.connOf(plain));
            assertThat(cause).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("plain text");
            // Whatever alert came, the stream then ends.
            InputStream in = plain.getInputStream();
            while (in.read() >= 0) {
                // drain the alert
            }
        }
    }

    @Test
    default void stalledHandshakeIsClosedAtItsTimeout() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().handshakeTimeout(Duration.ofMillis(200)).build());
        try (Socket silent = Peers.connect(Peers.inet(engine))) {
            Throwable cause = server.awaitClose(server.connOf(silent));
            assertThat(cause).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("did not finish within 200 ms");
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    default void requiredClientCertificateMissingFailsAndPresentIsShown() throws Exception {
        Recorder server = new Recorder();
        TestCertificates.Issued client = TestCertificates.client();
        Engine engine = serveTls(server, serverTls().clientAuth(Tls.ClientAuth.REQUIRED).trust(client.certificate()).build());
        try (SSLSocket socket = sslSocket(engine)) {
            // TLS 1.3: the client learns of the refusal on its first read.
            assertThatThrownBy(() -> {
                socket.getOutputStream().write('x');
                socket.getInputStream().read();
            }).isInstanceOf(IOException.class);
            assertThat(server.awaitClose(server.connOf(socket))).isInstanceOf(SSLHandshakeException.class);
        }
        try (SSLSocket socket = sslSocket(engine, null, client)) {
            assertThat(Peers.echo(socket, "mutual")).isEqualTo("mutual");
            List<java.security.cert.Certificate> peer = server.connOf(socket).tls().peerCertificates();
            assertThat(((X509Certificate) peer.get(0)).getSubjectX500Principal().getName()).isEqualTo("CN=jgnet test client");
        }
    }

    @Test
    default void sniPicksTheCertificateForTheNameAsked() throws Exception {
        TestCertificates.Issued other = TestCertificates.other();
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().certificate("other.test", other.certificate(), other.privateKey())
                .certificate("*.wild.test", other.certificate(), other.privateKey()).build());
        int port = Peers.inet(engine).getPort();
        for (String name : List.of("other.test", "a.wild.test", "localhost")) {
            CompletableFuture<TlsSession> session = new CompletableFuture<>();
            Recorder clientHandler = new Recorder() {
                @Override
                public Action onOpen(Conn conn) {
                    conn.write("hi".getBytes(StandardCharsets.US_ASCII));
                    return super.onOpen(conn);
                }

                @Override
                public Action onTraffic(Conn conn) {
                    conn.discard(-1);
                    session.complete(conn.tls());
                    return Action.CLOSE;
                }
            };
            Tls tls = Tls.builder().trust(other.certificate()).trust(TestCertificates.server().certificate())
                    .serverName(name).build();
            Engine clientEngine = client(clientHandler, options().tls(tls).build());
            clientEngine.dial("tls://127.0.0.1:" + port);
            TlsSession seen = await(session);
            String expected = name.equals("localhost") ? "CN=localhost" : "CN=other.test";
            assertThat(((X509Certificate) seen.peerCertificates().get(0)).getSubjectX500Principal().getName())
                    .as("certificate for " + name).isEqualTo(expected);
            Conn serverSide = null;
            for (Conn c : server.opened) {
                if (name.equals(c.tls().serverName())) {
                    serverSide = c;
                }
            }
            assertThat(serverSide).as("server saw SNI " + name).isNotNull();
        }
    }

    @Test
    default void alpnAgreesOrFailsTheHandshake() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serveTls(server, serverTls().applicationProtocols("h2", "http/1.1").build());
        try (SSLSocket socket = sslSocket(engine, null, null, "http/1.1", "spdy/1")) {
            assertThat(Peers.echo(socket, "alpn")).isEqualTo("alpn");
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(server.connOf(socket).tls().applicationProtocol()).isEqualTo("http/1.1");
        }
        try (SSLSocket socket = sslSocket(engine, null, null, "imap")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
            assertThat(server.awaitClose(server.connOf(socket))).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("application");
        }
    }

    @Test
    default void clientRefusesAServerItDoesNotTrust() throws Exception {
        Engine engine = serveTls(new Recorder(), serverTls().build());
        Recorder clientHandler = new Recorder();
        Engine client = client(clientHandler, options().tls(Tls.builder().build()).build()); // the JDK's cacerts
        Conn conn = client.dial("tls://localhost:" + Peers.inet(engine).getPort());
        assertThat(clientHandler.awaitClose(conn)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    default void clientVerifiesTheHostName() throws Exception {
        Engine engine = serveTls(new Recorder(), serverTls().build());
        Recorder clientHandler = new Recorder();
        Tls tls = clientTls().serverName("not-localhost.test").build();
        Engine client = client(clientHandler, options().tls(tls).build());
        Conn conn = client.dial("tls://127.0.0.1:" + Peers.inet(engine).getPort());
        assertThat(clientHandler.awaitClose(conn)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    default void tlsListenerWithoutACertificateIsRefusedAtStart() {
        assertThatThrownBy(() -> serve(new Recorder(), options().build(), "tls://127.0.0.1:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a certificate");
    }
}
