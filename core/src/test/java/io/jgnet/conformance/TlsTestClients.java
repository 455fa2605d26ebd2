package io.jgnet.conformance;

import io.jgnet.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of the suite's TLS variant: server settings with the test certificate, and JDK
 * {@link SSLSocket} clients that trust it and verify the host name, layered over the suite's
 * plain test sockets so that their options (receive buffer, Nagle, read guard) still apply.
 *
 * <p>Thread-safe: the client context is made once, under the class's lock.
 */
public final class TlsTestClients {
    private static SSLContext context;
    /** The TCP socket under each TLS socket, to reset a connection without a close_notify. */
    private static final Map<SSLSocket, Socket> UNDERLYING = Collections.synchronizedMap(new WeakHashMap<>());

    private TlsTestClients() {
    }

    /**
     * Makes the test certificate and the client context now: keytool and a PKCS#12 load are slow
     * on a busy machine, so suites call this before their tests rather than inside one's timeout.
     */
    public static void prepare() throws IOException {
        serverTls();
        context();
    }

    /**
     * Server settings serving {@link TestCertificates#server()}, TLS 1.3 and 1.2 as by default.
     * The handshake timeout is the suite's guard rather than the default 10 s: hundreds of
     * handshakes at once on a busy 2-core machine may take longer, and what a stalled handshake
     * does is tested on its own (TlsBehaviours).
     */
    public static Tls serverTls() throws IOException {
        TestCertificates.Issued server = TestCertificates.server();
        return Tls.builder().certificate(server.certificate(), server.privateKey()).handshakeTimeout(Peers.GUARD).build();
    }

    /** A TLS client to {@code address} for "localhost", its handshake done; see {@link #secure}. */
    public static SSLSocket connect(InetSocketAddress address) throws IOException {
        return secure(Peers.connect(address));
    }

    /**
     * {@code plain}, connected, wrapped in a TLS client for "localhost" that trusts the test
     * server certificate, with its handshake done: the server has then seen the connection open,
     * as it has after a plain connect. Closing the result closes {@code plain}.
     */
    public static SSLSocket secure(Socket plain) throws IOException {
        try {
            SSLSocket socket = (SSLSocket) context().getSocketFactory()
                    .createSocket(plain, "localhost", plain.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            UNDERLYING.put(socket, plain);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Resets {@code socket}'s connection: an RST, and for a TLS socket no close_notify first (an
     * SSLSocket's close sends one, which the server would read as a clean end of input).
     */
    static void reset(Socket socket) throws IOException {
        Socket tcp = socket instanceof SSLSocket tls ? UNDERLYING.getOrDefault(tls, socket) : socket;
        tcp.setSoLinger(true, 0);
        tcp.close();
        socket.close();
    }

    private static synchronized SSLContext context() throws IOException {
        if (context == null) {
            try (InputStream in = Files.newInputStream(TestCertificates.server().certificate())) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                SSLContext made = SSLContext.getInstance("TLS");
                made.init(null, trust.getTrustManagers(), null);
                context = made;
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        return context;
    }
}
