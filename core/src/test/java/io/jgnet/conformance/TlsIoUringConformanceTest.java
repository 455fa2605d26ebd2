package io.jgnet.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgnet.TransportKind;
import io.jgnet.transport.iouring.IoUringTransport;
import org.junit.jupiter.api.BeforeEach;

/** The suite's TLS variant on the io_uring transport; skipped, with the reason, where io_uring is unavailable. */
class TlsIoUringConformanceTest extends TlsConformanceSuite {
    @BeforeEach
    void requireIoUring() {
        assumeTrue(IoUringTransport.isAvailable(), () -> "io_uring unavailable: " + IoUringTransport.unavailableReason());
    }

    @Override
    public TransportKind transport() {
        return TransportKind.IO_URING;
    }
}
