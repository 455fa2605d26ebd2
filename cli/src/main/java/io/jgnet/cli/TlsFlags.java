package io.jgnet.cli;

import io.jgnet.Tls;
import io.jgnet.cli.Flags.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TLS flags of the server commands: {@code --tls} (a self-signed certificate for
 * 127.0.0.1/localhost made at start, its SHA-256 fingerprint printed, so trying TLS needs no
 * files), {@code --tls-cert FILE --tls-key FILE} (a PEM chain and PKCS#8 key, as certbot
 * writes them), and for the proxy {@code --backend-trust FILE} (the PEM certificates a
 * {@code tls://} backend is verified against, instead of the JDK's trust store).
 *
 * <p>The self-signed certificate is made by the JDK's own keytool (the JDK has no public API
 * for it), in a temporary directory deleted at exit. Called on the command line's thread.
 */
final class TlsFlags {
    static final Map<String, String> FLAGS = Map.of("tls", "false", "tls-cert", "", "tls-key", "");
    private static final String PASSWORD = "jgnet-self-signed";

    private TlsFlags() {
    }

    /** Whether the command line asks to serve TLS. */
    static boolean wanted(Flags flags) {
        return flags.declares("tls") && (flags.string("tls").equals("true") || !flags.string("tls-cert").isEmpty());
    }

    /**
     * The TLS settings the flags ask for, or null for none; prints the certificate's fingerprint.
     *
     * @param alpn the ALPN protocols the server speaks, most preferred first
     */
    static Tls settings(Flags flags, PrintStream out, String... alpn) throws UsageException {
        boolean backendTrust = flags.declares("backend-trust") && !flags.string("backend-trust").isEmpty();
        if (!wanted(flags) && !backendTrust) {
            return null;
        }
        Tls.Builder tls = Tls.builder().applicationProtocols(alpn);
        if (backendTrust) {
            tls.trust(Path.of(flags.string("backend-trust")));
        }
        if (wanted(flags)) {
            String cert = flags.string("tls-cert");
            String key = flags.string("tls-key");
            if (cert.isEmpty() != key.isEmpty()) {
                throw new UsageException("--tls-cert and --tls-key go together");
            }
            try {
                if (!cert.isEmpty()) {
                    tls.certificate(Path.of(cert), Path.of(key));
                    out.println("jgnet: TLS with the certificate of " + cert);
                } else {
                    Path store = selfSigned();
                    tls.keyStore(store, PASSWORD.toCharArray());
                    out.println("jgnet: TLS with a self-signed certificate for localhost and 127.0.0.1, SHA-256 "
                            + fingerprint(store));
                    out.println("jgnet: its certificate, for clients to trust: " + store.resolveSibling("self-signed.pem"));
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new UsageException("cannot make a self-signed certificate: " + e.getMessage());
            }
        }
        try {
            return tls.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A new EC P-256 key and certificate for localhost and 127.0.0.1, valid 30 days, in a PKCS#12 store. */
    static Path selfSigned() throws IOException {
        Path dir = Files.createTempDirectory("jgnet-tls-");
        Path store = dir.resolve("self-signed.p12");
        store.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "jgnet",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(keytool + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the certificate", e);
        }
        Path pem = store.resolveSibling("self-signed.pem");
        pem.toFile().deleteOnExit();
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD.toCharArray());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keyStore.getCertificate("jgnet").getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read back " + store + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The SHA-256 fingerprint of the store's certificate, as openssl x509 -fingerprint prints it. */
    static String fingerprint(Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = keyStore.getCertificate("jgnet");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}
