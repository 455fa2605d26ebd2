package io.jgnet.engine;

import io.jgnet.buffer.BufferPool;
import io.jgnet.buffer.ElasticBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A loop's working memory for TLS, shared by all its TLS connections because only one of them
 * encrypts or decrypts at a time: a read's ciphertext, copied off the read buffer to be decrypted,
 * the plaintext it decrypts to (which the handler reads in place, as it reads the loop's read
 * buffer) and the record a write encrypts to (copied at once into the connection's ciphertext
 * buffer). Heap buffers, because the JDK's ciphers work on arrays (direct buffers cost them a
 * copy).
 *
 * <p>It also keeps the connections' ciphertext holders while they are empty: a connection takes
 * one when a record must wait (for the socket, or for the rest of a record) and gives it back
 * when the bytes are gone, so that an idle TLS connection holds none, and steady traffic, which
 * takes and gives back every round trip, makes no garbage.
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
    /**
     * Empty holders kept for reuse at most: one per connection of a burst that is sending (or
     * waiting for a record) at once is plenty; past it they are left to the GC.
     */
    private static final int SPARES = 256;
    /**
     * The largest read copied to the heap before it is decrypted (the default read buffer): a
     * larger one, which only a raised read buffer cap makes, is decrypted where it is.
     */
    static final int CIPHER_COPY_MAX = 64 * 1024;

    private final BufferPool pool;
    /** How this loop makes its connections' engines (the server settings made once). */
    final TlsEngines engines = new TlsEngines();
    private final ArrayDeque<Outbound> spareRecords = new ArrayDeque<>();
    private final ArrayDeque<ElasticBuffer> sparePartials = new ArrayDeque<>();

    private ByteBuffer plain = ByteBuffer.allocate(PLAIN);
    private ByteBuffer packet = ByteBuffer.allocate(PACKET);
    /** Ciphertext copied from off-heap memory for decryption: grown to the largest read, up to {@link #CIPHER_COPY_MAX}. */
    private ByteBuffer cipher;
    /** A file region's bytes on their way to a record: made on the loop's first file sent over TLS. */
    private ByteBuffer fileChunk;
    /** The one-element array the SSLEngine array methods take, reused instead of made per record. */
    private final ByteBuffer[] one = new ByteBuffer[1];

    TlsScratch(BufferPool pool) {
        this.pool = pool;
    }

    /**
     * An empty output for a connection's encrypted records, not counted by the loop (its counts
     * are the handler's plaintext, once); {@link #giveBack(Outbound)} it once all is sent.
     */
    Outbound records() {
        Outbound spare = spareRecords.poll();
        return spare != null ? spare : new Outbound(pool, Integer.MAX_VALUE - 8, Integer.MAX_VALUE - 8, 0, null);
    }

    /** Takes back an output from {@link #records()}, which must be empty (so not lent to the kernel). */
    void giveBack(Outbound records) {
        if (!records.isEmpty()) {
            throw new IllegalStateException("records given back while " + records.size() + " bytes wait");
        }
        if (spareRecords.size() < SPARES) {
            spareRecords.push(records);
        }
    }

    /** An empty buffer for a connection's incomplete record; {@link #giveBack(ElasticBuffer)} it once empty. */
    ElasticBuffer partial() {
        ElasticBuffer spare = sparePartials.poll();
        return spare != null ? spare : new ElasticBuffer(pool);
    }

    /** Takes back a buffer from {@link #partial()}, releasing its memory to the pool. */
    void giveBack(ElasticBuffer partial) {
        partial.release();
        if (sparePartials.size() < SPARES) {
            sparePartials.push(partial);
        }
    }

    /**
     * {@code data}'s bytes copied to a heap buffer, consumed from {@code data}; or {@code data}
     * itself when it is on the heap already or larger than {@link #CIPHER_COPY_MAX}. The JDK
     * decrypts a record in place in the buffer it reads it from, and its AES-GCM takes a copy of
     * every off-heap record in fresh arrays first (record-sized, per record); one copy here into
     * a reused array costs less and allocates nothing.
     */
    ByteBuffer onHeap(ByteBuffer data) {
        int length = data.remaining();
        if (!data.isDirect() || length > CIPHER_COPY_MAX) {
            return data;
        }
        if (cipher == null || cipher.capacity() < length) {
            cipher = ByteBuffer.allocate(Math.min(CIPHER_COPY_MAX, Math.max(length, PACKET)));
        }
        return cipher.clear().put(data).flip();
    }

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
