package io.jgnet.codec;

import io.jgnet.TransportKind;

/** The codec conformance suite on the java.nio transport. */
class NioCodecConformanceTest extends CodecConformanceSuite {
    @Override
    TransportKind transport() {
        return TransportKind.NIO;
    }
}
