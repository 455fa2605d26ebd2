package io.jgnet.conformance;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/**
 * The suite's TLS variant: the echo, close (with half-close) and backpressure behaviours again,
 * with every listener {@code tls://} and every test client a JDK SSLSocket, run per transport by
 * a one-line subclass ({@link TlsNioConformanceTest}, ...). The behaviours are the plain suite's
 * own code; {@link #secure()} switches {@link Harness#start} and {@link Harness#connect}.
 *
 * <p>Over TLS 1.3 (the default) a client's shutdownOutput sends close_notify and keeps reading,
 * so the half-close behaviour applies as it stands: the server sees end of input and still
 * delivers every byte of its answer. Skipped here: two hundred concurrent connections (200
 * handshakes at once cost seconds of CPU; see the assumption's reason).
 */
abstract class TlsConformanceSuite extends SuiteEngines implements EchoBehaviours, CloseBehaviours,
        BackpressureBehaviours {

    @BeforeAll
    static void prepareTls() throws IOException {
        TlsTestClients.prepare();
    }

    @Override
    public boolean secure() {
        return true;
    }
}
