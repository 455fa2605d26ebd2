package io.jgnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./jgnet http --head-timeout 1} (the launcher's Main, in a process of its own) against
 * a slowloris attack: hundreds of connections that each send a request line and then one header
 * byte every 100 ms, which keeps any idle or read timeout happy. Each is cut off at the head
 * timeout (408, or end of stream, or a reset if its trickle raced the close), while ordinary
 * requests from the JDK's HttpClient are all served meanwhile. Every loop is bounded; a server
 * without a head timeout fails the test when the trickles run out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SlowlorisTest {
    private static final int LORISES = 300;
    private static final Duration TRICKLE = Duration.ofMillis(100);
    /** A loris gives up (and the test fails) after this many header bytes: 20 s of trickling. */
    private static final int MAX_TRICKLES = 200;
    private static final int NORMAL_REQUESTS = 100;
    private static final Duration GUARD = Duration.ofSeconds(30);

    @Test
    void slowHeadsAreCutOffAtTheHeadTimeoutWhileOrdinaryClientsAreServed() throws Exception {
        Process server = startServer();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            InetSocketAddress address = listeningAddress(server);
            List<Future<String>> lorises = new ArrayList<>();
            for (int i = 0; i < LORISES; i++) {
                lorises.add(threads.submit(() -> loris(address)));
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(GUARD).build();
            URI plaintext = URI.create("http://127.0.0.1:" + address.getPort() + "/plaintext");
            for (int i = 0; i < NORMAL_REQUESTS; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(plaintext).timeout(GUARD).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("Hello, World!");
            }
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Future<String> loris : lorises) {
                outcomes.merge(loris.get(GUARD.toSeconds() * 2, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertThat(outcomes.keySet()).as("how the %d slow clients ended: %s", LORISES, outcomes)
                    .isSubsetOf("408", "end of stream", "reset");
            assertThat(outcomes.getOrDefault("408", 0)).as("told why: %s", outcomes).isPositive();
        } finally {
            threads.shutdownNow();
            server.destroy();
            if (!server.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    /** One slow client: a request line, then a header byte per trickle until the server answers or ends it. */
    private static String loris(InetSocketAddress address) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) GUARD.toMillis());
            socket.setSoTimeout((int) GUARD.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            int trickles = 0;
            while (in.available() == 0) {
                if (trickles++ == MAX_TRICKLES) {
                    return "still open after " + MAX_TRICKLES + " trickles";
                }
                out.write('x');
                Thread.sleep(TRICKLE);
            }
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return reply.startsWith("HTTP/1.1 408 ") ? "408" : reply.isEmpty() ? "end of stream" : "reply: " + reply;
        } catch (SocketTimeoutException e) {
            return "no answer within " + GUARD.toSeconds() + " s";
        } catch (SocketException e) {
            // The server closed while trickled bytes were unread: the kernel answers with a reset.
            return "reset";
        }
    }

    private static Process startServer() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "http", "--port", "0", "--head-timeout", "1")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** Reads the server's "listening on tcp://127.0.0.1:PORT" line. */
    private static InetSocketAddress listeningAddress(Process server) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)");
        String line;
        while ((line = lines.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            }
        }
        throw new IOException("the http server ended without saying where it listens");
    }
}
