package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP servers of every kind answer GET /plaintext in TechEmpower's shape, pipelined or not. */
class BenchServersHttpTest {

    private static final String REQUEST = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void plaintextAnswersHelloWorldWithServerDateTypeAndLength(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("http", kind);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(TestServers.READ_TIMEOUT).build()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/plaintext");
            for (int i = 0; i < 2; i++) { // the second request rides the kept-alive connection
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TestServers.READ_TIMEOUT)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("Hello, World!");
                assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("text/plain"));
                assertThat(response.headers().firstValue("content-length")).hasValue("13");
                assertThat(response.headers().firstValue("server")).hasValueSatisfying(v -> assertThat(v).isNotBlank());
                assertThat(response.headers().firstValue("date")).hasValueSatisfying(
                        v -> DateTimeFormatter.RFC_1123_DATE_TIME.parse(v));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void sixteenPipelinedRequestsInOneWriteGetSixteenResponsesInOrder(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("http", kind);
             Socket socket = TestServers.connect(server)) {
            socket.getOutputStream().write(REQUEST.repeat(16).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 16; i++) {
                assertThat(TestServers.readLine(in)).as("status line %d", i).isEqualTo("HTTP/1.1 200 OK");
                Map<String, String> headers = new HashMap<>();
                for (String line; !(line = TestServers.readLine(in)).isEmpty(); ) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                assertThat(headers).containsKeys("server", "date", "content-type").containsEntry("content-length", "13");
                assertThat(new String(TestServers.readExactly(in, 13), StandardCharsets.US_ASCII)).isEqualTo("Hello, World!");
            }
            // And the connection is still usable: one more request, one more response.
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            assertThat(TestServers.readLine(in)).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
