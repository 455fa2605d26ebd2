package io.jgnet.conformance;

import io.jgnet.TransportKind;

/** The conformance suite on the io_uring transport (FFM); skipped, with the reason, where io_uring is unavailable. */
class IoUringConformanceTest extends ConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.IO_URING;
    }
}
