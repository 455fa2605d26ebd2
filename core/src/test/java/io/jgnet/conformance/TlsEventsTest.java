package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
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

    @TempDir
    Path dir;

    @Test
    void handshakesDoneAndFailedAreRecordedWithWhatHappened() throws Exception {
        Recorder server = new Recorder();
        TestCertificates.Issued identity = TestCertificates.server();
        Options options = Options.builder().loops(1)
                .tls(Tls.builder().certificate(identity.certificate(), identity.privateKey()).build()).build();
        Path file = dir.resolve("tls.jfr");
        String cipherSuite;
        try (Recording recording = new Recording()) {
            recording.enable("io.jgnet.TlsHandshakeDone");
            recording.enable("io.jgnet.TlsHandshakeFailed");
            recording.start();
            Engine engine = Jgnet.start(server, "tls://127.0.0.1:0", options);
            try {
                try (SSLSocket tls = TlsBehaviours.sslSocket(engine)) {
                    assertThat(Peers.echo(tls, "hi")).isEqualTo("hi");
                    cipherSuite = tls.getSession().getCipherSuite();
                    Conn conn = server.connOf(tls);
                    tls.close();
                    server.awaitClose(conn);
                }
                try (Socket plain = Peers.connect(Peers.inet(engine))) {
                    plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    plain.getInputStream().readAllBytes(); // the server's alert, then end of stream
                    assertThat(server.awaitClose(server.connOf(plain))).isInstanceOf(SSLHandshakeException.class);
                }
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

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
