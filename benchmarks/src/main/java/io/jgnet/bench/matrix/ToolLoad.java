package io.jgnet.bench.matrix;

import io.jgnet.bench.process.Child;
import io.jgnet.bench.process.ProcStat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The external load generators, {@code --load tools}: wrk for http (pipelined with the examples'
 * wrk-pipeline.lua, as TechEmpower does) and for the file workload, redis-benchmark for resp
 * ({@code -t set,get}). A fresh tool process per window; the server is sampled when the tool
 * starts and when it exits, and the tool's CPU is polled while it runs (its /proc entry is gone
 * once it has exited). redis-benchmark counts requests, not seconds: each window's count is the
 * rate of the previous run times the window. Used from the orchestrator's thread.
 */
final class ToolLoad implements Measurer.Load {

    private static final Pattern WRK_REQUESTS = Pattern.compile(
            "^\\s*(\\d+) requests in ([\\d.]+)(m?s)(?:, ([\\d.]+)([KMGT]?B) read)?.*");
    private static final Pattern WRK_PERCENTILE = Pattern.compile("^\\s*(50|99)%\\s+([\\d.]+)(us|ms|s)\\s*$");
    private static final Pattern WRK_ERRORS = Pattern.compile("^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+).*");
    private static final Pattern WRK_NON_2XX = Pattern.compile("^\\s*Non-2xx or 3xx responses: (\\d+).*");
    private static final Pattern REDIS_RESULT = Pattern.compile("(SET|GET): ([\\d.]+) requests per second(?:, p50=([\\d.]+) msec)?");
    private static final long POLL_MILLIS = 20;
    /**
     * A window (and the warm-up) of the file workload lasts at least this: each request moves a
     * whole large file, and a server's CPU is sampled into user and system time only 250 times a
     * second (CONFIG_HZ), so a window needs many files for its figures to agree round to round.
     * With 10 s a JVM server could still be compiling its paths in the first round (jgnet-epoll
     * read 1.72x nginx, 0.85-2.48 over the rounds); two runs with 20 s agreed within 0.8-1.05x.
     */
    static final int MIN_FILE_SECONDS = 20;
    /** The file workload's warm-up first fetches {@link FileWorkload#WARM_NAME} this long. */
    static final int FILE_WARM_SMALL_SECONDS = 5;

    private final Workload workload;
    private final Measurer measurer;
    private final Measurer.Server server;
    private final String tag;
    /** wrk's pipelining script for http, else null. */
    private final Path script;
    /** redis-benchmark's last rate, per second, to size the next window's request count. */
    private double rate = 20_000;
    private int windows;

    /** Whether a tool loads {@code w}: wrk serves http and files, redis-benchmark resp. */
    static boolean serves(Workload w) {
        return List.of("http", "resp", "file").contains(w.protocol());
    }

