package io.jgnet.codec;

import io.jgnet.TransportKind;

/** The codec conformance suite on the epoll transport. */
class EpollCodecConformanceTest extends CodecConformanceSuite {
    @Override
    TransportKind transport() {
        return TransportKind.EPOLL;
    }
}
