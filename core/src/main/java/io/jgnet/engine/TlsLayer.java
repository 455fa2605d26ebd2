package io.jgnet.engine;

import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.TlsSession;
import io.jgnet.buffer.ElasticBuffer;
import io.jgnet.transport.FileRegion;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/**
 * The JDK's SSLEngine between a connection's plaintext (what the handler reads and writes) and
 * its ciphertext (what the transport moves), the same on every transport.
 *
 * <p>Inbound: ciphertext arrives in the loop's read buffer, is copied to the loop's heap (the
 * JDK's AES-GCM works on arrays) and decrypted into the loop's plaintext scratch
 * ({@link TlsScratch}), which the handler reads in place as it would the read buffer; an
 * incomplete record is kept in {@link #cipherIn} while it waits for the rest. Outbound: the
 * handler writes plaintext into the connection's {@link Outbound} as
 * usual (watermarks and cap count it there); a flush encrypts up to {@link #WRAP_AHEAD} of it,
 * record by record through the loop's packet scratch, into {@link #cipherOut}, which the
 * transport sends (one send per flush, as for plaintext); a file region in the output is read
 * into the loop's scratch a record at a time and encrypted in its place among the writes. Both ciphertext holders
 * are taken from the loop's {@link TlsScratch} when bytes must wait and given back when empty, so an
 * idle TLS connection holds only its SSLEngine and this object.
 *
 * <p>The handshake starts when the connection comes up and is driven by reads and flushes;
 * delegated tasks run inline on the loop. Failures close only this connection, with an
 * SSLException subclass naming what failed: {@link SSLHandshakeException} before the handshake
 * finished (including its timeout and a peer speaking plain text), {@link SSLProtocolException}
 * for a bad record after it. close() and shutdownOutput() send close_notify after the pending
 * output; the peer's close_notify is the end of input.
 *
 * <p>Owned by the connection's loop thread.
 */
final class TlsLayer implements TlsSession {
    /**
     * Ciphertext encrypted ahead of the socket at most; what the socket has not taken beyond it
     * waits as plaintext, where the watermarks see it.
     */
    static final int WRAP_AHEAD = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketConnection conn;
    private final Loop loop;
    private final SSLEngine engine;
    /** Records not yet taken by the kernel; null when there are none. */
    private Outbound cipherOut;
    /** An incomplete record (or records the handler is not reading yet); null when there is none. */
    private ElasticBuffer cipherIn;
    /** Until the handshake finishes: its timeout and start; null after, so an idle connection holds none of it. */
    private Handshake handshake;
    private boolean handshakeDone;
    /**
     * The handshake is done and the engine owes the peer nothing: its last result said
     * NOT_HANDSHAKING. Asking the engine takes its lock and looks through its queues; per
     * record that was four asks, each way of an echo, for an answer the results already give.
     */
    private boolean settled;
    private boolean closeNotifySent;
    private boolean released;

    private TlsLayer(SocketConnection conn, Loop loop, SSLEngine engine, Tls tls) {
        this.conn = conn;
        this.loop = loop;
        this.engine = engine;
        this.handshake = new Handshake(tls.handshakeTimeout().toNanos());
    }

    /** The server side of an accepted connection. */
    static TlsLayer server(SocketConnection conn, Loop loop, Tls tls) {
        return new TlsLayer(conn, loop, loop.tlsScratch().engines.server(tls), tls);
    }

    /** The client side of a dial to {@code host:port}. */
    static TlsLayer client(SocketConnection conn, Loop loop, Tls tls, String host, int port) {
        String name = tls.serverName() != null ? tls.serverName() : host;
        return new TlsLayer(conn, loop, TlsEngines.client(tls, name, port, sniName(name)), tls);
    }

    /** The SNI name a client sends when it dials {@code name}: none for an IP address. */
    private static String sniName(String name) {
        boolean ipLiteral = name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        return ipLiteral || name.isEmpty() ? null : name;
    }

