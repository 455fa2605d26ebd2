package io.jgnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code --tls} against real clients: curl over https to {@code jgnet http --tls},
 * redis-cli {@code --tls} to {@code jgnet redis --tls}, and the proxy terminating TLS in front
 * of a plaintext backend and originating TLS to a TLS backend. Each server is the command line
 * itself, run in a child JVM on this test's class path. A missing curl or redis-cli skips its
 * test here and fails it under {@code CI=true}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsLauncherTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (tls|tcp)://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CERTIFICATE = Pattern.compile("for clients to trust: (\\S+)");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    private final List<Process> processes = new ArrayList<>();

    /** A command-line server: its port, and its self-signed certificate (PEM) if it made one. */
    record Server(int port, Path certificate, String fingerprint) {
    }

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void curlGetsHttpsFromJgnetHttpTls() throws Exception {
        requireTool("curl");
        Server http = launch("http", "--tls", "--port", "0");
        assertThat(http.fingerprint()).isNotNull();
        String body = run("curl", "-sS", "--cacert", http.certificate().toString(),
                "https://localhost:" + http.port() + "/plaintext");
        assertThat(body).isEqualTo("Hello, World!");
        String verbose = run("curl", "-sS", "-v", "--cacert", http.certificate().toString(), "-o", "/dev/null",
                "https://127.0.0.1:" + http.port() + "/json");
        assertThat(verbose).contains("ALPN").contains("http/1.1").contains("SSL connection using TLSv1.3");
    }

    @Test
    void curlGetsAStaticFileAndARangeOverHttps(@TempDir Path dir) throws Exception {
        requireTool("curl");
        // Several MiB: many TLS records, more than the TLS layer encrypts ahead of the socket.
        byte[] data = new byte[(5 << 20) + 3];
        new Random(13).nextBytes(data);
        Files.write(dir.resolve("big.bin"), data);
        Server http = launch("http", "--tls", "--port", "0", "--root", dir.toString());
        String url = "https://localhost:" + http.port() + "/big.bin";
        Path whole = dir.resolve("whole.out");
        Path range = dir.resolve("range.out");
        run("curl", "-sS", "--fail", "--cacert", http.certificate().toString(), "-o", whole.toString(), url);
        assertThat(Files.readAllBytes(whole)).isEqualTo(data);
        run("curl", "-sS", "--fail", "--cacert", http.certificate().toString(), "-r", "1000000-3999999",
                "-o", range.toString(), url);
        assertThat(Files.readAllBytes(range)).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 4_000_000));
    }

    @Test
    void redisCliTalksTlsToJgnetRedisTls() throws Exception {
        requireTool("redis-cli");
        Server redis = launch("redis", "--tls", "--port", "0");
        String ca = redis.certificate().toString();
        String port = String.valueOf(redis.port());
        assertThat(run("redis-cli", "--tls", "--cacert", ca, "-p", port, "set", "greeting", "hello")).isEqualTo("OK");
        assertThat(run("redis-cli", "--tls", "--cacert", ca, "-p", port, "get", "greeting")).isEqualTo("hello");
    }

    @Test
    void proxyTerminatesTlsInFrontOfAPlaintextBackend() throws Exception {
        Server echo = launch("echo", "--port", "0");
        Server proxy = launch("proxy", "--tls", "--listen", "tcp://127.0.0.1:0", "--backend",
                "tcp://127.0.0.1:" + echo.port());
        try (SSLSocket socket = sslSocket(proxy)) {
            socket.getOutputStream().write("through the proxy".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(socket.getInputStream().readNBytes(17), StandardCharsets.UTF_8))
                    .isEqualTo("through the proxy");
        }
    }

    @Test
    void proxyOriginatesTlsToATlsBackend() throws Exception {
        Server echo = launch("echo", "--tls", "--port", "0");
        Server proxy = launch("proxy", "--listen", "tcp://127.0.0.1:0", "--backend",
                "tls://localhost:" + echo.port(), "--backend-trust", echo.certificate().toString());
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 30_000);
            socket.getOutputStream().write("to a tls backend".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(socket.getInputStream().readNBytes(16), StandardCharsets.UTF_8))
                    .isEqualTo("to a tls backend");
        }
    }

    // ---------------------------------------------------------------------------- helpers

    /** Runs {@code ./jgnet <args>} in a child JVM and waits for its "listening on" line. */
    private Server launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        CompletableFuture<Server> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder all = new StringBuilder();
            Path certificate = null;
            String fingerprint = null;
            try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    all.append(line).append('\n');
                    Matcher m = CERTIFICATE.matcher(line);
                    if (m.find()) {
                        certificate = Path.of(m.group(1));
                    }
                    m = FINGERPRINT.matcher(line);
                    if (m.find()) {
                        fingerprint = m.group(1);
                    }
                    m = LISTENING.matcher(line);
                    if (m.find()) {
                        ready.complete(new Server(Integer.parseInt(m.group(2)), certificate, fingerprint));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("jgnet " + String.join(" ", args) + " ended:\n" + all));
        });
        return ready.get(90, TimeUnit.SECONDS);
    }

    private static SSLSocket sslSocket(Server server) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(server.certificate())) {
            trusted.setCertificateEntry("jgnet", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("localhost", server.port()), 30_000);
        return socket;
    }

    /** Runs a client tool to completion; its output, stripped. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        String text = output.get(10, TimeUnit.SECONDS).strip();
        assertThat(process.exitValue()).as(String.join(" ", command) + " exit code; output: " + text).isZero();
        return text;
    }

    static void requireTool(String tool) throws Exception {
        Process probe = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
        boolean present = probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(tool + " is missing (CI=true: the real-peer tests must run)");
        }
        assumeTrue(present, tool + " is not installed: skipping its real-peer test");
    }
}
