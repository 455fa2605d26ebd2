package io.jgnet.conformance;

import io.jgnet.Options;
import io.jgnet.TransportKind;

/** The suite's TLS variant on the epoll transport with edge-triggered registration. */
class TlsEpollEdgeTriggeredConformanceTest extends TlsConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.EPOLL;
    }

    @Override
    public Options.Builder options() {
        return super.options().epoll(epoll -> epoll.edgeTriggered(true));
    }
}
