package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The static files of {@code --root} over a raw socket, on every transport: what is sent for
 * GET, HEAD, conditional and range requests, and that no request gets out of the root.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticFilesTest {
    private static final Instant MODIFIED = Instant.parse("2026-11-02T10:20:30Z");
    private static final String MODIFIED_HTTP = "Mon, 02 Nov 2026 10:20:30 GMT";

    @TempDir
    Path dir;
    private Path root;
    private byte[] data;
    private HttpTestServer server;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        data = new byte[300_000];
        new Random(14).nextBytes(data);
        Files.write(root.resolve("data.bin"), data);
        Files.setLastModifiedTime(root.resolve("data.bin"), FileTime.from(MODIFIED));
        Files.writeString(Files.createDirectories(root.resolve("docs")).resolve("index.html"), "<p>index</p>");
        Files.writeString(root.resolve("empty.txt"), "");
        Files.writeString(dir.resolve("secret.txt"), "outside the root");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("alias.bin"), root.resolve("data.bin"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawResponse request(String method, String target, String... headers) throws IOException {
        return request(method.equals("HEAD"), method, target, headers);
    }

    /** {@code bodiless}: a HEAD, or a 304, which has no Content-Length either. */
    private RawResponse request(boolean bodiless, String method, String target, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            String head = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + String.join("", Arrays.stream(headers).map(h -> h + "\r\n").toList()) + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            RawResponse response = RawResponse.read(in, bodiless);
            assertThat(in.read()).as("nothing after the response").isEqualTo(-1);
            return response;
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "IO_URING"})
    void servesFilesWithTheirHeadersRangesAndConditions(TransportKind transport) throws Exception {
        server = HttpTestServer.serving(root, transport);

        RawResponse whole = request("GET", "/data.bin");
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(data);
        assertThat(whole.header("content-type")).isEqualTo("application/octet-stream");
        assertThat(whole.header("last-modified")).isEqualTo(MODIFIED_HTTP);
        assertThat(whole.header("accept-ranges")).isEqualTo("bytes");

        RawResponse head = request("HEAD", "/data.bin");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-length")).isEqualTo("300000");
        assertThat(head.body()).isEmpty();

        assertThat(request("GET", "/empty.txt").body()).isEmpty();
        assertThat(request("GET", "/docs/").text()).isEqualTo("<p>index</p>");
        assertThat(request("GET", "/alias.bin").body()).as("a link inside the root").isEqualTo(data);

        RawResponse middle = request("GET", "/data.bin", "Range: bytes=1000-1999");
        assertThat(middle.status()).isEqualTo(206);
        assertThat(middle.header("content-range")).isEqualTo("bytes 1000-1999/300000");
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
        assertThat(request("GET", "/data.bin", "Range: bytes=-10").body()).isEqualTo(Arrays.copyOfRange(data, 299_990, 300_000));
        assertThat(request("GET", "/data.bin", "Range: bytes=299999-").body()).isEqualTo(new byte[] {data[299_999]});
        assertThat(request("GET", "/data.bin", "Range: bytes=0-1,5-6").status()).as("several ranges: whole file").isEqualTo(200);
        RawResponse unsatisfiable = request("GET", "/data.bin", "Range: bytes=300000-");
        assertThat(unsatisfiable.status()).isEqualTo(416);
        assertThat(unsatisfiable.header("content-range")).isEqualTo("bytes */300000");

        RawResponse notModified = request(true, "GET", "/data.bin", "If-Modified-Since: " + MODIFIED_HTTP);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("content-length")).isNull();
        assertThat(request("GET", "/data.bin", "If-Modified-Since: Sun, 01 Nov 2026 10:20:30 GMT").status())
                .as("modified since").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "IO_URING"})
    void noRequestGetsOutOfTheRoot(TransportKind transport) throws Exception {
        server = HttpTestServer.serving(root, transport);
        assertThat(request("GET", "/../secret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/docs/../../secret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/%2e%2e/secret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/%2E%2E%2fsecret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/..%5csecret.txt").status()).isEqualTo(400);
        assertThat(request("GET", "/%00data.bin").status()).isEqualTo(400);
        assertThat(request("GET", "/escape.txt").status()).as("a link out of the root").isEqualTo(403);
        assertThat(request("GET", "/" + dir.resolve("secret.txt")).status()).as("an absolute path").isIn(403, 404);
        assertThat(request("GET", "/missing.txt").status()).isEqualTo(404);
        assertThat(request("POST", "/data.bin").status()).isEqualTo(405);
        assertThat(request("GET", "/plaintext").text()).as("routes come first").isEqualTo("Hello, World!");
    }
}
