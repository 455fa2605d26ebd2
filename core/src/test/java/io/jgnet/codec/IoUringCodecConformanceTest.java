package io.jgnet.codec;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgnet.TransportKind;
import io.jgnet.transport.iouring.IoUringTransport;
import org.junit.jupiter.api.BeforeEach;

/** The codec conformance suite on the io_uring transport; skipped, with the reason, where io_uring is unavailable. */
class IoUringCodecConformanceTest extends CodecConformanceSuite {
    @BeforeEach
    void requireIoUring() {
        assumeTrue(IoUringTransport.isAvailable(), () -> "io_uring unavailable: " + IoUringTransport.unavailableReason());
    }

    @Override
    TransportKind transport() {
        return TransportKind.IO_URING;
    }
}
