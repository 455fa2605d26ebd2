package io.jgnet.codec;

/** The codec conformance suite over TLS on the java.nio transport. */
class TlsNioCodecConformanceTest extends NioCodecConformanceTest {
    @Override
    boolean secure() {
        return true;
    }
}
