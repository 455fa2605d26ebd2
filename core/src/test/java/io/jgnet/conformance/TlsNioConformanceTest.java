package io.jgnet.conformance;

import io.jgnet.TransportKind;

/** The suite's TLS variant on the java.nio transport. */
class TlsNioConformanceTest extends TlsConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.NIO;
    }
}