    /** The engine's TLS settings for a dial, or (none set) the JDK's default trust and verification. */
    static Tls clientSettings(Options options) {
        return options.tls() != null ? options.tls() : DefaultClient.TLS;
    }

    /** Made on the first dial that needs it: building it loads the JDK's trust store. */
    private static final class DefaultClient {
        static final Tls TLS = Tls.builder().build();
    }

    /** A handshake's timeout (it is the timer's task) and start, for its JFR event. */
    private final class Handshake implements Runnable {
        final long timeoutNanos;
        long start;
        Timer timer;

        Handshake(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        public void run() {
            timer = null;
            if (!handshakeDone && !released) {
                conn.closeNow(handshakeFailed(new SSLHandshakeException("TLS handshake with " + conn.remoteAddress()
                        + " did not finish within " + timeoutNanos / 1_000_000 + " ms")));
            }
        }

        void cancel() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }

    // ------------------------------------------------------------------ the connection's side

    /** Bring-up: starts the handshake and its timeout; a client's hello goes with the next flush. */
    void start() throws SSLException {
        handshake.start = System.nanoTime();
        engine.beginHandshake();
        handshake.timer = loop.scheduleOnLoop(handshake, handshake.timeoutNanos);
    }

    /**
     * Whether the connection, closing before its handshake finished, must still read the peer's
     * handshake records: the output written before the close can be encrypted only after them.
     */
    boolean readsWhileClosing() {
        return !handshakeDone && !released;
    }

    /**
     * Ciphertext arrived: decrypts what it can for the handler, keeps an incomplete record. While
     * the connection closes ({@link #readsWhileClosing}) only the handshake is read, and what
     * follows it is dropped, as a closing plain connection drops its input.
     */
    void received(ByteBuffer data) {
        if (released) {
            return;
        }
        loop.counters().bytesIn(-data.remaining()); // counted again as plaintext, when decrypted
        boolean fromHeld = cipherIn != null;
        if (fromHeld) {
            cipherIn.append(data);
        }
        // Held records are consumed below from how far the source's position moved.
        ByteBuffer source = loop.tlsScratch().onHeap(fromHeld ? cipherIn.readable() : data);
        int start = source.position();
        try {
            unwrapAll(source);
        } catch (SSLException | RuntimeException e) {
            fail(e);
            return;
        }
        if (released) {
            return; // the handler closed the connection: its buffers are gone
        }
        if (conn.input() == SocketConnection.Input.CLOSED && handshakeDone) {
            // Closing, and the handshake it waited for is read: what follows is not wanted.
            conn.socket().readInterest(false);
            if (fromHeld) {
                loop.tlsScratch().giveBack(cipherIn);
                cipherIn = null;
            }
            conn.flushNow(); // the output written before the close, then close_notify
            return;
        }
        if (fromHeld) {
            cipherIn.consume(source.position() - start);
            if (cipherIn.isEmpty()) {
                loop.tlsScratch().giveBack(cipherIn);
                cipherIn = null;
            }
        } else if (source.hasRemaining()) {
            cipherIn = loop.tlsScratch().partial();
            cipherIn.append(source);
        }
        // Handshake replies, and what the handler wrote, go now rather than at the end of the batch.
        conn.flushNow();
    }

