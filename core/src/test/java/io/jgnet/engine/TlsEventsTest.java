package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.conformance.TestCertificates;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS handshake's JFR events, recorded and read back: one done event per finished handshake
 * with what was agreed, one failed event with the cause for a peer speaking plain text.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsEventsTest {
    private static final long GUARD_SECONDS = 20;

    @TempDir
    Path dir;

    @Test
    void handshakesDoneAndFailedAreRecordedWithWhatHappened() throws Exception {
        LinkedBlockingQueue<Throwable> closes = new LinkedBlockingQueue<>();
        EventHandler echo = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                closes.add(cause == null ? new Throwable("clean") : cause);
                return Action.NONE;
            }
        };
        TestCertificates.Issued server = TestCertificates.server();
        Options options = Options.builder().loops(1)
                .tls(Tls.builder().certificate(server.certificate(), server.privateKey()).build()).build();
        Path file = dir.resolve("tls.jfr");
        String cipherSuite;
        try (Recording recording = new Recording()) {
            recording.enable("io.jgnet.TlsHandshakeDone");
            recording.enable("io.jgnet.TlsHandshakeFailed");
            recording.start();
            Engine engine = Jgnet.start(echo, "tls://127.0.0.1:0", options);
            try {
                InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
                try (SSLSocket tls = trustingSocket(server.certificate(), address)) {
                    tls.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                    assertThat(tls.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
                    cipherSuite = tls.getSession().getCipherSuite();
                }
                assertThat(closes.poll(GUARD_SECONDS, TimeUnit.SECONDS)).isNotNull();
                try (Socket plain = new Socket(address.getAddress(), address.getPort())) {
                    plain.setSoTimeout((int) TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
                    plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = plain.getInputStream();
                    in.readAllBytes(); // the server's alert, then end of stream
                }
                assertThat(closes.poll(GUARD_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SSLHandshakeException.class);
            } finally {
                engine.stop(Duration.ofSeconds(5));
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(named(events, "io.jgnet.TlsHandshakeDone")).singleElement().satisfies(e -> {
            assertThat(e.getString("remoteAddress")).contains("127.0.0.1");
            assertThat(e.getString("protocol")).isEqualTo("TLSv1.3");
            assertThat(e.getString("cipherSuite")).isEqualTo(cipherSuite);
            assertThat(e.getDuration("took")).isPositive();
        });
        assertThat(named(events, "io.jgnet.TlsHandshakeFailed")).singleElement().satisfies(e -> {
            assertThat(e.getString("remoteAddress")).contains("127.0.0.1");
            assertThat(e.getString("cause")).contains("SSLHandshakeException").contains("plain text");
        });
    }

    private static SSLSocket trustingSocket(Path certificate, InetSocketAddress address) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        return socket;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
