package io.jgnet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How an engine speaks TLS, on the JDK's own TLS implementation ({@link SSLContext} and
 * SSLEngine): its certificate (to serve, or to present as a client), whom it trusts, the
 * protocol versions, ALPN, client authentication and the handshake timeout. Set it with
 * {@link Options.Builder#tls(Tls)}; then {@code tls://host:port} listeners serve TLS with it
 * (next to plaintext {@code tcp://} listeners of the same engine) and {@code tls://} dials
 * speak TLS as a client with it.
 *
 * <pre>{@code
 * Tls tls = Tls.builder()
 *         .certificate(Path.of("fullchain.pem"), Path.of("privkey.pem"))
 *         .applicationProtocols("http/1.1")
 *         .build();
 * Jgnet.rotate(handler, List.of("tcp://:80", "tls://:443"), Options.builder().tls(tls).build());
 * }</pre>
 *
 * <p>Defaults: TLS 1.3 and 1.2 only, the JDK's default cipher suites (AES-128-GCM preferred, see
 * {@link #cipherSuites()}), no ALPN, no client
 * authentication, the JDK's default trust store (cacerts), host-name verification on for
 * clients, a 10 second handshake timeout. A connection whose handshake fails, stalls past the
 * timeout or receives a bad record is closed alone, with an {@link javax.net.ssl.SSLException}
 * naming what failed as the cause given to {@link EventHandler#onClose}.
 *
 * <p>Immutable once built; safe to share between threads and engines. Files are read by
 * {@link Builder#build()}, once.
 */
public final class Tls {
    /** Whether a server asks a client for a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for (the default). */
        NONE,
        /** A certificate is asked for; a client without one is still served. */
        OPTIONAL,
        /** A client without a certificate the trust store accepts fails its handshake. */
        REQUIRED
    }

    private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final boolean hasCertificate;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final List<String> applicationProtocols;
    private final ClientAuth clientAuth;
    private final boolean hostnameVerification;
    private final String serverName;
    private final Duration handshakeTimeout;

    private Tls(Builder b, SSLContext context, boolean hasCertificate) {
        this.context = context;
        this.hasCertificate = hasCertificate;
        this.protocols = List.copyOf(b.protocols);
        this.cipherSuites = List.copyOf(b.cipherSuites != null ? b.cipherSuites
                : aes128First(context.getDefaultSSLParameters().getCipherSuites()));
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.clientAuth = b.clientAuth;
        this.hostnameVerification = b.hostnameVerification;
        this.serverName = b.serverName;
        this.handshakeTimeout = b.handshakeTimeout;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the JDK context every connection's SSLEngine is made from; never null} */
    public SSLContext context() {
        return context;
    }

    /**
     * {@return whether a certificate was given (PEM files, a PKCS#12 store or an SSLContext)}
     * A {@code tls://} listener needs one.
     */
    public boolean hasCertificate() {
        return hasCertificate;
    }

    /** {@return the enabled protocol versions, e.g. [TLSv1.3, TLSv1.2]} */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * {@return the enabled cipher suites in order of preference: those given to the builder, or
     * the JDK's defaults with each AES-128-GCM suite moved before its AES-256-GCM twin}
     * A server picks the first of these the client offers. AES-128-GCM first is Netty's,
     * BoringSSL's and Go's order too: as strong as TLS needs, and its SHA-256 key schedule makes
     * a handshake cheaper (fewer SHA-384 hashes) and a connection's keys smaller.
     */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The JDK's suites in the JDK's order, except that AES-128-GCM goes before its AES-256-GCM twin. */
    static List<String> aes128First(String[] suites) {
        List<String> ordered = new ArrayList<>(List.of(suites));
        for (int i = 0; i < ordered.size(); i++) {
            String twin = ordered.get(i).replace("AES_256_GCM_SHA384", "AES_128_GCM_SHA256");
            int at = ordered.indexOf(twin);
            if (at > i) {
                ordered.set(at, ordered.get(i));
                ordered.set(i, twin);
            }
        }
        return ordered;
    }

    /** {@return the ALPN protocols in order of preference; empty for no ALPN} */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** {@return whether a server asks clients for a certificate} */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** {@return whether a client checks that the server's certificate names the host it dialed} */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /**
     * {@return the name a client sends as SNI and verifies the certificate against, or null to
     * use the host of the dialed address}
     */
    public String serverName() {
        return serverName;
    }

    /** {@return how long a handshake may take before its connection is closed} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    @Override
    public String toString() {
        return "Tls[protocols=" + protocols + ", alpn=" + applicationProtocols + ", clientAuth=" + clientAuth
                + ", certificate=" + hasCertificate + ", hostnameVerification=" + hostnameVerification
                + ", handshakeTimeout=" + handshakeTimeout + "]";
    }

    /**
     * Collects TLS settings; {@link #build()} reads the files and checks the values. Not
     * thread-safe: use one builder from one thread.
     */
    public static final class Builder {
        private final Map<String, Path[]> pemIdentities = new LinkedHashMap<>();
        private Path keyStore;
        private char[] keyStorePassword;
        private SSLContext context;
        private final List<Path> trustPems = new ArrayList<>();
        private KeyStore trustStore;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> cipherSuites;
        private List<String> applicationProtocols = List.of();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean hostnameVerification = true;
        private String serverName;
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * The default certificate: a PEM chain (leaf first, as certbot's fullchain.pem) and its
         * unencrypted PKCS#8 private key in PEM ({@code -----BEGIN PRIVATE KEY-----}).
         *
         * @param certificateChain the PEM certificate chain file
         * @param privateKey the PEM PKCS#8 private key file
         * @return this builder, for chaining
         */
        public Builder certificate(Path certificateChain, Path privateKey) {
            pemIdentities.put(SniKeyManager.DEFAULT, new Path[] {certificateChain, privateKey});
            return this;
        }

        /**
         * The certificate for clients that ask for {@code hostName} by SNI ({@code *.domain}
         * for a wildcard); clients asking for another name, or none, get the default one.
         *
         * @param hostName the host name, e.g. {@code api.example.com} or {@code *.example.com}
         * @param certificateChain the PEM certificate chain file
         * @param privateKey the PEM PKCS#8 private key file
         * @return this builder, for chaining
         */
        public Builder certificate(String hostName, Path certificateChain, Path privateKey) {
            if (hostName == null || hostName.isBlank()) {
                throw new IllegalArgumentException("SNI host name must not be empty");
            }
            pemIdentities.put(hostName.toLowerCase(Locale.ROOT), new Path[] {certificateChain, privateKey});
            return this;
        }

        /**
         * The default certificate from a PKCS#12 key store (its first key entry).
         *
         * @param pkcs12 the key store file
         * @param password the store's (and its key's) password
         * @return this builder, for chaining
         */
        public Builder keyStore(Path pkcs12, char[] password) {
            this.keyStore = pkcs12;
            this.keyStorePassword = password.clone();
            return this;
        }

        /**
         * An SSLContext made elsewhere, used as is for keys and trust: the certificate, SNI,
         * key-store and trust settings of this builder are then refused.
         *
         * @param context an initialised SSLContext
         * @return this builder, for chaining
         */
        public Builder sslContext(SSLContext context) {
            this.context = context;
            return this;
        }

        /**
         * Trusts the certificates in a PEM file (CAs or self-signed peers) instead of the JDK's
         * default trust store: to verify servers when dialing and client certificates when
         * {@link #clientAuth} asks for them. May be called several times.
         *
         * @param caCertificates a PEM file of one or more certificates
         * @return this builder, for chaining
         */
        public Builder trust(Path caCertificates) {
            trustPems.add(caCertificates);
            return this;
        }

        /**
         * Trusts the certificates of a key store instead of the JDK's default trust store.
         *
         * @param trustStore a loaded key store of trusted certificates
         * @return this builder, for chaining
         */
        public Builder trust(KeyStore trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        /**
         * The protocol versions to enable (default TLSv1.3 and TLSv1.2).
         *
         * @param protocols JDK protocol names, e.g. "TLSv1.3"
         * @return this builder, for chaining
         */
        public Builder protocols(String... protocols) {
            this.protocols = List.of(protocols);
            return this;
        }

        /**
         * The cipher suites to enable, most preferred first (default: the JDK's defaults for the
         * enabled protocols, AES-128-GCM before AES-256-GCM).
         *
         * @param cipherSuites JDK suite names, e.g. "TLS_AES_128_GCM_SHA256"
         * @return this builder, for chaining
         */
        public Builder cipherSuites(String... cipherSuites) {
            this.cipherSuites = List.of(cipherSuites);
            return this;
        }

        /**
         * The ALPN protocols, most preferred first: a server picks the first of these the client
         * offers (and fails the handshake if none), a client offers them.
         *
         * @param protocols protocol ids, e.g. "h2", "http/1.1"
         * @return this builder, for chaining
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /**
         * Whether a server asks clients for a certificate (default {@link ClientAuth#NONE}).
         *
         * @param clientAuth none, optional or required
         * @return this builder, for chaining
         */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = clientAuth;
            return this;
        }

        /**
         * Whether a client checks that the server's certificate names the host it dialed
         * (default on). Turn it off only for tests against certificates without the name.
         *
         * @param verify false to skip the check (the chain is still verified)
         * @return this builder, for chaining
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /**
         * The name a client sends as SNI and verifies the server's certificate against,
         * instead of the host of the dialed address (for dials by IP address).
         *
         * @param serverName a host name, or null for the dialed host
         * @return this builder, for chaining
         */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /**
         * How long a handshake may take (default 10 s); past it the connection is closed with
         * an {@link javax.net.ssl.SSLHandshakeException}.
         *
         * @param timeout a positive duration
         * @return this builder, for chaining
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Reads the files and makes the SSLContext.
         *
         * @return the TLS settings, immutable
         * @throws IllegalArgumentException naming the setting or file at fault
         */
        public Tls build() {
            if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
                throw new IllegalArgumentException("TLS handshakeTimeout must be positive, was " + handshakeTimeout);
            }
            if (protocols.isEmpty()) {
                throw new IllegalArgumentException("TLS protocols must not be empty");
            }
            if (clientAuth == null) {
                throw new IllegalArgumentException("TLS clientAuth must not be null");
            }
            if (context != null) {
                if (!pemIdentities.isEmpty() || keyStore != null || !trustPems.isEmpty() || trustStore != null) {
                    throw new IllegalArgumentException("an SSLContext brings its own keys and trust: do not also set"
                            + " certificates, a key store or trust");
                }
                return new Tls(this, context, true);
            }
            try {
                KeyManager[] keys = keyManagers();
                SSLContext made = SSLContext.getInstance("TLS");
                made.init(keys, trustManagers(), null);
                return new Tls(this, made, keys != null);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
            }
        }

        private KeyManager[] keyManagers() throws IOException, GeneralSecurityException {
            Map<String, SniKeyManager.Identity> identities = new LinkedHashMap<>();
            for (Map.Entry<String, Path[]> entry : pemIdentities.entrySet()) {
                Path[] files = entry.getValue();
                identities.put(entry.getKey(),
                        new SniKeyManager.Identity(Pem.certificates(files[0]), Pem.privateKey(files[1])));
            }
            if (keyStore != null) {
                identities.putIfAbsent(SniKeyManager.DEFAULT, fromKeyStore());
            }
            if (identities.isEmpty()) {
                return null;
            }
            if (!identities.containsKey(SniKeyManager.DEFAULT)) {
                throw new IllegalArgumentException("TLS certificates for SNI names need a default certificate too,"
                        + " for clients that ask for no name or another one");
            }
            return new KeyManager[] {new SniKeyManager(identities)};
        }

        private SniKeyManager.Identity fromKeyStore() throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                store.load(in, keyStorePassword);
            }
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getKey(alias, keyStorePassword) instanceof PrivateKey key) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (var certificate : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) certificate);
                    }
                    return new SniKeyManager.Identity(chain, key);
                }
            }
            throw new IOException(keyStore + " holds no private key entry");
        }

        private TrustManager[] trustManagers() throws IOException, GeneralSecurityException {
            KeyStore trusted = trustStore;
            if (!trustPems.isEmpty()) {
                trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int n = 0;
                for (Path file : trustPems) {
                    for (X509Certificate certificate : Pem.certificates(file)) {
                        trusted.setCertificateEntry("trusted-" + n++, certificate);
                    }
                }
            }
            if (trusted == null) {
                return null; // the JDK's default trust store
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory.getTrustManagers();
        }
    }
}
