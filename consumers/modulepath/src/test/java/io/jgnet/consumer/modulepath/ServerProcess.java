package io.jgnet.consumer.modulepath;

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
 * stopped. Not thread-safe: one test drives it.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+) with (\\w+)");

    private final Process process;
    private final Path stderr;
    final int port;
    final String transport;

    ServerProcess(List<String> javaArgs) throws Exception {
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
    String stderrText() throws IOException {
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
