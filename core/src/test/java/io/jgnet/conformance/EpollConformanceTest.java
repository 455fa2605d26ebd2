package io.jgnet.conformance;

import io.jgnet.TransportKind;

/** The conformance suite on the epoll transport (FFM). */
class EpollConformanceTest extends ConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.EPOLL;
    }
}
