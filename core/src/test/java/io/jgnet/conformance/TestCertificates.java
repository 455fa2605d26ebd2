package io.jgnet.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's keytool (EC P-256, valid two days), written as
 * the PEM files certbot and openssl write (chain + PKCS#8 key) and as a PKCS#12 store. Nothing
 * secret is committed: every run makes its own, once per JVM, in a temporary directory.
 *
 * <p>Thread-safe: made once, under the class's lock.
 */
public final class TestCertificates {
    /** A self-signed certificate: its PEM files and PKCS#12 store (password {@link #PASSWORD}). */
    public record Issued(Path certificate, Path privateKey, Path pkcs12) {
    }

    public static final String PASSWORD = "changeit";
    private static Path dir;

    private TestCertificates() {
    }

    /** For localhost and 127.0.0.1. */
    public static synchronized Issued server() throws IOException {
        return issue("server", "localhost", "dns:localhost,ip:127.0.0.1");
    }

    /** For other.test, *.wild.test and 127.0.0.1: a second name for SNI tests. */
    public static synchronized Issued other() throws IOException {
        return issue("other", "other.test", "dns:other.test,dns:*.wild.test,ip:127.0.0.1");
    }

    /** A client's certificate, for mutual TLS. */
    public static synchronized Issued client() throws IOException {
        return issue("client", "jgnet test client", null);
    }

    private static Issued issue(String name, String commonName, String subjectAltNames) throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jgnet-tls-");
            dir.toFile().deleteOnExit();
        }
        Path store = dir.resolve(name + ".p12");
        Path certificate = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        if (Files.exists(key)) {
            return new Issued(certificate, key, store);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + commonName, "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (subjectAltNames != null) {
            command.addAll(List.of("-ext", "SAN=" + subjectAltNames));
        }
        // Output to a file, so that the wait is bounded however keytool behaves; killed whatever happens.
        Path output = dir.resolve(name + "-keytool.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making a certificate", e);
        } finally {
            process.destroyForcibly();
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD.toCharArray());
            PrivateKey privateKey = (PrivateKey) keyStore.getKey(name, PASSWORD.toCharArray());
            StringBuilder chain = new StringBuilder();
            for (Certificate c : keyStore.getCertificateChain(name)) {
                chain.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(certificate, chain);
            Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return new Issued(certificate, key, store);
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
