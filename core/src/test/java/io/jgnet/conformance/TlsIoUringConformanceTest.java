package io.jgnet.conformance;

import io.jgnet.TransportKind;

/** The suite's TLS variant on the io_uring transport; skipped, with the reason, where io_uring is unavailable. */
class TlsIoUringConformanceTest extends TlsConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.IO_URING;
    }
}
