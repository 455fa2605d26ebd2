package io.jgnet.bench.load;

import io.jgnet.bench.servers.BenchTls;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The load's side of one TLS connection: the JDK's SSLEngine in client mode over a non-blocking
 * SocketChannel, TLS 1.3 with the servers' one cipher suite. The encrypted bytes pass through
 * buffers {@link Shared} by every link of one load thread; a link holds its own copy only of a
 * partial record it has read and of encrypted output the socket did not take, so ten thousand
 * idle links hold little beyond their engines. Engines are made without a peer host, so the JDK
 * never resumes a session: every connection makes a full handshake. Not thread-safe: the load
 * thread only.
 */
final class TlsLink {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final Shared shared;
    private ByteBuffer pendingIn;
    private ByteBuffer pendingOut;
    private boolean handshaken;
    private boolean unwrapped;

    /** What the links of one load thread share: the client context and the record buffers. */
    static final class Shared {
        final SSLContext context;
        final ByteBuffer in;
        final ByteBuffer out;
        /** Where handshake reads put the plaintext they produce. */
        final ByteBuffer scratch;

        Shared() throws IOException {
            try {
                context = SSLContext.getInstance(BenchTls.PROTOCOL);
                // Any server is trusted: the load measures servers it started itself, with a throwaway certificate.
                context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
            } catch (GeneralSecurityException e) {
                throw new IOException("no TLS client context: " + e, e);
            }
            SSLEngine sizes = context.createSSLEngine();
            int packet = sizes.getSession().getPacketBufferSize();
            // Two records a read: their plaintext always fits the load's 64 KiB read buffer.
            in = ByteBuffer.allocateDirect(2 * packet);
            out = ByteBuffer.allocateDirect(packet);
            scratch = ByteBuffer.allocate(3 * sizes.getSession().getApplicationBufferSize());
        }
    }

    TlsLink(SocketChannel channel, Shared shared) throws SSLException {
        this.channel = channel;
        this.shared = shared;
        this.engine = BenchTls.client(shared.context);
        engine.beginHandshake(); // else the engine says NOT_HANDSHAKING until its first wrap
    }

    boolean handshaken() {
        return handshaken;
    }

    /** Whether encrypted output waits for the socket: the caller then wants OP_WRITE. */
    boolean pendingOutput() {
        return pendingOut != null;
    }

    /**
     * Advances the handshake as far as the socket allows; true once it is done. Call again when
     * the socket is readable (or writable, while {@link #pendingOutput()}).
     */
    boolean handshake() throws IOException {
        while (!handshaken) {
            if (!flush()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    ByteBuffer out = shared.out.clear();
                    check(engine.wrap(EMPTY, out));
                    send(out.flip());
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (read(shared.scratch.clear()) < 0) {
                        throw new IOException("the server closed the connection during the TLS handshake");
                    }
                    if (!unwrapped) {
                        return false; // no whole record yet: wait for the socket
                    }
                }
                default -> handshaken = true;
            }
        }
        return flush();
    }

    /**
     * Reads what the socket has and decrypts every whole record into {@code dst} (which has room
     * for two records' plaintext); returns the plaintext bytes, -1 at the end of the stream.
     */
    int read(ByteBuffer dst) throws IOException {
        ByteBuffer in = shared.in.clear();
        if (pendingIn != null) {
            in.put(pendingIn);
            pendingIn = null;
        }
        int read = channel.read(in);
        in.flip();
        int produced = 0;
        unwrapped = false;
        while (in.hasRemaining()) {
            SSLEngineResult r = engine.unwrap(in, dst);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                return produced > 0 ? produced : -1;
            }
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                break; // a partial record: the rest is still on its way
            }
            unwrapped = true;
            produced += r.bytesProduced();
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (!handshaken && engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                break; // the handshake has something else to do first
            }
        }
        if (in.hasRemaining()) {
            pendingIn = ByteBuffer.allocate(in.remaining()).put(in).flip();
        }
        return read < 0 && produced == 0 ? -1 : produced;
    }

    /**
     * Encrypts {@code src} record by record and sends it; returns whether everything, earlier
     * output included, has gone to the socket (if not, call again when it is writable).
     */
    boolean write(ByteBuffer src) throws IOException {
        if (!flush()) {
            return false;
        }
        while (src.hasRemaining()) {
            ByteBuffer out = shared.out.clear();
            check(engine.wrap(src, out));
            if (!send(out.flip())) {
                return false;
            }
        }
        return true;
    }

    /** Sends close_notify, as a well-behaved client does, then closes the socket. */
    void close() throws IOException {
        try {
            engine.closeOutbound();
            ByteBuffer out = shared.out.clear();
            engine.wrap(EMPTY, out);
            channel.write(out.flip());
        } finally {
            channel.close();
        }
    }

    private boolean flush() throws IOException {
        if (pendingOut == null) {
            return true;
        }
        channel.write(pendingOut);
        if (pendingOut.hasRemaining()) {
            return false;
        }
        pendingOut = null;
        return true;
    }

    private boolean send(ByteBuffer out) throws IOException {
        channel.write(out);
        if (out.hasRemaining()) {
            pendingOut = ByteBuffer.allocate(out.remaining()).put(out).flip();
            return false;
        }
        return true;
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    private static void check(SSLEngineResult r) throws SSLException {
        if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
            throw new SSLException("TLS wrap: " + r.getStatus());
        }
    }
}
