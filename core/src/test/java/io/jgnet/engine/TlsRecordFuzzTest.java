package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
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
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of a TLS server connection's record handling, over a real socket: the
 * input's first byte picks when the rest is sent raw on the TCP stream, either instead of a
 * ClientHello (a handshake that cannot finish) or after a real handshake, where no record can be
 * authentic without the keys. Invariants: that connection closes, before the handshake with an
 * {@link SSLHandshakeException}, after it with an {@link SSLException} (always, when a whole
 * application-data record came first), or cleanly (a truncated record at end of stream is taken
 * as end of input, as for plain TCP); and a bystander TLS
 * connection on the same loop still echoes after each input.
 *
 * <p>Seeds under {@code src/test/resources/io/jgnet/engine/TlsRecordFuzzTestInputs/}; {@code
 * ./jgnet fuzz --only TlsRecord} fuzzes it.
 */
class TlsRecordFuzzTest {
    private static final int GUARD_MILLIS = 20_000;
    private static final Map<Integer, CompletableFuture<Throwable>> CLOSES = new ConcurrentHashMap<>();
    private static Engine engine;
    private static InetSocketAddress address;
    private static SSLContext client;
    private static SSLSocket bystander;

    private static synchronized void start() throws Exception {
        if (engine != null) {
            return;
        }
        TestCertificates.Issued server = TestCertificates.server();
        EventHandler echo = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }

            @Override
            public Action onClose(Conn conn, Throwable cause) {
                closeOf(((InetSocketAddress) conn.remoteAddress()).getPort()).complete(cause);
                return Action.NONE;
            }
        };
        Options options = Options.builder().loops(1)
                .tls(Tls.builder().certificate(server.certificate(), server.privateKey()).build()).build();
        engine = Jgnet.start(echo, "tls://127.0.0.1:0", options);
        address = (InetSocketAddress) engine.listenAddresses().getFirst();
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(server.certificate())) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        bystander = handshaken(new Socket(address.getAddress(), address.getPort()));
    }

    private static CompletableFuture<Throwable> closeOf(int port) {
        return CLOSES.computeIfAbsent(port, p -> new CompletableFuture<>());
    }

    private static SSLSocket handshaken(Socket plain) throws Exception {
        plain.setSoTimeout(GUARD_MILLIS);
        SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(plain, "localhost", address.getPort(), false);
        tls.startHandshake();
        return tls;
    }

    /** Whether {@code raw} starts with a complete application-data record (type 23, TLS 1.2 version). */
    private static boolean wholeApplicationRecord(byte[] raw) {
        return raw.length >= 5 && raw[0] == 0x17 && raw[1] == 0x03 && raw[2] == 0x03
                && raw.length >= 5 + (((raw[3] & 0xFF) << 8) | (raw[4] & 0xFF));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            bystander.close();
            engine.stop(Duration.ofSeconds(5));
            engine = null;
        }
    }

    @FuzzTest
    @DictionaryEntries({"\\x16\\x03\\x01", "\\x16\\x03\\x03", "\\x17\\x03\\x03", "\\x15\\x03\\x03\\x00\\x02",
            "\\x14\\x03\\x03\\x00\\x01\\x01", "\\x40\\x00"})
    void garbageRecords(byte[] data) throws Exception {
        start();
        boolean afterHandshake = data.length > 0 && (data[0] & 1) == 1;
        byte[] raw = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        Throwable cause;
        try (Socket plain = new Socket(address.getAddress(), address.getPort())) {
            plain.setSoTimeout(GUARD_MILLIS);
            if (afterHandshake) {
                handshaken(plain); // not closed by itself: the raw bytes go under it
            }
            try {
                plain.getOutputStream().write(raw);
                plain.shutdownOutput();
                plain.getInputStream().readAllBytes(); // an alert or close_notify, then end of stream
            } catch (java.io.IOException resetBecauseTheServerClosedFirst) {
                // The server may close (and reset what it had not read) before the writes end.
            }
            cause = closeOf(plain.getLocalPort()).get(GUARD_MILLIS, TimeUnit.MILLISECONDS);
            CLOSES.remove(plain.getLocalPort());
        }
        if (afterHandshake) {
            if (cause != null || wholeApplicationRecord(raw)) {
                // Application data without the keys can never be authentic: it must fail.
                assertThat(cause).isInstanceOf(SSLException.class);
            }
        } else {
            assertThat(cause).isInstanceOf(SSLHandshakeException.class);
        }
        bystander.getOutputStream().write('b');
        assertThat(bystander.getInputStream().read()).as("the other connection still echoes").isEqualTo('b');
    }
}
