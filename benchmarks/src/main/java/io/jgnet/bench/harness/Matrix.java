package io.jgnet.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark matrix, {@code ./jgnet bench}: every workload against every server kind (jgnet
 * and Netty 4.2 on each transport, plus reference servers), a fresh server JVM per measurement
 * pinned to one core and the load generator pinned to another, the kinds alternating within each
 * round. It prints a row per run while it goes, with a progress bar on standard error, and at
 * the end a table per workload with the medians over rounds and each figure's ratio to Netty's
 * best transport; it writes {@code <results>/matrix-YYYYMMDD-HHMMSS/} with results.json,
 * results.csv, summary.txt, report.html (charts and tables, self-contained), chart.svg (one
 * summary chart for a README) and logs/ (every child's output).
 *
 * <p>Exit status: 0 when every measurement that could run completed without errors (a kind that
 * cannot run on this machine, like io_uring without kernel support, is reported, not failed), 1
 * when any failed, 2 for a bad flag. See {@link #USAGE} for the flags. Runs on the main thread;
 * children are stopped by PID when done, and by a shutdown hook if the matrix is interrupted.
 */
public final class Matrix {

    static final String USAGE = """
            usage: ./jgnet bench [flags]
                   java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.Matrix [flags]

            Runs every workload against every server kind, one fresh pinned server JVM per
            measurement, and reports req/s, server CPU per request (user and system), latency
            percentiles, allocation per request on the server's I/O threads and idle memory per
            connection, each also as a ratio to Netty's best transport.

            flags (a flag is --name value or --name=value):
              --profile P             short (default: 1 round, 2 s warm-up, 3 s measured; a few
                                      minutes) or full (3 rounds, 5 s warm-up, 10 s measured)
              --rounds N              rounds over all kinds (the profile's)
              --warmup-seconds N      load warm-up before each measured window (the profile's)
              --seconds N             measured window (the profile's)
              --workloads LIST        comma list (default all): %s
              --kinds LIST            comma list (default all): %s
              --idle-connections N    connections the idle workload holds (default 10000; lowered,
                                      with a note, when the open-file limit cannot fit them)
              --results DIR           where matrix-YYYYMMDD-HHMMSS/ goes (default benchmarks/results)
              --server-cpu N          core the servers are pinned to (default 1)
              --load-cpu N            core the load generator is pinned to (default 0)
              --pin true|false        pin with taskset (default true; off when taskset fails)
              --busy-limit CORES      repeat a run when other work took more (default 0.25)
              --retries N             how often (short: 1, full: 2)
              --quiet-wait-seconds N  wait at most this long for a quiet machine before each run
                                      (short: 10, full: 120)
              --help                  this text

            Exit status: 0 all measurements that could run completed, 1 some failed, 2 bad flag.
            """.formatted(String.join(",", Workload.ALL.stream().map(Workload::name).toList()),
            String.join(",", ServerKind.ALL.stream().map(ServerKind::name).toList()));

    /** File descriptors a process needs besides the connections: the JVM's jars, pipes, the listener. */
    private static final int FD_MARGIN = 200;

    private final MatrixConfig config;
    private final List<String> args;

    private Matrix(MatrixConfig config, List<String> args) {
        this.config = config;
        this.args = args;
    }

    /** Entry point; see {@link #USAGE}. */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        MatrixConfig config;
        try {
            config = MatrixConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Matrix: " + e.getMessage());
            System.err.println("Matrix: --help lists the flags");
            System.exit(2);
            return;
        }
        System.exit(new Matrix(config, List.of(args)).run() ? 0 : 1);
    }

    private boolean run() throws IOException, InterruptedException {
        PrintStream stdout = System.out;
        long ticksPerSecond = ProcStat.clockTicksPerSecond();
        boolean pinned = config.pin() && EchoBench.tasksetWorks();
        ServerKind.Context context = ServerKind.Context.current();
        Path dir = runDirectory(config.results());
        Path logs = Files.createDirectories(dir.resolve("logs"));

        int idle = config.idleConnections();
        IdleCapacity capacity = IdleCapacity.here();
        if (idle > capacity.connections()) {
            System.out.println("note: --idle-connections " + idle + " lowered to " + capacity.connections() + ": "
                    + capacity.reason());
            idle = capacity.connections();
        }
        List<Workload> workloads = new ArrayList<>();
        for (Workload w : config.workloads()) {
            workloads.add(w.idle() ? w.withConnections(idle) : w);
        }

        List<Step> steps = steps(workloads);
        double estimate = steps.stream().mapToDouble(s -> s.estimatedSeconds).sum() + 3;
        System.out.printf("benchmark matrix, %s profile: %d round(s), warm-up %d s, measured %d s%n", config.profile(),
                config.rounds(), config.warmupSeconds(), config.seconds());
        System.out.println("workloads: " + String.join(", ", workloads.stream().map(Workload::name).toList()));
        System.out.println("kinds:     " + String.join(", ", config.kinds().stream().map(ServerKind::name).toList()));
        System.out.println(pinned
                ? "pinning:   server taskset -c " + config.serverCpu() + ", load taskset -c " + config.loadCpu()
                : "pinning:   NONE (taskset missing, failing, or --pin false): server and load share the cores");
        System.out.printf("estimate:  about %s for %d measurements (a busy machine adds waits and repeats)%n",
                ProgressBar.clock(estimate), steps.size());
        System.out.println("results:   " + dir);

        Map<String, String> environment = environment(ticksPerSecond, logs.resolve("check.log"));
        Map<String, String> recorded = recordedConfig(pinned, idle, ticksPerSecond);

        ProgressBar progress = new ProgressBar(System.err, ProgressBar.stderrIsTerminal(), steps.size(), estimate);
        Thread eraseOnInterrupt = new Thread(progress::close, "progress-erase");
        Runtime.getRuntime().addShutdownHook(eraseOnInterrupt);
        System.setOut(progress.wrap(stdout));
        List<Run> runs = new ArrayList<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        try {
            Measurer measurer = new Measurer(config, context, pinned, ticksPerSecond, logs, System.out);
            progress.startTicking();
            Workload current = null;
            for (Step step : steps) {
                if (step.workload != current) {
                    current = step.workload;
                    System.out.println();
                    System.out.println("== " + current.name() + ": " + current.protocol() + ", " + current.describe());
                    System.out.println(SummaryTable.RUN_HEADER);
                }
                if (unavailable.containsKey(step.kind.name())) {
                    progress.finish(step.estimatedSeconds); // skipped: the kind said it cannot run here
                    continue;
                }
                progress.start(step.workload.name(), step.kind.name(), "round " + step.round);
                Run run = measurer.measure(step.workload, step.kind, step.round);
                runs.add(run);
                if (run.status() == Run.Status.UNAVAILABLE) {
                    unavailable.put(step.kind.name(), run.note());
                    System.out.println("      " + step.kind.name() + " is unavailable here; skipped for the rest of the run");
                }
                progress.finish(step.estimatedSeconds);
            }
        } finally {
            progress.close();
            System.setOut(stdout);
            Runtime.getRuntime().removeShutdownHook(eraseOnInterrupt);
        }

        MatrixResults results = new MatrixResults(workloads, config.kinds(), runs, unavailable);
        System.out.println();
        System.out.print(SummaryTable.render(results));
        List<Path> written = ResultFiles.write(dir, results, recorded, environment, reproduce(), footnote(environment));
        System.out.println();
        written.forEach(p -> System.out.println("wrote " + p));
        System.out.println("logs  " + logs);
        results.unavailable().forEach((k, why) -> System.out.println("UNAVAILABLE " + k + ": " + why));
        results.failures().forEach(r -> System.out.println("FAILED " + r.workload() + " " + r.kind() + " round "
                + r.round() + ": " + SummaryTable.brief(r.note())));
        return results.failures().isEmpty();
    }

    /** One measurement to make: a kind under a workload in a round. */
    private record Step(Workload workload, ServerKind kind, int round, double estimatedSeconds) {
    }

    /** For each workload, for each round, each kind in turn: A B C, A B C, ... */
    private List<Step> steps(List<Workload> workloads) {
        List<Step> steps = new ArrayList<>();
        for (Workload w : workloads) {
            for (int round = 1; round <= config.rounds(); round++) {
                for (ServerKind kind : config.kinds()) {
                    if (kind.serves(w)) {
                        steps.add(new Step(w, kind, round, config.estimatedSeconds(w, w.connections())));
                    }
                }
            }
        }
        return steps;
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

    /** What the report records of the configuration, in reading order. */
    private Map<String, String> recordedConfig(boolean pinned, int idle, long ticksPerSecond) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("profile", config.profile());
        c.put("rounds", Integer.toString(config.rounds()));
        c.put("warm-up / measured", config.warmupSeconds() + " s / " + config.seconds() + " s");
        c.put("workloads", String.join(", ", config.workloads().stream().map(Workload::name).toList()));
        c.put("kinds", String.join(", ", config.kinds().stream().map(ServerKind::name).toList()));
        c.put("idle connections", idle + (idle == config.idleConnections() ? "" : " (asked " + config.idleConnections() + ")"));
        c.put("pinning", pinned ? "server cpu " + config.serverCpu() + ", load cpu " + config.loadCpu() : "none");
        c.put("busy limit / retries / quiet wait", config.busyLimit() + " cores / " + config.retries() + " / "
                + config.quietWaitSeconds() + " s");
        c.put("server JVM", String.join(" ", EchoBench.SERVER_JVM));
        c.put("load JVM", String.join(" ", EchoBench.LOAD_JVM));
        c.put("CLK_TCK", Long.toString(ticksPerSecond));
        c.put("command", "./jgnet bench " + shellWords(args));
        return c;
    }

    /** The machine, and what a JVM started like the servers says about Netty's transports and jgnet. */
    private static Map<String, String> environment(long ticksPerSecond, Path log) throws InterruptedException {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        e.put("cpu", MachineFacts.cpuModel());
        e.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        e.put("kernel", MachineFacts.kernel());
        e.put("open files limit", MachineFacts.openFilesLimit().map(Object::toString).orElse("unlimited"));
        e.putAll(MachineFacts.serverCheck(log));
        e.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        if (!"true".equals(e.get("netty.unsafe"))) {
            System.out.println("WARNING: Netty is not running with Unsafe; its figures are not the reference");
        }
        return e;
    }

    /** The commands that repeat this run. */
    private List<String> reproduce() {
        String flags = shellWords(args);
        return List.of("./jgnet bench " + flags,
                "# or, with the benchmarks jar built (./mvnw -q -B -DskipTests -pl benchmarks -am package):",
                "java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.Matrix " + flags);
    }

    /** The summary chart's last line: when, on what, how many rounds. Cut to fit the chart's width. */
    private String footnote(Map<String, String> environment) {
        String date = environment.get("date");
        return BarChart.clip(String.format("%s \u00b7 JDK %s \u00b7 %s, %s cores \u00b7 median of %d round(s), %s profile"
                        + " \u00b7 ./jgnet bench", date.substring(0, Math.min(10, date.length())), Runtime.version().feature(),
                environment.get("cpu"), environment.get("cores"), config.rounds(), config.profile()), 125);
    }

    /** The arguments as a shell would need them typed: plain words bare, others single-quoted. */
    static String shellWords(List<String> words) {
        List<String> quoted = new ArrayList<>();
        for (String w : words) {
            quoted.add(w.matches("[A-Za-z0-9_@%+=:,./-]+") ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return String.join(" ", quoted);
    }

    /** How many idle connections fit this machine's limits, and which limit it is. */
    record IdleCapacity(int connections, String reason) {
        static IdleCapacity here() {
            int fit = Integer.MAX_VALUE;
            String reason = "";
            var files = MachineFacts.openFilesLimit();
            if (files.isPresent() && files.get() - FD_MARGIN < fit) {
                fit = (int) Math.max(1, files.get() - FD_MARGIN);
                reason = "the open-file limit is " + files.get() + " (ulimit -n), and the server and the load each"
                        + " need a descriptor per connection plus about " + FD_MARGIN;
            }
            var ports = MachineFacts.ephemeralPorts();
            if (ports.isPresent() && ports.get() - FD_MARGIN < fit) {
                fit = Math.max(1, ports.get() - FD_MARGIN);
                reason = "only " + ports.get() + " ephemeral ports (net.ipv4.ip_local_port_range) for the load's"
                        + " connections to one server port";
            }
            return new IdleCapacity(fit, reason);
        }
    }
}
