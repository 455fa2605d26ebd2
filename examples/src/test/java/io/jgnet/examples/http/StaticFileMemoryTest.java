package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.examples.PeerTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl and wrk fetch a 100 MiB file and a range of it from the example server running in a
 * process of its own: every byte is right (SHA-256 against the file), and the server's resident
 * memory grows by less than 16 MiB, because the file goes from the page cache to the socket
 * without passing through the JVM. Skipped without curl or wrk unless CI=true.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticFileMemoryTest {
    private static final long SIZE = 100L << 20;
    private static final long GROWTH_LIMIT_KIB = 16 * 1024;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");

    @TempDir
    Path dir;

    @Test
    void curlAndWrkFetchAHundredMebibytesByteExactWithoutTheServerGrowing() throws Exception {
        Path curl = PeerTools.require("curl", "curl");
        Path wrk = PeerTools.require("wrk", "wrk");
        Path root = Files.createDirectories(dir.resolve("www"));
        Path big = root.resolve("big.bin");
        writeRandom(big, SIZE);
        Files.writeString(root.resolve("small.txt"), "warm-up\n");

        // A fixed, pre-touched heap: what the heap does is not what this test measures.
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), StaticFileServerProcess.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        try (OutputStream stdin = server.getOutputStream()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String port = null;
            for (String line; port == null && (line = out.readLine()) != null; ) {
                if (line.startsWith("port ")) {
                    port = line.substring(5);
                }
            }
            assertThat(port).as("the server printed its port").isNotNull();
            String base = "http://127.0.0.1:" + port;

            // Warm up: the loop, the request path and sendfile's first call, on a small file.
            for (int i = 0; i < 20; i++) {
                assertThat(run(curl.toString(), "-sS", "-o", "/dev/null", base + "/small.txt").exitCode()).isZero();
            }
            long before = rssKib(server.pid());

            Path whole = dir.resolve("whole.bin");
            PeerTools.Result get = run(curl.toString(), "-sS", "-o", whole.toString(), "-w", "%{http_code}", base + "/big.bin");
            assertThat(get.stdout()).as(get.output()).isEqualTo("200");
            assertThat(sha256(whole, 0, SIZE)).isEqualTo(sha256(big, 0, SIZE));
            Files.delete(whole);

            long first = 12_345_678;
            long last = 87_654_320;
            Path part = dir.resolve("part.bin");
            PeerTools.Result range = run(curl.toString(), "-sS", "-o", part.toString(), "-w", "%{http_code}",
                    "-r", first + "-" + last, base + "/big.bin");
            assertThat(range.stdout()).as(range.output()).isEqualTo("206");
            assertThat(sha256(part, 0, Files.size(part))).isEqualTo(sha256(big, first, last - first + 1));

            PeerTools.Result load = run(wrk.toString(), "-t1", "-c4", "-d3s", "--timeout", "30s", base + "/big.bin");
            assertThat(load.stdout()).as(load.output()).doesNotContain("Non-2xx", "Socket errors");
            Matcher requests = REQUESTS.matcher(load.stdout());
            assertThat(requests.find()).as(load.output()).isTrue();
            assertThat(Long.parseLong(requests.group(1))).as(load.output()).isPositive();
            PeerTools.Result ranges = run(wrk.toString(), "-t1", "-c4", "-d2s", "--timeout", "30s", "-H", "Range: bytes=1000000-50999999",
                    base + "/big.bin");
            assertThat(ranges.stdout()).as(ranges.output()).doesNotContain("Non-2xx", "Socket errors");

            long after = rssKib(server.pid());
            assertThat(after - before).as("resident memory growth in KiB (before %d, after %d)", before, after)
                    .isLessThan(GROWTH_LIMIT_KIB);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private PeerTools.Result run(String... command) throws Exception {
        return PeerTools.run(dir, BOUND, List.of(command));
    }

    private static long rssKib(long pid) throws IOException {
        Matcher rss = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        assertThat(rss.find()).as("VmRSS of the server").isTrue();
        return Long.parseLong(rss.group(1));
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(14);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
    }

    private static String sha256(Path file, long position, long length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(file)) {
            for (long at = position, end = position + length; at < end; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
                int n = in.read(buffer, at);
                assertThat(n).as("bytes of %s at %d", file, at).isPositive();
                buffer.flip();
                sha.update(buffer);
                at += n;
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