    private void unwrapAll(ByteBuffer source) throws SSLException {
        TlsScratch scratch = loop.tlsScratch();
        ByteBuffer plain = scratch.plain();
        plain.clear();
        while (!released && (conn.input() == SocketConnection.Input.OPEN || readsWhileClosing())) {
            if (settleHandshake() == null) {
                break;
            }
            SSLEngineResult result = engine.unwrap(source, scratch.one(plain), 0, 1);
            scratch.clearOne();
            noteFinished(result);
            switch (result.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    deliver(plain);
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    if (plain.position() == 0) {
                        plain = scratch.growPlain(engine.getSession().getApplicationBufferSize());
                    } else {
                        deliver(plain);
                        plain = scratch.plain();
                    }
                }
                case CLOSED -> {
                    deliver(plain);
                    if (!released && conn.input() == SocketConnection.Input.OPEN) {
                        conn.inputEnded(); // the peer's close_notify: end of input
                    }
                    return;
                }
                case OK -> {
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0
                            && result.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                        deliver(plain);
                        return; // nothing moved: wait for more bytes rather than spin
                    }
                    if (plain.remaining() < TlsScratch.MAX_RECORD_PLAINTEXT) {
                        deliver(plain);
                        plain = scratch.plain();
                    }
                    if (!source.hasRemaining() && handshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                        deliver(plain);
                        return;
                    }
                }
            }
        }
        deliver(plain);
    }

    /** Hands the plaintext gathered in the loop's scratch to the handler, then empties the scratch. */
    private void deliver(ByteBuffer plain) {
        if (plain.position() == 0 || released || conn.input() == SocketConnection.Input.CLOSED) {
            plain.clear();
            return;
        }
        plain.flip();
        loop.counters().bytesIn(plain.remaining());
        conn.deliver(plain);
        plain.clear();
    }

    /**
     * Encrypts pending plaintext (after the handshake, up to {@link #WRAP_AHEAD} ahead of the
     * socket), then close_notify once {@code closing} and the plaintext is all out; sends it.
     */
    void flush(Outbound plain, boolean closing) throws IOException {
        if (released) {
            return;
        }
        // A readiness transport may take all the records at once while plaintext still waits
        // (beyond WRAP_AHEAD): then no writable event would come, so encrypt the next share now.
        do {
            try {
                produce(plain, closing);
            } catch (SSLException | RuntimeException e) {
                throw classify(e);
            }
            if (cipherOut == null) {
                return;
            }
            conn.socket().flush(cipherOut);
            giveBackIfSent();
        } while (cipherOut == null && !plain.isEmpty() && handshakeDone && !released);
    }

    /** All records went out (an empty output is lent to no one): the loop keeps the holder meanwhile. */
    private void giveBackIfSent() {
        if (cipherOut != null && cipherOut.isEmpty()) {
            loop.tlsScratch().giveBack(cipherOut);
            cipherOut = null;
        }
    }

    private void produce(Outbound plain, boolean closing) throws IOException {
        while (true) {
            HandshakeStatus status = settleHandshake();
            if (!handshakeDone || status != HandshakeStatus.NOT_HANDSHAKING
                    || plain.isEmpty() || waiting() >= WRAP_AHEAD) {
                break;
            }
            FileRegion file = plain.file();
            if (file != null) {
                encryptFileChunk(plain, file);
                continue;
            }
            ByteBuffer region = plain.region();
            int before = region.position();
            try {
                if (!wrap(region)) {
                    throw new SSLException("TLS output to " + conn.remoteAddress() + " is closed (the peer ended"
                            + " the session): " + region.remaining() + " bytes cannot be sent");
                }
            } finally {
                plain.sent(region.position() - before);
            }
        }
        if (closing && !closeNotifySent && plain.isEmpty()) {
            closeNotifySent = true;
            settled = false;
            engine.closeOutbound();
            while (!engine.isOutboundDone() && wrap(EMPTY)) {
                // close_notify, and any handshake message the engine still owed.
            }
        }
    }

    /**
     * A file region cannot go zero-copy through a cipher: reads one record's worth of it (at
     * most {@link TlsScratch#FILE_CHUNK}) into the loop's scratch and encrypts it, so a file of
     * any size is held in memory one record at a time. What the record did not take is read
     * again next time (reads are positional), so nothing is kept between calls.
     */
    private void encryptFileChunk(Outbound plain, FileRegion file) throws IOException {
        ByteBuffer chunk = loop.tlsScratch().fileChunk();
        chunk.clear().limit((int) Math.min(chunk.capacity(), file.remaining()));
        int read = file.channel().read(chunk, file.position());
        if (read < 0) {
            throw new EOFException("the file sent to " + conn.remoteAddress() + " ended " + file.remaining()
                    + " bytes before its region did (was it truncated?)");
        }
        chunk.flip();
        if (!wrap(chunk)) {
            throw new SSLException("TLS output to " + conn.remoteAddress() + " is closed (the peer ended"
                    + " the session): " + file.remaining() + " bytes of a file cannot be sent");
        }
        plain.fileSent(chunk.position());
    }

    /** Encrypts one record of {@code source} (or a handshake message) into {@link #cipherOut}; false if nothing moved. */
    private boolean wrap(ByteBuffer source) throws SSLException {
        TlsScratch scratch = loop.tlsScratch();
        while (true) {
            ByteBuffer packet = scratch.packet();
            packet.clear();
            SSLEngineResult result = engine.wrap(scratch.one(source), 0, 1, packet);
            scratch.clearOne();
            noteFinished(result);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                scratch.growPacket(engine.getSession().getPacketBufferSize());
                continue;
            }
            packet.flip();
            if (packet.hasRemaining()) {
                if (cipherOut == null) {
                    cipherOut = scratch.records();
                }
                cipherOut.append(packet);
            }
            return result.bytesProduced() > 0 || result.bytesConsumed() > 0;
        }
    }

    /**
     * Runs the engine's delegated tasks (inline: the loop is this connection's only thread) and
     * wraps what the handshake owes the peer, until the engine waits for the peer or is done.
     * Returns that status, or null if a wrap moved nothing (the engine is closed).
     */
    private HandshakeStatus settleHandshake() throws SSLException {
        while (true) {
            HandshakeStatus status = handshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status != HandshakeStatus.NEED_WRAP) {
                return status;
            } else if (!wrap(EMPTY)) {
                return null;
            }
        }
    }

    /** The engine's handshake status: asked only when its last result left it in doubt. */
    private HandshakeStatus handshakeStatus() {
        if (settled) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        settled = handshakeDone && status == HandshakeStatus.NOT_HANDSHAKING;
        return status;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Takes what a wrap or unwrap tells of the handshake: its end, and whether the engine owes anything. */
    private void noteFinished(SSLEngineResult result) {
        HandshakeStatus status = result.getHandshakeStatus();
        settled = handshakeDone && status == HandshakeStatus.NOT_HANDSHAKING;
        if (status == HandshakeStatus.FINISHED && !handshakeDone) {
            handshakeDone = true;
            handshake.cancel();
            SSLSession session = engine.getSession();
            JgnetEvents.tlsHandshakeDone(conn, handshake.start, session.getProtocol(), session.getCipherSuite(),
                    applicationProtocol());
            handshake = null;
        }
    }

    /** Records a failed handshake (a JFR event, when one is recorded) and returns its cause. */
    private SSLException handshakeFailed(SSLException cause) {
        JgnetEvents.tlsHandshakeFailed(conn, handshake.start, cause);
        return cause;
    }

    /**
     * The connection is cut (its write cap passed): the records encrypted ahead go with the
     * dropped plaintext, and no close_notify follows, as a cut plain connection sends no FIN.
     * Waiting for them would keep the connection open as long as the peer does not read. The
     * holder is closed, never given back to the loop's spares: a region of it may still be lent
     * to the kernel, and goes back to the pool only at that send's completion.
     */
    void dropOutput() {
        if (cipherOut != null) {
            cipherOut.close();
            cipherOut = null;
        }
        closeNotifySent = true;
    }

    /** Bytes of records encrypted and not yet taken by the kernel. */
    int waiting() {
        return cipherOut == null ? 0 : cipherOut.size();
    }

    /** Whether every byte of ciphertext went out (and close_notify, when closing). */
    boolean sent(boolean closing) {
        return (cipherOut == null || cipherOut.isEmpty()) && (!closing || closeNotifySent);
    }

    /**
     * The TCP stream ended. Before the handshake finished that is a failed handshake; after it,
     * a peer that sent no close_notify (as many HTTP clients do) is still taken as end of input.
     * Returns the failure to close with, or null.
     */
    SSLException tcpEnded() {
        if (!handshakeDone) {
            return handshakeFailed(new SSLHandshakeException("TLS handshake with " + conn.remoteAddress()
                    + " failed: the peer closed the connection before the handshake finished"));
        }
        settled = false;
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // Truncation without close_notify: tolerated as end of input, as plain TCP would be.
        }
        return null;
    }

    /** Reading resumed: records read while it was suspended are decrypted now. */
    void resumed() {
        if (cipherIn != null) {
            loop.execute(() -> {
                if (!released && conn.input() == SocketConnection.Input.OPEN) {
                    received(EMPTY);
                }
            });
        }
    }

    /** The connection closed: gives the buffers back (a region lent to the kernel at its completion). */
    void release() {
        released = true;
        if (handshake != null) {
            handshake.cancel();
        }
        if (cipherOut != null && cipherOut.isEmpty()) {
            loop.tlsScratch().giveBack(cipherOut);
        } else if (cipherOut != null) {
            cipherOut.close(); // a region lent to the kernel goes back to the pool at its completion
        }
        cipherOut = null;
        if (cipherIn != null) {
            loop.tlsScratch().giveBack(cipherIn);
            cipherIn = null;
        }
    }

    private void fail(Exception e) {
        SSLException cause = classify(e);
        try {
            // The engine has a fatal alert ready for the peer: send it, best effort, before closing.
            settled = false;
            engine.closeOutbound();
            wrap(EMPTY);
            if (cipherOut != null) {
                conn.socket().flush(cipherOut);
            }
        } catch (IOException | RuntimeException ignored) {
            // The connection closes with the first failure, not this one.
        }
        conn.closeNow(cause);
    }

    /** An SSLException subclass naming the peer and what failed. */
    private SSLException classify(Exception e) {
        String what = e.getMessage();
        if (what != null && (what.contains("nrecognized SSL message") || what.contains("plaintext connection"))) {
            what += " (is the peer speaking plain text to a TLS port?)";
        }
        SSLException named = handshakeDone
                ? new SSLProtocolException("bad TLS record from " + conn.remoteAddress() + ": " + what)
                : new SSLHandshakeException("TLS handshake with " + conn.remoteAddress() + " failed: " + what);
        named.initCause(e);
        return handshakeDone ? named : handshakeFailed(named);
    }

    // ---------------------------------------------------------------------------- TlsSession

    @Override
    public boolean isHandshakeComplete() {
        return handshakeDone;
    }

    @Override
    public String protocol() {
        return handshakeDone ? engine.getSession().getProtocol() : null;
    }

    @Override
    public String cipherSuite() {
        return handshakeDone ? engine.getSession().getCipherSuite() : null;
    }

    @Override
    public String applicationProtocol() {
        String protocol = engine.getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    @Override
    public String serverName() {
        if (engine.getUseClientMode()) {
            return sniName(engine.getPeerHost());
        }
        SSLSession session = handshakeDone ? engine.getSession() : engine.getHandshakeSession();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return ((SNIHostName) name).getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    @Override
    public List<Certificate> peerCertificates() {
        if (!handshakeDone) {
            return List.of();
        }
        try {
            return List.of(engine.getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public SSLSession sslSession() {
        return handshakeDone ? engine.getSession() : null;
    }

    @Override
    public String toString() {
        return "TlsSession[" + (handshakeDone ? protocol() + ", " + cipherSuite() + ", alpn=" + applicationProtocol()
                : "handshaking") + "]";
    }
}
