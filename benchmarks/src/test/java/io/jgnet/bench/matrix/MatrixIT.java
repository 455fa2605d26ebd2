package io.jgnet.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.bench.report.ReportTest;
import io.jgnet.examples.PeerTools;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the matrix from the shaded jar, as {@code ./jgnet bench} does, with a small configuration
 * (five workloads; jgnet and Netty on epoll, and the references where they serve; two rounds of
 * one second), then checks what a user sees: the exit status, the tables, the files, and the
 * HTML report as headless Chromium renders it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatrixIT {

    /** The whole matrix takes about a minute here; this bounds a hang, not the normal case. */
    private static final Duration MATRIX_BOUND = Duration.ofSeconds(240);
    private static final Duration CHROMIUM_BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path work;

    private int exitCode;
    private String stdout;
    private String stderr;
    private Path runDir;

    @BeforeAll
    void runTheMatrix() throws Exception {
        Path jar = Path.of(System.getProperty("matrix.jar", "target/benchmarks.jar"));
        assertThat(jar).as("the shaded jar, built in the package phase").exists();
        Path results = Files.createDirectories(work.resolve("results"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), Matrix.class.getName(),
                "--workloads", "echo-64,frame-len-1k,http-p16,resp,idle", "--kinds",
                "jgnet-epoll,netty-epoll,netty-codec,c-epoll,redis-server", "--rounds", "2", "--idle-rounds", "1",
                "--warmup-seconds", "1", "--seconds", "1", "--idle-connections", "300",
                "--quiet-wait-seconds", "0", "--retries", "0", "--results", results.toString());
        PeerTools.Result r = PeerTools.run(work, MATRIX_BOUND, command);
        exitCode = r.exitCode();
        stdout = r.stdout();
        stderr = r.stderr();
        try (Stream<Path> dirs = Files.list(results)) {
            runDir = dirs.filter(p -> p.getFileName().toString().startsWith("matrix-")).findFirst().orElse(null);
        }
    }

    private String output() {
        return "--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }

    @Test
    void everyMeasurementCompletesAndTheRunExitsZero() {
        assertThat(exitCode).as(output()).isZero();
        assertThat(stdout).doesNotContain("FAILED");
    }

    @Test
    void aTablePerWorkloadShowsFiguresAndRatiosToTheirStatedBase() {
        List<String> lines = stdout.lines().toList();
        assertThat(lines).as(output()).contains("echo-64  100 conns  64 B  echo",
                "frame-len-1k  50 conns  pipeline 16  1 KiB frames  4-byte length field",
                "http-p16  100 conns  pipeline 16  GET /plaintext", "resp  50 conns  PING/SET/GET",
                "idle  300 idle conns, server memory per connection");
        // netty-epoll, the only Netty kind, is the base of every figure: 1.00 of itself in every round.
        assertThat(lines.stream().filter(l -> l.matches("netty-epoll +\\d+ +1\\.00 +\\d+\\.\\d\\d +1\\.00 .*")))
                .as(output()).hasSize(4);
        // jgnet's ratio, then its lowest-highest over the two rounds when they differ.
        assertThat(lines.stream().filter(l -> l.matches(
                "jgnet-epoll +\\d+ +\\d+\\.\\d\\d( \\d+\\.\\d\\d-\\d+\\.\\d\\d)? +\\d+\\.\\d\\d .*")))
                .as(output()).hasSize(4);
        assertThat(lines.stream().filter(l -> l.matches("(jgnet|netty|c)-epoll +300 +-?\\d+ +.*"))).as(output()).hasSize(3);
        // The references serve only their protocols, beside the others and never their base: the C
        // floor serves echo, framed traffic and idle connections, not http or resp.
        assertThat(lines.stream().filter(l -> l.startsWith("c-epoll "))).as(output()).hasSize(3);
        assertThat(lines.stream().filter(l -> l.matches("netty-codec +\\d+ .*"))).as(output()).hasSize(1);
        assertThat(lines.stream().filter(l -> l.matches("redis-server +\\d+ .*"))).as(output()).hasSize(1);
        assertThat(stdout).contains("x base = median / Netty's best transport, minimal responder parsing in place",
                "(req/s: netty-epoll, CPU us: netty-epoll)");
        // The kind order rotates: round 2 of echo starts with the second kind.
        assertThat(lines.stream().filter(l -> l.startsWith("echo-64 ")).map(l -> l.split(" +")[1] + l.split(" +")[2]).toList())
                .as(output()).startsWith("1jgnet-epoll", "1netty-epoll", "1c-epoll", "2netty-epoll", "2c-epoll", "2jgnet-epoll");
    }

    @Test
    void theRunDirectoryHoldsEveryFileAndEachChildsLog() throws Exception {
        assertThat(runDir).as(output()).isNotNull();
        for (String name : List.of("summary.txt", "results.csv", "results.json", "report.html", "chart.svg")) {
            assertThat(runDir.resolve(name)).as(name).isNotEmptyFile();
            assertThat(stdout).contains("wrote " + runDir.resolve(name));
        }
        assertThat(Files.readAllLines(runDir.resolve("results.csv"))).hasSize(1 + 2 * (3 + 3 + 3 + 3) + 3);
        assertThat(stdout).contains(Files.readString(runDir.resolve("summary.txt")));
        assertThat(Files.readString(runDir.resolve("results.json"))).contains("\"netty.epoll.available\": \"true\"",
                "\"status\": \"OK\"", "\"x_base_low\"");
        try (Stream<Path> logs = Files.list(runDir.resolve("logs"))) {
            // check.log; a server and a load log per kind of each workload, and per idle measurement.
            assertThat(logs.map(p -> p.getFileName().toString())).hasSize(1 + 2 * (3 + 3 + 3 + 3) + 2 * 3)
                    .contains("check.log", "echo-64-jgnet-epoll-server.log", "resp-redis-server-load.log",
                            "idle-netty-epoll-r1-load.log");
        }
        ReportTest.parse(Files.readString(runDir.resolve("report.html")));
        ReportTest.parse(Files.readString(runDir.resolve("chart.svg")));
    }

    @Test
    void theReportRendersItsChartsInABrowser() throws Exception {
        Path chromium = PeerTools.require("chromium", "chromium");
        assertThat(runDir).as(output()).isNotNull();
        Path png = work.resolve("report.png");
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        PeerTools.Result r = PeerTools.run(work, CHROMIUM_BOUND, List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--hide-scrollbars", "--window-size=1200,1600", "--screenshot=" + png,
                runDir.resolve("report.html").toUri().toString()));
        assertThat(png).as("chromium exited %d:\n%s", r.exitCode(), r.output()).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        // The summary chart is on the first screen: jgnet's bars, and the references' in grey.
        assertThat(pixelsNear(image, "#1f66b3")).as("jgnet-coloured pixels").isGreaterThan(1500);
        assertThat(pixelsNear(image, "#8a8a8a")).as("reference-coloured pixels").isGreaterThan(500);
    }

    /** Pixels within a small distance of {@code hex} (anti-aliasing and colour management aside). */
    private static int pixelsNear(BufferedImage image, String hex) {
        int want = Integer.parseInt(hex.substring(1), 16);
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 0xff) - (want >> 16 & 0xff)) <= 6 && Math.abs((rgb >> 8 & 0xff) - (want >> 8 & 0xff)) <= 6
                        && Math.abs((rgb & 0xff) - (want & 0xff)) <= 6) {
                    count++;
                }
            }
        }
        return count;
    }
}
