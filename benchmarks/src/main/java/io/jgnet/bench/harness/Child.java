package io.jgnet.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * A child process of the orchestrator (a server or the load generator) whose merged stdout and
 * stderr are read line by line on a daemon thread, so the child never blocks on a full pipe and
 * the orchestrator can wait for a given line with a deadline. Every wait is bounded, and
 * {@link #stop()} ends the process by its own PID: destroy, then destroyForcibly.
 *
 * <p>Used from the orchestrator's thread; the reader thread only fills the queue and the log.
 */
final class Child implements AutoCloseable {

    /** Lines kept for a failure report; a server's log is short, this only bounds a runaway one. */
    private static final int LOG_LINES = 200;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Children still running, for the shutdown hook that stops them if the orchestrator is killed. */
    private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();
    private static final String EOF = new String("<eof>"); // a distinct instance: compared by identity

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Child::stop), "stop-children"));
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ArrayDeque<String> log = new ArrayDeque<>();
    /** Every line of the child's output, for a run's logs/ directory; null when not kept. */
    private final Writer logFile;

    private Child(String name, Process process, Writer logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command}; {@code name} labels its lines in failure reports. */
    static Child start(String name, List<String> command) throws IOException {
        return start(name, command, null);
    }

    /**
     * Starts {@code command} and also copies all of its output to {@code logFile} (when not null),
     * the command line first.
     */
    static Child start(String name, List<String> command, Path logFile) throws IOException {
        Writer log = null;
        if (logFile != null) {
            log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
            log.write("$ " + String.join(" ", command) + "\n");
            log.flush();
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            if (log != null) {
                log.write("could not start: " + e.getMessage() + "\n");
                log.close();
            }
            throw e;
        }
        Child child = new Child(name, process, log);
        LIVE.add(child);
        Thread reader = new Thread(child::pump, name + "-output");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the first line matching {@code wanted}, skipping others, and returns it.
     *
     * @throws IOException naming the child and showing its last lines if the child ends first or
     *                     the timeout passes
     */
    String await(Predicate<String> wanted, Duration timeout, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw failure("no " + what + " within " + timeout.toSeconds() + " s");
            }
            if (line == EOF) {
                throw failure("ended before " + what);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /**
     * Writes one line to the child's standard input: the harness's commands ({@code ALLOC},
     * {@code GC}, or any line that tells an idle load to close).
     */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the child's standard input: end of file, which the harness's children take as "exit now". */
    void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child has gone already, which is what closing asks for
        }
    }

    /** Waits up to {@code timeout} for the child to exit by itself; true if it has. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An exception that carries the child's recent output, which is usually the real reason. */
    IOException failure(String message) {
        StringBuilder text = new StringBuilder(name).append(" (pid ").append(pid()).append("): ").append(message);
        synchronized (log) {
            if (!log.isEmpty()) {
                text.append("\n  its last output:");
                log.forEach(l -> text.append("\n    ").append(l));
            }
        }
        return new IOException(text.toString());
    }

    /** Stops the process by its PID: SIGTERM, then SIGKILL after a grace period. Idempotent. */
    void stop() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Appends a line to the log file; a log that cannot be written must not stop the reading. */
    private void copyToLog(String line) {
        if (logFile != null) {
            try {
                logFile.write(line);
                logFile.write('\n');
                logFile.flush();
            } catch (IOException e) {
                // the measurement matters more than its log
            }
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (log) {
                    if (log.size() == LOG_LINES) {
                        log.removeFirst();
                    }
                    log.addLast(line);
                }
                lines.add(line);
                copyToLog(line);
            }
        } catch (IOException e) {
            // the process went away; EOF below says so
        }
        if (logFile != null) {
            try {
                logFile.close();
            } catch (IOException e) {
                // a log that cannot be finished loses only its tail
            }
        }
        lines.add(EOF);
    }
}
