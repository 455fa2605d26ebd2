package io.jgnet;

import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * What a TLS connection negotiated, as {@link Conn#tls()} shows it: the protocol version, cipher
 * suite, ALPN protocol, the host name the client asked for (SNI) and the peer's certificates.
 *
 * <p>A connection's handler sees onOpen when the TCP connection is up and its first onTraffic
 * only after the handshake, so values are null (or empty) in onOpen and settled from the first
 * onTraffic on. Read it on the connection's loop thread; the object lives as long as the
 * connection and belongs to it.
 */
public interface TlsSession {

    /** {@return whether the handshake has finished} */
    boolean isHandshakeComplete();

    /** {@return the negotiated protocol version, e.g. "TLSv1.3", or null before the handshake} */
    String protocol();

    /** {@return the negotiated cipher suite, e.g. "TLS_AES_128_GCM_SHA256", or null before the handshake} */
    String cipherSuite();

    /** {@return the protocol agreed by ALPN, e.g. "h2", or null if none was agreed} */
    String applicationProtocol();

    /**
     * {@return the host name the client asked for by SNI (on a server), or sent (on a client);
     * null if none}
     */
    String serverName();

    /** {@return the peer's certificate chain, leaf first; empty if the peer sent none} */
    List<Certificate> peerCertificates();

    /** {@return the JDK session, for anything else; null before the handshake} */
    SSLSession sslSession();
}
