package io.jgnet.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The command-line peers the integration tests talk to (curl, wrk, redis-cli, redis-benchmark):
 * finding them, with the rule for a missing one, and running them with a bound on time.
 *
 * <p>The rule: a developer without the tool gets a skipped test and a message saying what to
 * install; CI (environment variable {@code CI=true}) installs the tools (see .ci/run), so there
 * a missing tool is a broken setup and the test fails. Test threads only.
 */
public final class PeerTools {

    /** What a finished tool printed and its exit code. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Standard output then standard error, for assertions and failure messages. */
        public String output() {
            return stderr.isEmpty() ? stdout : stdout + stderr;
        }
    }

    private PeerTools() {
    }

    /** The path of {@code tool} on the PATH, or a skip (a fail under CI=true) naming its Debian package. */
    public static Path require(String tool, String debianPackage) {
        return require(tool, debianPackage, System.getenv());
    }

    /** {@link #require(String, String)} against a given environment (PATH and CI), for testing the rule. */
    public static Path require(String tool, String debianPackage, Map<String, String> environment) {
        for (String directory : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, tool);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String missing = tool + " is not on the PATH (install the Debian package " + debianPackage + ")";
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            fail(missing + ": CI=true, where .ci/run installs it, so this is a failure, not a skip");
        }
        Assumptions.abort(missing + ": skipping; with CI=true this would fail");
        throw new AssertionError("unreachable: abort throws");
    }

    /** Runs {@code command} in a fresh temporary directory; see {@link #run(Path, Duration, List)}. */
    public static Result run(Duration bound, List<String> command) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jgnet-peer-");
        try {
            return run(dir, bound, command);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Runs {@code command} in {@code dir} with stdin empty, its output captured to files there
     * (no pipe to fill and block on), and fails if it has not finished within {@code bound}, after
     * killing it and every process it started.
     */
    public static Result run(Path dir, Duration bound, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            // The tool and whatever it started (a browser's renderers, a matrix's servers), by PID.
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command) + " did not finish within " + bound + "\n--- stdout\n"
                    + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
