package io.jgnet.bench.matrix;

import io.jgnet.bench.process.Child;
import io.jgnet.bench.process.Machine;
import io.jgnet.bench.process.ProcStat;
import io.jgnet.bench.report.ResultFiles;
import io.jgnet.bench.report.Tables;
import io.jgnet.bench.servers.BenchServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark matrix, {@code ./jgnet bench}: every workload against every server kind, servers
 * pinned to one core and their loads to another, in rounds whose kind order rotates. It prints a
 * row per window, then a table per workload (medians over rounds, each figure's ratio to its base
 * and that ratio's spread), and writes {@code <results>/matrix-YYYYMMDD-HHMMSS/} (see
 * {@link ResultFiles} and docs/BENCHMARKS.md). Exit status: 0 when every measurement that could
 * run completed (a kind that cannot run here is reported, not failed), 1 when any failed, 2 for a
 * bad flag. Runs on the main thread; children are stopped by PID, by a shutdown hook if interrupted.
 */
public final class Matrix {

    /** Descriptors a process needs besides the connections: jars, pipes, the listener. */
    private static final int FD_MARGIN = 200;

    private Matrix() {
    }

    /** Entry point; {@code --help} lists the flags. */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(MatrixConfig.usage());
            return;
        }
        MatrixConfig config;
        try {
            config = MatrixConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Matrix: " + e.getMessage() + "\nMatrix: --help lists the flags");
            System.exit(2);
            return;
        }
        System.exit(run(config, List.of(args)) ? 0 : 1);
    }

    private static boolean run(MatrixConfig config, List<String> args) throws IOException, InterruptedException {
        long ticksPerSecond = ProcStat.clockTicksPerSecond();
        boolean pinned = config.pin() && Machine.output("taskset", "-c", "0", "true") != null;
        ServerKind.Context context = ServerKind.Context.current();
        Path dir = runDirectory(config.results());
        Path logs = Files.createDirectories(dir.resolve("logs"));
        // The server and the load each need a descriptor and the load a port per connection.
        int idle = (int) Math.min(config.idleConnections(), Machine.connectionCapacity(FD_MARGIN));
        if (idle < config.idleConnections()) {
            System.out.println("note: --idle-connections " + config.idleConnections() + " lowered to " + idle
                    + " to fit ulimit -n and the ephemeral ports");
        }
        List<Workload> workloads = config.workloads().stream().map(w -> w.idle() ? w.withConnections(idle) : w).toList();
        double estimate = workloads.stream().mapToDouble(w -> config.estimatedSeconds(w, idle)).sum();
        Map<String, String> recorded = new LinkedHashMap<>();
        recorded.put("profile", config.profile());
        recorded.put("rounds", config.rounds() + " (idle " + config.idleRounds() + "), kind order rotated each round");
        recorded.put("warm-up / window", config.warmupSeconds() + " s / " + config.seconds() + " s");
        recorded.put("load", config.tools() ? "wrk (http), redis-benchmark (resp), built-in (others)" : "built-in");
        recorded.put("kinds", String.join(", ", config.kinds().stream().map(ServerKind::name).toList()));
        recorded.put("idle connections", Integer.toString(idle));
        recorded.put("pinning", pinned ? "servers cpu " + config.serverCpu() + ", loads cpu " + config.loadCpu()
                : "NONE (taskset missing or failing, or --pin false)");
        recorded.put("busy limit / retries", config.busyLimit() + " cores / " + config.retries());
        recorded.put("server JVM", String.join(" ", ServerKind.SERVER_JVM));
        recorded.put("load JVM", String.join(" ", Measurer.LOAD_JVM));
        recorded.put("CLK_TCK", Long.toString(ticksPerSecond));
        recorded.put("command", "./jgnet bench " + String.join(" ", args));
        System.out.println("benchmark matrix");
        recorded.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println("  estimate: about " + clock(estimate) + " (a busy machine adds waits and repeats)");
        System.out.println("  results: " + dir);
        Map<String, String> environment = environment(logs.resolve("check.log"), context);

        Measurer measurer = new Measurer(config, context, pinned, ticksPerSecond, logs, System.out);
        List<Run> runs = new ArrayList<>();
        long start = System.nanoTime();
        double done = 0;
        for (Workload w : workloads) {
            List<ServerKind> kinds = config.kinds().stream().filter(k -> k.serves(w)).toList();
            double elapsed = (System.nanoTime() - start) / 1e9;
            double left = done == 0 ? estimate : (estimate - done) * elapsed / done;
            System.out.printf(Locale.ROOT, "%n== %s: %s  (%s elapsed, ~%s left)%n%s%n", w.name(), w.describe(),
                    clock(elapsed), clock(left), Tables.RUN_HEADER);
            runs.addAll(w.idle() ? measurer.idle(w, kinds) : measurer.measure(w, kinds));
            done += config.estimatedSeconds(w, idle);
        }
        MatrixResults results = new MatrixResults(workloads, config.kinds(), runs, measurer.unavailable);
        System.out.println();
        System.out.print(Tables.render(results));
        String footnote = String.format("%s \u00b7 JDK %d \u00b7 %s, %s cores \u00b7 median of %d round(s), %s profile",
                environment.get("date").substring(0, 10), Runtime.version().feature(), environment.get("cpu"),
                environment.get("cores"), config.rounds(), config.profile());
        System.out.println();
        for (Path p : ResultFiles.write(dir, results, recorded, environment, footnote)) {
            System.out.println("wrote " + p);
        }
        System.out.println("logs  " + logs);
        results.unavailable().forEach((k, why) -> System.out.println("UNAVAILABLE " + k + ": " + why));
        results.failures().forEach(r -> System.out.println("FAILED " + r.workload() + " " + r.kind() + " round "
                + r.round() + ": " + Tables.brief(r.note())));
        return results.failures().isEmpty();
    }

    /** A new directory per run, so no run overwrites another's report. */
    private static Path runDirectory(Path results) throws IOException {
        String stamp = "matrix-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = results.resolve(stamp);
        for (int n = 2; Files.exists(dir); n++) {
            dir = results.resolve(stamp + "-" + n);
        }
        return Files.createDirectories(dir).toAbsolutePath();
    }

    /** The machine, and what a JVM started like the servers says about Netty's transports and jgnet. */
    private static Map<String, String> environment(Path log, ServerKind.Context context) throws InterruptedException {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        e.put("cpu", Machine.cpuModel());
        e.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        e.put("kernel", Machine.kernel());
        try (Child check = Child.start("check", context.javaCommand(ServerKind.SERVER_JVM, BenchServers.class, "check"), log)) {
            for (String line = ""; !line.startsWith("jvm: "); ) {
                line = check.await(l -> l.matches("[a-z][\\w.-]*: .*"), Measurer.START_TIMEOUT, "the check's jvm: line");
                e.put(line.substring(0, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2));
            }
        } catch (IOException x) {
            e.put("check", "failed: " + Tables.brief(String.valueOf(x.getMessage())));
        }
        e.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        if (!"true".equals(e.get("netty.unsafe"))) {
            System.out.println("WARNING: Netty is not running with Unsafe; its figures are not the reference");
        }
        return e;
    }

    /** "1:23", or "1:02:03" past an hour. */
    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
