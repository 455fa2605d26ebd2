package io.jgnet.bench.servers;

import io.jgnet.Tls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;

/**
 * What every TLS benchmark server shares, so that jgnet and Netty do the same cryptography: one
 * certificate (a self-signed EC P-256 key for CN=localhost in a PKCS#12 store made by keytool),
 * TLS 1.3 and one cipher suite on the JDK's provider. A server finds the store in the system
 * property {@value #KEY_STORE_PROPERTY} (the matrix sets it); a JVM without it makes its own.
 * Threading: any thread.
 */
public final class BenchTls {

    /** The only protocol the servers and the load enable. */
    public static final String PROTOCOL = "TLSv1.3";
    /** The only cipher suite the servers and the load enable. */
    public static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    /** A protocol with this prefix is the protocol after it, served over TLS. */
    public static final String PREFIX = "tls-";
    /** The system property naming the PKCS#12 store a TLS server uses. */
    public static final String KEY_STORE_PROPERTY = "jgnet.bench.tlsKeyStore";
    /** The store's and its key's password: a benchmark's throwaway key, not a secret. */
    public static final char[] PASSWORD = "bench-only".toCharArray();
    /** Both servers' handshake timeout: a cold JVM's first handshakes, queued on a busy core, can take over the default 10 s. */
    static final java.time.Duration HANDSHAKE_TIMEOUT = java.time.Duration.ofSeconds(60);
    private static Path ownStore;

    private BenchTls() {
    }

    /** What {@code protocol} speaks inside TLS ("tls-echo": "echo"), or {@code protocol} itself when it is plaintext. */
    public static String served(String protocol) {
        return protocol.startsWith(PREFIX) ? protocol.substring(PREFIX.length()) : protocol;
    }

    /** {@code dir/bench.p12}, made by keytool when missing: every server of every run presents the same certificate. */
    public static synchronized Path keyStore(Path dir) throws IOException {
        Path store = dir.resolve("bench.p12");
        if (Files.isRegularFile(store)) {
            return store;
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "bench", ".p12.partial");
        Files.delete(partial); // keytool refuses to write into an existing, empty file
        try {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                    "-dname", "CN=localhost", "-storetype", "PKCS12", "-keystore", partial.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes()).strip();
            if (keytool.waitFor() != 0) {
                throw new IOException("keytool failed: " + output);
            }
            Files.move(partial, store, StandardCopyOption.ATOMIC_MOVE);
            return store;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the benchmark certificate");
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The store this JVM's TLS servers use: the property's, or one of its own in a temporary directory. */
    public static synchronized Path serverKeyStore() throws IOException {
        String configured = System.getProperty(KEY_STORE_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        if (ownStore == null) {
            Path dir = Files.createTempDirectory("jgnet-bench-tls-");
            ownStore = keyStore(dir);
            ownStore.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        }
        return ownStore;
    }

    /** jgnet's TLS settings for a benchmark server: the store's certificate, {@link #PROTOCOL} and {@link #CIPHER_SUITE}. */
    public static Tls jgnet() throws IOException {
        return Tls.builder().keyStore(serverKeyStore(), PASSWORD).protocols(PROTOCOL).cipherSuites(CIPHER_SUITE)
                .handshakeTimeout(HANDSHAKE_TIMEOUT).build();
    }

    /** Netty's for the same: an SslContext on the JDK's provider with the same certificate, protocol and suite. */
    public static SslContext netty() throws IOException {
        return SslContextBuilder.forServer(keyManagers()).sslProvider(SslProvider.JDK).protocols(PROTOCOL)
                .ciphers(List.of(CIPHER_SUITE)).build();
    }

    /** A client engine as the load makes one from {@code context}: no SNI, {@link #PROTOCOL} and {@link #CIPHER_SUITE} only. */
    public static SSLEngine client(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {PROTOCOL});
        engine.setEnabledCipherSuites(new String[] {CIPHER_SUITE});
        return engine;
    }

    /** Key managers over {@link #serverKeyStore()}, for Netty's SslContextBuilder. */
    public static KeyManagerFactory keyManagers() throws IOException {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(loadServerKeyStore(), PASSWORD);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the benchmark key store: " + e, e);
        }
    }

    /** A client context trusting only the certificate in {@link #serverKeyStore()}. */
    public static SSLContext clientContext() throws IOException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(loadServerKeyStore());
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the benchmark's client context: " + e, e);
        }
    }

    private static KeyStore loadServerKeyStore() throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(serverKeyStore())) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD);
            return keys;
        }
    }
}