    ToolLoad(Workload workload, Measurer measurer, Measurer.Server server, String tag) throws IOException {
        this.workload = workload;
        this.measurer = measurer;
        this.server = server;
        this.tag = tag;
        if (!workload.protocol().equals("http")) {
            script = null;
            return;
        }
        script = Files.createTempFile("jgnet-wrk-pipeline", ".lua");
        script.toFile().deleteOnExit();
        try (InputStream in = ToolLoad.class.getResourceAsStream("/io/jgnet/examples/http/wrk-pipeline.lua")) {
            if (in == null) {
                throw new IOException("wrk-pipeline.lua (from jgnet-examples) is not on the class path");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void warm(int seconds) throws IOException, InterruptedException {
        if (seconds > 0) {
            if (workload.protocol().equals("file")) {
                run(FILE_WARM_SMALL_SECONDS, false, FileWorkload.WARM_NAME);
            }
            run(seconds, false, FileWorkload.NAME);
        }
    }

    @Override
    public Run.Window measure(int seconds) throws IOException, InterruptedException {
        return run(seconds, true, FileWorkload.NAME);
    }

    /** One wrk or redis-benchmark run; {@code file} is the file fetched in the file workload. */
    private Run.Window run(int seconds, boolean measured, String file) throws IOException, InterruptedException {
        // A whole file per request: wrk's default 2 s timeout would count slow ones as errors.
        if (workload.protocol().equals("file") && file.equals(FileWorkload.NAME)) {
            seconds = Math.max(seconds, MIN_FILE_SECONDS);
        }
        String url = "http://127.0.0.1:" + server.port() + "/";
        String connections = Integer.toString(workload.connections());
        long perTest = Math.max(1000, (long) (rate * seconds / 2)); // redis-benchmark: two tests, SET then GET
        List<String> argv = switch (workload.protocol()) {
            case "file" -> List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "--timeout", "60s",
                    url + file);
            case "http" -> List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(),
                    url + "plaintext", "--", Integer.toString(workload.pipeline()));
            default -> List.of("stdbuf", "-oL", "redis-benchmark", "-p", Integer.toString(server.port()), "-c", connections,
                    "-P", Integer.toString(workload.pipeline()), "-n", Long.toString(perTest), "-t", "set,get", "-q");
        };
        Measurer.Sample a = measurer.sample(server, new ProcStat(0, 0)); // the tool has not started: none of its CPU yet
        List<String> output = new ArrayList<>();
        AtomicReference<ProcStat> toolCpu = new AtomicReference<>(new ProcStat(0, 0));
        boolean wrk = !workload.protocol().equals("resp");
        String name = wrk ? "wrk" : "redis-benchmark";
        try (Child tool = measurer.startLoad(name, argv, tag + "-" + name + "-" + ++windows + ".log")) {
            Thread poller = Thread.ofPlatform().daemon().name("tool-cpu").start(() -> {
                try {
                    while (true) {
                        toolCpu.set(ProcStat.read(tool.pid()));
                        Thread.sleep(POLL_MILLIS);
                    }
                } catch (IOException | InterruptedException e) {
                    // the tool has ended
                }
            });
            try {
                tool.await(l -> !output.add(l), Duration.ofSeconds(60L + 3L * seconds), "the tool's end");
            } catch (IOException e) {
                if (!tool.awaitExit(Duration.ofSeconds(10))) {
                    throw e; // the timeout, not the end of its output
                }
            } finally {
                poller.interrupt();
            }
        }
        Measurer.Sample b = measurer.sample(server, toolCpu.get());
        if (!measured && wrk) {
            return null; // wrk's warm-up: nothing to learn from it
        }
        Measurer.Result r = parse(output, perTest, workload.protocol().equals("file") ? FileWorkload.SIZE : 0);
        if (!wrk) {
            rate = r.requests() / r.seconds();
        }
        return measurer.window(server, a, b, r);
    }

    /**
     * Reads wrk's or redis-benchmark's output; {@code perTest} is redis-benchmark's -n. With
     * {@code fileSize} above 0 (the file workload) requests are counted as files' worth of bytes
     * read, not completed responses: a window holds only a few large responses, and those under
     * way at its end would otherwise not count.
     */
    static Measurer.Result parse(List<String> output, long perTest, long fileSize) throws IOException {
        long requests = 0;
        double seconds = 0;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        long errors = 0;
        long mismatches = 0;
        for (String line : output) {
            Matcher m;
            if ((m = WRK_REQUESTS.matcher(line)).matches()) {
                requests = Long.parseLong(m.group(1));
                seconds = Double.parseDouble(m.group(2)) / (m.group(3).equals("ms") ? 1000 : 1);
                if (fileSize > 0 && m.group(4) != null) {
                    requests = Math.round(Double.parseDouble(m.group(4)) * switch (m.group(5)) {
                        case "KB" -> 1L << 10;
                        case "MB" -> 1L << 20;
                        case "GB" -> 1L << 30;
                        case "TB" -> 1L << 40;
                        default -> 1L;
                    } / fileSize);
                }
            } else if ((m = WRK_PERCENTILE.matcher(line)).matches()) {
                double us = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                    case "ms" -> 1e3;
                    case "s" -> 1e6;
                    default -> 1;
                };
                p50 = m.group(1).equals("50") ? us : p50;
                p99 = m.group(1).equals("99") ? us : p99;
            } else if ((m = WRK_ERRORS.matcher(line)).matches()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(m.group(g));
                }
            } else if ((m = WRK_NON_2XX.matcher(line)).matches()) {
                mismatches = Long.parseLong(m.group(1));
            }
            m = REDIS_RESULT.matcher(line); // its progress lines end in \r, so a result may follow one on the same line
            while (m.find()) {
                requests += perTest;
                seconds += perTest / Double.parseDouble(m.group(2));
                p50 = m.group(3) == null ? p50 : Double.parseDouble(m.group(3)) * 1e3;
            }
        }
        if (requests == 0 || seconds == 0) {
            throw new IOException("no result in the tool's output: " + String.join(" | ", output));
        }
        return new Measurer.Result(requests, seconds, p50, p99, Double.NaN, errors, mismatches);
    }

    @Override
    public void close() {
        try {
            if (script != null) {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            // deleted at exit anyway
        }
    }
}
