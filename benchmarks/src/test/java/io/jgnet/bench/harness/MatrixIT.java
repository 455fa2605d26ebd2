package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Runs the matrix from the shaded jar, as {@code ./jgnet bench} does, with a tiny configuration
 * (four workloads; jgnet and Netty on epoll, and the C reference where it serves; one round of
 * one second), then checks what a user sees: the exit
 * status, the tables, the files, and the HTML report as headless Chromium renders it.
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
                "--workloads", "echo-64,http-p16,resp,idle", "--kinds", "jgnet-epoll,netty-epoll,c-epoll",
                "--rounds", "1", "--warmup-seconds", "1", "--seconds", "1", "--idle-connections", "300",
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
    void aTablePerWorkloadShowsFiguresAndRatiosToNettysBest() {
        List<String> lines = stdout.lines().toList();
        assertThat(lines).as(output()).contains("echo-64  100 conns  64 B", "http-p16  100 conns  pipeline 16  GET /plaintext",
                "resp  50 conns  PING/SET/GET", "idle  300 idle conns, server memory per connection");
        // kind, req/s, x netty, CPU us/req, x netty, ...: netty-epoll, the only Netty kind, is 1.00 of itself.
        assertThat(lines.stream().filter(l -> l.matches("netty-epoll +\\d+ +1\\.00 +\\d+\\.\\d\\d +1\\.00 .*")))
                .as(output()).hasSize(3);
        assertThat(lines.stream().filter(l -> l.matches("jgnet-epoll +\\d+ +\\d+\\.\\d\\d +\\d+\\.\\d\\d +\\d+\\.\\d\\d .*")))
                .as(output()).hasSize(3);
        assertThat(lines.stream().filter(l -> l.matches("(jgnet|netty|c)-epoll +300 +-?\\d+ +-?\\d+\\.\\d\\d")))
                .as(output()).hasSize(3);
        // The C reference serves echo only, and is shown beside the others without being their reference.
        assertThat(lines.stream().filter(l -> l.startsWith("c-epoll "))).as(output()).hasSize(2);
        assertThat(stdout).contains("x netty is relative to Netty's best: req/s netty-epoll, CPU us/req netty-epoll");
    }

    @Test
    void theRunDirectoryHoldsEveryFileAndEachChildsLog() throws Exception {
        assertThat(runDir).as(output()).isNotNull();
        for (String name : ResultFiles.NAMES) {
            assertThat(runDir.resolve(name)).as(name).isNotEmptyFile();
            assertThat(stdout).contains("wrote " + runDir.resolve(name));
        }
        assertThat(Files.readAllLines(runDir.resolve("results.csv"))).hasSize(1 + 4 * 2 + 2);
        assertThat(stdout).contains(Files.readString(runDir.resolve("summary.txt")));
        assertThat(Files.readString(runDir.resolve("results.json"))).contains("\"netty.epoll.available\": \"true\"",
                "\"status\": \"OK\"");
        try (Stream<Path> logs = Files.list(runDir.resolve("logs"))) {
            // check.log, then a server and a load log per measurement.
            assertThat(logs.map(p -> p.getFileName().toString())).hasSize(1 + (4 * 2 + 2) * 2)
                    .contains("check.log", "echo-64-jgnet-epoll-r1-server.log", "idle-netty-epoll-r1-load.log");
        }
        ReportRenderingTest.parse(Files.readString(runDir.resolve("report.html")));
        ReportRenderingTest.parse(Files.readString(runDir.resolve("chart.svg")));
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
        // The first workload's two charts are on the first screen: bars of both families, in their colours.
        assertThat(pixelsNear(image, BarChart.JGNET_COLOUR)).as("jgnet-coloured pixels").isGreaterThan(1500);
        assertThat(pixelsNear(image, BarChart.NETTY_COLOUR)).as("Netty-coloured pixels").isGreaterThan(1500);
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
