package io.jgnet.bench;

import com.sun.management.ThreadMXBean;
import io.jgnet.bench.servers.BenchTls;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * What the JDK's SSLEngine allocates per record on its own: a server engine encrypting a
 * {@code size}-byte record and a client engine decrypting it, in memory, with the bench's
 * certificate, protocol and suite, through buffers of the kinds jgnet's loop hands the engine
 * (heap packet, heap plaintext, one reused one-element array). A TLS echo's loop thread cannot
 * allocate less than one wrap and one unwrap of this; {@link LoopAllocation}'s TLS row is read
 * against it. Runs on the calling thread, which it measures.
 */
final class TlsRecordFloor {
    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final SSLEngine server;
    private final SSLEngine client;
    private final ByteBuffer payload;
    private final ByteBuffer packet = ByteBuffer.allocate(17 * 1024 + 512);
    private final ByteBuffer plain = ByteBuffer.allocate(4 * (16 * 1024 + 256));
    private final ByteBuffer[] one = new ByteBuffer[1];

    /** Bytes per record: a wrap's, an unwrap's. */
    record Bytes(double wrap, double unwrap) {
        double total() {
            return wrap + unwrap;
        }
    }

    TlsRecordFloor(int size) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance(BenchTls.PROTOCOL);
            context.init(BenchTls.keyManagers().getKeyManagers(), null, null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot make the server context: " + e, e);
        }
        server = context.createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledProtocols(new String[] {BenchTls.PROTOCOL});
        server.setEnabledCipherSuites(new String[] {BenchTls.CIPHER_SUITE});
        client = BenchTls.client(BenchTls.clientContext());
        payload = ByteBuffer.allocate(size);
        handshake();
    }

    private void handshake() throws IOException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer scratch = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < 100; i++) {
            boolean moved = TlsEngineFloor.step(client, toServer, toClient, scratch);
            moved |= TlsEngineFloor.step(server, toClient, toServer, scratch);
            if (!moved && client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                return;
            }
        }
        throw new IOException("the in-memory handshake did not finish");
    }

    /** Encrypts and decrypts {@code records} records, measuring the last {@code measured} of them. */
    Bytes measure(int records, int measured) throws IOException {
        long wrapBytes = 0;
        long unwrapBytes = 0;
        for (int i = 0; i < records; i++) {
            payload.clear();
            packet.clear();
            plain.clear();
            long start = threads.getCurrentThreadAllocatedBytes();
            one[0] = payload;
            SSLEngineResult wrapped = server.wrap(one, 0, 1, packet);
            long wrapEnd = threads.getCurrentThreadAllocatedBytes();
            packet.flip();
            one[0] = plain;
            SSLEngineResult unwrapped = client.unwrap(packet, one, 0, 1);
            long unwrapEnd = threads.getCurrentThreadAllocatedBytes();
            if (wrapped.bytesConsumed() != payload.capacity() || unwrapped.bytesProduced() != payload.capacity()) {
                throw new IOException("a record did not go through: " + wrapped + ", " + unwrapped);
            }
            if (i >= records - measured) {
                wrapBytes += wrapEnd - start;
                unwrapBytes += unwrapEnd - wrapEnd;
            }
        }
        one[0] = null;
        return new Bytes(wrapBytes / (double) measured, unwrapBytes / (double) measured);
    }
}
