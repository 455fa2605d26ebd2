package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /metrics} scraped by the JDK's HttpClient: the Prometheus text format, with the engine's stats. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MetricsPageTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{loop=\"(\\d+)\"} (-?[0-9.]+)$");

    @Test
    void metricsServesEveryFamilyPerLoopInThePrometheusTextFormat() throws Exception {
        HttpConfig config = HttpConfig.defaults();
        Engine engine = Jgnet.start(HttpServer.handlerWithMetrics(config), "tcp://127.0.0.1:0",
                HttpServer.options(config, Options.builder().loops(2).build()));
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            int port = ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
            URI plaintext = URI.create("http://127.0.0.1:" + port + "/plaintext");
            for (int i = 0; i < 5; i++) {
                assertThat(client.send(HttpRequest.newBuilder(plaintext).build(), BodyHandlers.ofString()).body())
                        .isEqualTo("Hello, World!");
            }
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue(MetricsPage.CONTENT_TYPE);

            Map<String, Double> sums = new HashMap<>();
            Map<String, String> types = new HashMap<>();
            for (String line : response.body().split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    types.put(parts[2], parts[3]);
                } else if (!line.startsWith("# HELP ")) {
                    Matcher sample = SAMPLE.matcher(line);
                    assertThat(sample.matches()).as("a sample line: %s", line).isTrue();
                    assertThat(Integer.parseInt(sample.group(2))).isBetween(0, 1);
                    sums.merge(sample.group(1), Double.parseDouble(sample.group(3)), Double::sum);
                }
            }
            assertThat(types).containsEntry("jgnet_connections", "gauge").containsEntry("jgnet_bytes_in_total", "counter")
                    .hasSize(14);
            assertThat(sums.keySet()).isEqualTo(types.keySet());
            // The client's one keep-alive connection is open while it scrapes, and its five
            // requests plus the scrape were read (the answer to the scrape is still being written).
            assertThat(sums.get("jgnet_connections")).isEqualTo(1.0);
            assertThat(sums.get("jgnet_messages_in_total")).isGreaterThanOrEqualTo(6.0);
            assertThat(sums.get("jgnet_bytes_in_total")).isGreaterThan(6 * "GET /plaintext HTTP/1.1\r\n".length());
            assertThat(sums.get("jgnet_bytes_out_total")).isGreaterThan(5 * "Hello, World!".length());
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
    }
}
