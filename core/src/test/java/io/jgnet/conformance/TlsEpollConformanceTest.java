package io.jgnet.conformance;

import io.jgnet.TransportKind;

/** The suite's TLS variant on the epoll transport. */
class TlsEpollConformanceTest extends TlsConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.EPOLL;
    }
}
