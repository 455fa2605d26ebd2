package io.jgnet.consumer.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started as a user starts it, {@code java ARGS...} from this JDK, until it prints
 * {@code listening on /HOST:PORT with TRANSPORT}. Its stderr goes to a file, read once it has
 * stopped. Not thread-safe: one test drives it. Shared by the consumer projects' tests (each
 * adds this folder as a test source root); the projects' main code stays their own.
 */
public final class ServerProcess implements AutoCloseable {
    /**
     * Where jgnet's native transports exist (io_uring, or epoll where the kernel or a sandbox
     * denies io_uring); elsewhere it uses nio, native access or not.
     */
    public static final boolean NATIVE_PLATFORM = System.getProperty("os.name").equals("Linux")
            && List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));
    /** The transports {@code auto} may pick with native access: the best the machine allows. */
    public static final List<String> EXPECTED_WITH_NATIVE_ACCESS = NATIVE_PLATFORM ? List.of("io_uring", "epoll") : List.of("nio");

    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+) with (\\w+)");

    private final Process process;
    private final Path stderr;
    /** The port the server listens on, on 127.0.0.1. */
    public final int port;
    /** The transport the server's engine runs on, as {@code Engine.transport()} names it. */
    public final String transport;

    /**
     * Starts {@code java javaArgs...} and waits (60 s at most) for its address line.
     *
     * @param javaArgs the JVM's options, main class or module and program arguments
     * @throws Exception if it cannot start, or prints something else first (the server is then stopped)
     */
    public ServerProcess(List<String> javaArgs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArgs);
        stderr = Files.createTempFile("server", ".stderr");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
        Matcher matcher = line == null ? null : LISTENING.matcher(line);
        if (matcher == null || !matcher.find()) {
            close();
            throw new AssertionError("server printed " + line + " instead of its address; stderr:\n" + stderrText());
        }
        port = Integer.parseInt(matcher.group(1));
        transport = matcher.group(2);
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything the server wrote to stderr; complete once {@link #close} has returned. */
    public String stderrText() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
