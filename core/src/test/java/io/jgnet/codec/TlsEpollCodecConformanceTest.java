package io.jgnet.codec;

/** The codec conformance suite over TLS on the epoll transport. */
class TlsEpollCodecConformanceTest extends EpollCodecConformanceTest {
    @Override
    boolean secure() {
        return true;
    }
}
