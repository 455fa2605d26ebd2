package io.jgnet.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code c-epoll} reference kind: the hand-written C epoll echo server in
 * {@code benchmarks/src/main/c/epoll-echo.c}, compiled with the machine's C compiler on first
 * use (and again when the source is newer than the binary) into
 * {@code benchmarks/target/c/epoll-echo}. It is the floor the Java servers are measured against:
 * what one thread costs when nothing but epoll, read and write runs. Not thread-safe: the matrix
 * launches kinds from one thread.
 */
final class CEpoll {

    /** The kind's name on the command line and in the report. */
    static final String NAME = "c-epoll";
    static final Path SOURCE = Path.of("benchmarks", "src", "main", "c", "epoll-echo.c");
    static final Path BINARY = Path.of("benchmarks", "target", "c", "epoll-echo");
    /** Compilers tried in order; Debian's build-essential provides both, a bare machine neither. */
    private static final List<String> COMPILERS = List.of("cc", "gcc");

    private CEpoll() {
    }

    /** The kind: echo only (the idle workload included), launched as {@code epoll-echo 0}. */
    static ServerKind kind() {
        return ServerKind.reference(NAME, Set.of("echo"),
                (protocol, context) -> List.of(compile(context.repositoryRoot()).toString(), "0"));
    }

    /**
     * The compiled server under {@code root}, compiling it first when it is missing or older than
     * its source.
     *
     * @throws ServerKind.Unavailable when the source is not there (a jar run outside the
     *                                repository) or no compiler works; the message says which
     */
    static Path compile(Path root) throws ServerKind.Unavailable {
        Path source = root.resolve(SOURCE);
        Path binary = root.resolve(BINARY);
        try {
            if (!Files.isRegularFile(source)) {
                throw new ServerKind.Unavailable("no " + SOURCE + " under " + root + " (run from the repository)");
            }
            if (Files.isExecutable(binary)
                    && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
                return binary;
            }
            Files.createDirectories(binary.getParent());
            String failures = "";
            for (String compiler : COMPILERS) {
                // -O2 as a C programmer ships it; a temporary name so a half-written binary is never run.
                Path partial = binary.resolveSibling(binary.getFileName() + ".partial");
                Process p;
                try {
                    p = new ProcessBuilder(compiler, "-O2", "-Wall", "-o", partial.toString(), source.toString())
                            .redirectErrorStream(true).start();
                } catch (IOException notInstalled) {
                    failures += " " + compiler + ": not found;";
                    continue;
                }
                String output = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    failures += " " + compiler + ": timed out;";
                    continue;
                }
                if (p.exitValue() == 0) {
                    Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                    return binary;
                }
                failures += " " + compiler + ": exit " + p.exitValue() + " " + output.strip().replace('\n', ' ') + ";";
            }
            throw new ServerKind.Unavailable("cannot compile " + SOURCE + " (apt-get install gcc):" + failures);
        } catch (IOException e) {
            throw new ServerKind.Unavailable("cannot compile " + SOURCE + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerKind.Unavailable("interrupted while compiling " + SOURCE);
        }
    }
}
