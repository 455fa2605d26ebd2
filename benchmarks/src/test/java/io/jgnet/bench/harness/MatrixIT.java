package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the matrix from the shaded jar, as {@code ./jgnet bench} does, with a tiny configuration
 * (four workloads, two kinds, one round of one second), then checks what a user sees: the exit
 * status, the tables, the files, and the HTML report as headless Chromium renders it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatrixIT {

    /** The whole matrix takes about a minute here; this bounds a hang, not the normal case. */
    private static final Duration MATRIX_BOUND = Duration.ofSeconds(240);
    private static final Duration CHROMIUM_BOUND = Duration.ofSeconds(60);

    @TempDir
    Path work;

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
                "--workloads", "echo-64,http-p16,resp,idle", "--kinds", "jgnet-epoll,netty-epoll",
                "--rounds", "1", "--warmup-seconds", "1", "--seconds", "1", "--idle-connections", "300",
                "--quiet-wait-seconds", "0", "--retries", "0", "--results", results.toString());
        Result r = run(command, MATRIX_BOUND, work);
        exitCode = r.exitCode;
        stdout = r.stdout;
        stderr = r.stderr;
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
                "resp  50 conns  PING/SET/GET", "idle  300 idle conns, server RSS per connection");
        // kind, req/s, x netty, CPU us/req, x netty, ...: netty-epoll, the only Netty kind, is 1.00 of itself.
        assertThat(lines.stream().filter(l -> l.matches("netty-epoll +\\d+ +1\\.00 +\\d+\\.\\d\\d +1\\.00 .*")))
                .as(output()).hasSize(3);
        assertThat(lines.stream().filter(l -> l.matches("jgnet-epoll +\\d+ +\\d+\\.\\d\\d +\\d+\\.\\d\\d +\\d+\\.\\d\\d .*")))
                .as(output()).hasSize(3);
        assertThat(lines.stream().filter(l -> l.matches("(jgnet|netty)-epoll +300 +-?\\d+ +-?\\d+\\.\\d\\d")))
                .as(output()).hasSize(2);
        assertThat(stdout).contains("x netty is relative to Netty's best: req/s netty-epoll, CPU us/req netty-epoll");
    }

    @Test
    void theRunDirectoryHoldsEveryFileAndEachChildsLog() throws Exception {
        assertThat(runDir).as(output()).isNotNull();
        for (String name : ResultFiles.NAMES) {
            assertThat(runDir.resolve(name)).as(name).isNotEmptyFile();
            assertThat(stdout).contains("wrote " + runDir.resolve(name));
        }
        assertThat(Files.readAllLines(runDir.resolve("results.csv"))).hasSize(1 + 4 * 2);
        assertThat(stdout).contains(Files.readString(runDir.resolve("summary.txt")));
        assertThat(Files.readString(runDir.resolve("results.json"))).contains("\"netty.epoll.available\": \"true\"",
                "\"status\": \"OK\"");
        try (Stream<Path> logs = Files.list(runDir.resolve("logs"))) {
            // check.log, then a server and a load log per measurement.
            assertThat(logs.map(p -> p.getFileName().toString())).hasSize(1 + 4 * 2 * 2)
                    .contains("check.log", "echo-64-jgnet-epoll-r1-server.log", "idle-netty-epoll-r1-load.log");
        }
        ReportRenderingTest.parse(Files.readString(runDir.resolve("report.html")));
        ReportRenderingTest.parse(Files.readString(runDir.resolve("chart.svg")));
    }

    @Test
    void theReportRendersItsChartsInABrowser() throws Exception {
        Path chromium = require("chromium", "chromium");
        assertThat(runDir).as(output()).isNotNull();
        Path png = work.resolve("report.png");
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Result r = run(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--hide-scrollbars", "--window-size=1200,1600", "--screenshot=" + png,
                runDir.resolve("report.html").toUri().toString()), CHROMIUM_BOUND, work);
        assertThat(png).as("chromium exited %d:\n%s%s", r.exitCode, r.stdout, r.stderr).exists();
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

    /**
     * The path of {@code tool}, or a skip naming its Debian package; under CI=true (where .ci/run
     * installs it) a missing tool is a broken setup and fails instead. The examples' PeerTools rule.
     */
    private static Path require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String missing = tool + " is not on the PATH (install the Debian package " + debianPackage + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + ": CI=true, where .ci/run installs it, so this is a failure, not a skip");
        }
        Assumptions.abort(missing + ": skipping; with CI=true this would fail");
        throw new AssertionError("unreachable");
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs {@code command} with stdin empty and its output in files (no pipe to fill), bounded by
     * {@code bound}: past it, the process and every process it started are killed by PID.
     */
    private static Result run(List<String> command, Duration bound, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
            all.add(p.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + bound + "\n--- stdout\n" + Files.readString(out)
                    + "\n--- stderr\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
