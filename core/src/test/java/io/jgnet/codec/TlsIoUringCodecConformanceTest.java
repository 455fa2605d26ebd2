package io.jgnet.codec;

/** The codec conformance suite over TLS on the io_uring transport; skipped, with the reason, where io_uring is unavailable. */
class TlsIoUringCodecConformanceTest extends IoUringCodecConformanceTest {
    @Override
    boolean secure() {
        return true;
    }
}
