package io.jgnet.engine;

import java.nio.ByteBuffer;

/**
 * A loop's working memory for TLS, shared by all its TLS connections because only one of them
 * encrypts or decrypts at a time: the plaintext a read decrypts to (which the handler reads in
 * place, as it reads the loop's read buffer) and the record a write encrypts to (copied at once
 * into the connection's ciphertext buffer). Heap buffers, because the JDK's ciphers work on
 * arrays (direct buffers cost them a copy).
 *
 * <p>Made on a loop's first TLS connection; owned by the loop thread.
 */
final class TlsScratch {
    /** The most plaintext one TLS record carries (2^14), with room for the content type of TLS 1.3. */
    static final int MAX_RECORD_PLAINTEXT = 16 * 1024 + 256;
    /** A file region's bytes read per record: the most one record carries. */
    static final int FILE_CHUNK = 16 * 1024;
    /** Plaintext gathered per handler callback: a few records, so that bulk reads cost few callbacks. */
    static final int PLAIN = 4 * MAX_RECORD_PLAINTEXT;
    /** One encrypted record with its header, padding and tag. */
    private static final int PACKET = 17 * 1024 + 512;

    private ByteBuffer plain = ByteBuffer.allocate(PLAIN);
    private ByteBuffer packet = ByteBuffer.allocate(PACKET);
    /** A file region's bytes on their way to a record: made on the loop's first file sent over TLS. */
    private ByteBuffer fileChunk;
    /** The one-element array the SSLEngine array methods take, reused instead of made per record. */
    private final ByteBuffer[] one = new ByteBuffer[1];

    ByteBuffer plain() {
        return plain;
    }

    ByteBuffer packet() {
        return packet;
    }

    /**
     * Where a file region sent over TLS is read, one record's plaintext at a time. Apart from
     * {@link #plain()}, which a handler may still be reading when its write flushes.
     */
    ByteBuffer fileChunk() {
        if (fileChunk == null) {
            fileChunk = ByteBuffer.allocate(FILE_CHUNK);
        }
        return fileChunk;
    }

    /** The engine asks for more room than any record should need (a peer's large records): grow once. */
    ByteBuffer growPlain(int atLeast) {
        plain = ByteBuffer.allocate(Math.max(atLeast, plain.capacity() * 2));
        return plain;
    }

    void growPacket(int atLeast) {
        packet = ByteBuffer.allocate(Math.max(atLeast, packet.capacity() * 2));
    }

    ByteBuffer[] one(ByteBuffer buffer) {
        one[0] = buffer;
        return one;
    }

    /** Drops the reference {@link #one} held, so that no connection's buffer outlives its call. */
    void clearOne() {
        one[0] = null;
    }
}
