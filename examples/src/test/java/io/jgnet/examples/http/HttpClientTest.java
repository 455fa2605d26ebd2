package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example routes through the JDK's HttpClient, forced to HTTP/1.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpClientTest {
    private static HttpTestServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = HttpTestServer.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        client.close();
        server.close();
    }

    @Test
    void plaintextFollowsTheTechEmpowerRules() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/plaintext")).build(),
                BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello, World!");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
        assertThat(response.headers().firstValue("content-length")).hasValue("13");
        assertThat(response.headers().firstValue("server")).hasValue("jgnet");
        String date = response.headers().firstValue("date").orElseThrow();
        // IMF-fixdate: two-digit day, GMT; parsing proves the format, not the clock.
        assertThat(date).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)).isNotNull();
    }

    @Test
    void jsonAnswersTheMessageObject() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/json")).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.headers().firstValue("content-length")).hasValue("27");
        assertThat(response.headers().firstValue("server")).hasValue("jgnet");
        assertThat(response.headers().firstValue("date")).isPresent();
    }

    @Test
    void echoReturnsAFixedLengthUpload() throws Exception {
        byte[] body = random(300_000);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.uri("/echo"))
                .header("Content-Type", "application/x-test")
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/x-test");
    }

    @Test
    void echoReturnsAChunkedUpload() throws Exception {
        byte[] body = random(500_000);
        // ofInputStream has no known length, so the client sends Transfer-Encoding: chunked.
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.uri("/echo"))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void echoWaitsFor100ContinueBeforeTheBody() throws Exception {
        byte[] body = random(50_000);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(server.uri("/echo"))
                .expectContinue(true)
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void unknownPathIs404() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/nothing?x=1")).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("connection")).as("404 keeps the connection").isEmpty();
    }

    @Test
    void knownPathWithAnotherMethodIs405WithAllow() throws Exception {
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(server.uri("/plaintext"))
                .POST(BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.uri("/echo")).build(),
                BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void queryStringDoesNotChangeTheRoute() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/plaintext?a=b&c")).build(),
                BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("Hello, World!");
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
