package io.jgnet.engine;

import io.jgnet.Tls;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes the SSLEngine of each TLS connection from its {@link Tls}, setting on it only what
 * differs from the engine's defaults. An engine keeps its own copy of every list it is given
 * (the protocols, the cipher suites, the named groups), and keeps none for a setting left at
 * the default, which it shares with every other engine of its context: so setting only what
 * differs is what keeps an idle TLS connection small (the JDK's round trip of
 * {@code getSSLParameters()} into {@code setSSLParameters()} alone costs each engine a copy of
 * the named groups, and of the default protocols), and building the settings once per loop
 * is what keeps a handshake cheap.
 *
 * <p>Loop thread: the server settings are cached per loop ({@link Loop#tlsScratch()}).
 */
final class TlsEngines {
    private Tls serverTls;
    private SSLParameters serverParameters;

    /** The server side of an accepted connection, with the settings this loop made for {@code tls} (once). */
    SSLEngine server(Tls tls) {
        SSLEngine engine = tls.context().createSSLEngine();
        engine.setUseClientMode(false);
        if (tls != serverTls) {
            serverParameters = serverParameters(tls, engine);
            serverTls = tls;
        }
        engine.setSSLParameters(serverParameters);
        return engine;
    }

    private static SSLParameters serverParameters(Tls tls, SSLEngine defaults) {
        SSLParameters parameters = differences(tls, defaults);
        parameters.setUseCipherSuitesOrder(true); // ours, AES-128-GCM first: see Tls.cipherSuites
        switch (tls.clientAuth()) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case OPTIONAL -> parameters.setWantClientAuth(true);
            default -> parameters.setNeedClientAuth(false);
        }
        return parameters;
    }

    /**
     * The client side of a dial to {@code name} (the host, or the configured server name) on
     * {@code port}; {@code sni} is the name to send, or null for none.
     */
    static SSLEngine client(Tls tls, String name, int port, String sni) {
        SSLEngine engine = tls.context().createSSLEngine(name, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = differences(tls, engine);
        if (tls.hostnameVerification()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (sni != null) {
            parameters.setServerNames(List.of(new SNIHostName(sni)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * Settings holding the protocols, suites and ALPN protocols of {@code tls} that differ from
     * what {@code engine} (in its final mode) has by default; everything else unset (null), which
     * leaves the engine's default in place. (A fresh SSLParameters says "retransmissions on",
     * which a TLS engine ignores and keeps off; set so, as the engine has it.)
     */
    private static SSLParameters differences(Tls tls, SSLEngine engine) {
        SSLParameters parameters = new SSLParameters();
        parameters.setEnableRetransmissions(false);
        String[] protocols = tls.protocols().toArray(String[]::new);
        if (!Arrays.equals(protocols, engine.getEnabledProtocols())) {
            parameters.setProtocols(protocols);
        }
        String[] suites = tls.cipherSuites().toArray(String[]::new);
        if (!Arrays.equals(suites, engine.getEnabledCipherSuites())) {
            parameters.setCipherSuites(suites);
        }
        if (!tls.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(tls.applicationProtocols().toArray(String[]::new));
        }
        return parameters;
    }
}
