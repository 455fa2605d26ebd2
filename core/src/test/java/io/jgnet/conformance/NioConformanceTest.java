package io.jgnet.conformance;

import io.jgnet.TransportKind;

/** The conformance suite on the java.nio transport. */
class NioConformanceTest extends ConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.NIO;
    }
}
