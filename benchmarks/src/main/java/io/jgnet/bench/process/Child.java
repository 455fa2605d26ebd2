package io.jgnet.bench.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process (a server, a load, a tool) whose merged output is read line by line on a
 * daemon thread, so it never blocks on a full pipe and the caller can wait for a line with a
 * deadline. {@link #stop()} ends it by its own PID, SIGTERM then SIGKILL; a shutdown hook stops
 * those still running when the JVM exits. Used from one orchestrating thread; the reader thread
 * only fills the queue and the log.
 */
public final class Child implements AutoCloseable {

    /** Lines kept for a failure report; only bounds a runaway child. */
    private static final int KEPT_LINES = 200;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();
    private static final String EOF = new String("<eof>"); // compared by identity

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Child::stop), "stop-children"));
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Writer log;

    private Child(String name, Process process, Writer log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}, copying its output to {@code logFile} (command line first) unless that is null. */
    public static Child start(String name, List<String> command, Path logFile) throws IOException {
        Writer log = logFile == null ? Writer.nullWriter() : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        log.write("$ " + String.join(" ", command) + "\n");
        log.flush();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        Child child = new Child(name, process, log);
        LIVE.add(child);
        Thread.ofPlatform().daemon().name(name + "-output").start(child::pump);
        return child;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the first line matching {@code wanted}, skipping others, and returns it.
     *
     * @throws IOException naming the child, with its last lines, if it ends first or time runs out
     */
    public String await(Predicate<String> wanted, Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw failure("no " + what + " within " + timeout.toSeconds() + " s");
            }
            if (line == EOF) {
                lines.add(EOF); // every later wait must see the end too
                throw failure("ended before " + what);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Writes one line to the child's standard input. */
    public void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the child's standard input: end of file, which the harness's children take as "exit". */
    public void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already, which is what closing asks for
        }
    }

    /** Waits up to {@code timeout} for the child to exit by itself; true if it has. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An exception carrying the child's recent output, which usually holds the real reason. */
    public IOException failure(String message) {
        StringBuilder text = new StringBuilder(name).append(" (pid ").append(pid()).append("): ").append(message);
        synchronized (recent) {
            if (!recent.isEmpty()) {
                text.append("\n  its last output:");
                recent.forEach(l -> text.append("\n    ").append(l));
            }
        }
        return new IOException(text.toString());
    }

    /** SIGTERM, then SIGKILL after a grace period, by this child's PID. Idempotent. */
    public void stop() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!awaitExit(STOP_GRACE)) {
                    process.destroyForcibly();
                    awaitExit(STOP_GRACE);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(this);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void pump() {
        try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8); log) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (recent) {
                    if (recent.size() == KEPT_LINES) {
                        recent.removeFirst();
                    }
                    recent.addLast(line);
                }
                lines.add(line);
                log.write(line + "\n");
                log.flush();
            }
        } catch (IOException e) {
            // the process went away, or its log cannot be written: EOF below either way
        }
        lines.add(EOF);
    }
}
