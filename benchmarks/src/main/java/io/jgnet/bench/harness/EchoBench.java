package io.jgnet.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loopback echo harness: runs each server kind in turn (A B C D, A B C D, ...) for a number
 * of rounds, each in a fresh JVM pinned to one core with the load generator pinned to the other,
 * and reports per run messages per second and server CPU per message (user and system apart),
 * then per round the ratios jgnet/Netty for each transport and their medians. Alternating and
 * taking the median of paired ratios is what makes figures comparable on a machine whose speed
 * drifts by tens of percent over minutes.
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.EchoBench --rounds 3
 * </pre>
 *
 * Flags (defaults in brackets): {@code --rounds [3] --warmup-seconds [5] --seconds [10]
 * --connections [100] --size [64] --kinds [jgnet-nio,jgnet-epoll,netty-nio,netty-epoll] (any of
 * {@link BenchServers#KINDS}, netty-io_uring too, which has no jgnet pair in the ratios yet)
 * --results [benchmarks/results] --server-cpu [1] --load-cpu [0] --pin [true] --busy-limit [0.25]
 * --retries [2] --quiet-wait-seconds [120]}. A smoke run:
 * {@code --rounds 1 --warmup-seconds 1 --seconds 2}.
 *
 * <p>Server CPU is the whole server process's utime and stime from {@code /proc/PID/stat},
 * sampled when the load generator starts and ends its measured window, after the warm-up; it
 * includes the JIT and GC threads, which is why warm-up matters. The kernel's total is exact,
 * but its user/system split comes from sampling at each timer tick, so the user part of one
 * 10-second run is good to about ten percent: read it as a median over rounds.
 *
 * <p>The cores are shared with whatever else runs on the machine (builds, tests). Before each
 * run the harness waits for the machine to be quiet; the {@code other} column shows how many
 * cores other work took during the window, and a run where that exceeds --busy-limit is
 * repeated. CPU per message hardly moves under such contention; messages per second does. Results go to the results
 * directory as {@code echo-TIMESTAMP.csv} (one row per run) and {@code .json} (runs, ratios,
 * medians). Exit status: 0 if every run completed, 1 if any failed, 2 for a bad flag.
 */
public final class EchoBench {

    /**
     * The same for every server so that no framework gets a better JVM. Netty on JDK 25 needs
     * the Unsafe flag or it silently runs without Unsafe; leak detection is off as in any Netty
     * deployment tuned for speed (its default samples 1% of buffers). The whole heap is touched at
     * start so that a server's resident set grows only by native memory afterwards: the idle
     * workload adds the heap's own growth from the GC's figure, and would otherwise also count the
     * eden pages first touched while the connections were made.
     */
    static final List<String> SERVER_JVM = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx256m", "-XX:+UseParallelGC",
            "-XX:+AlwaysPreTouch", "-Dio.netty.leakDetection.level=disabled");
    /**
     * The kinds run unless --kinds says otherwise: those {@link Report} pairs (jgnet and Netty on
     * the same transport). Any of {@link BenchServers#KINDS} may be asked for.
     */
    private static final List<String> DEFAULT_KINDS = List.of("jgnet-nio", "jgnet-epoll", "netty-nio", "netty-epoll");
    static final List<String> LOAD_JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC");
    /** Starting a JVM, loading the native library and binding take a second or two; this is generous. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Slack on top of the load's own warm-up and measure time before it counts as hung. */
    private static final Duration PHASE_SLACK = Duration.ofSeconds(30);
    /** How long the machine is watched before each run to see whether it is quiet. */
    private static final Duration PAUSE_BETWEEN_RUNS = Duration.ofSeconds(1);

    private final Map<String, String> flags;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String classPath = System.getProperty("java.class.path");
    private final long ticksPerSecond = ProcStat.clockTicksPerSecond();
    private final boolean pinned;

    private EchoBench(Map<String, String> flags, boolean pinned) {
        this.flags = flags;
        this.pinned = pinned;
    }

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags;
        List<String> kinds;
        try {
            flags = Flags.parse(args, defaults());
            kinds = Arrays.stream(flags.get("kinds").split(",")).map(String::trim).toList();
            for (String kind : kinds) {
                if (!BenchServers.KINDS.contains(kind)) {
                    throw new IllegalArgumentException("unknown kind '" + kind + "'; known: " + BenchServers.KINDS);
                }
            }
            for (String name : List.of("rounds", "seconds", "connections", "size")) {
                Flags.positive(flags, name);
            }
            Flags.nonNegative(flags, "warmup-seconds");
            Flags.nonNegative(flags, "server-cpu");
            Flags.nonNegative(flags, "load-cpu");
            Flags.nonNegative(flags, "retries");
            Flags.nonNegative(flags, "quiet-wait-seconds");
            if (!(Double.parseDouble(flags.get("busy-limit")) >= 0)) {
                throw new IllegalArgumentException("--busy-limit must be a number of cores, >= 0");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("EchoBench: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean pinned = Boolean.parseBoolean(flags.get("pin")) && tasksetWorks();
        System.exit(new EchoBench(flags, pinned).run(kinds) ? 0 : 1);
    }

    private static Map<String, String> defaults() {
        Map<String, String> own = new LinkedHashMap<>(); // ordered: the usage message lists flags as documented
        own.put("warmup-seconds", "5");
        own.put("seconds", "10");
        own.put("connections", "100");
        own.put("size", "64");
        own.put("kinds", String.join(",", DEFAULT_KINDS));
        return ToolBench.withCommonDefaults(own);
    }

    private boolean run(List<String> kinds) throws IOException, InterruptedException {
        int rounds = Integer.parseInt(flags.get("rounds"));
        System.out.printf("echo harness: %s B request/response, %s connections, warm-up %s s, measure %s s,"
                        + " %d round(s) of %s%n", flags.get("size"), flags.get("connections"),
                flags.get("warmup-seconds"), flags.get("seconds"), rounds, kinds);
        System.out.println(pinned
                ? "pinning: server taskset -c " + flags.get("server-cpu") + ", load taskset -c " + flags.get("load-cpu")
                : "pinning: NONE (taskset missing, failing, or --pin false): server and load share the cores");
        System.out.println("CLK_TCK: " + ticksPerSecond + "; cores: " + Runtime.getRuntime().availableProcessors());
        System.out.println("server JVM: " + String.join(" ", SERVER_JVM));
        Map<String, String> environment = check();

        List<RunResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        System.out.println();
        System.out.println(Report.HEADER);
        for (int round = 1; round <= rounds; round++) {
            for (String kind : kinds) {
                RunResult r = measure(round, kind, failures);
                if (r != null) {
                    results.add(r);
                }
            }
        }
        Report report = new Report(results, kinds);
        System.out.println();
        report.print(System.out);
        Map<String, String> config = new HashMap<>(flags);
        config.put("pinned", Boolean.toString(pinned));
        config.put("clk_tck", Long.toString(ticksPerSecond));
        config.put("server_jvm", String.join(" ", SERVER_JVM));
        config.putAll(environment);
        Path written = report.write(Path.of(flags.get("results")), config, failures);
        System.out.println("raw results: " + written + " (.csv and .json)");
        failures.forEach(f -> System.out.println("FAILED " + f));
        return failures.isEmpty();
    }

    /** Asks a JVM started like the servers whether Netty has its native transports and Unsafe. */
    private Map<String, String> check() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(SERVER_JVM);
        command.addAll(List.of("-cp", classPath, BenchServers.class.getName(), "check"));
        Map<String, String> facts = new HashMap<>();
        try (Child child = Child.start("check", command)) {
            for (String line = ""; !line.startsWith("jvm: "); ) {
                line = child.await(l -> true, START_TIMEOUT, "the check's last line");
                System.out.println(line);
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    facts.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }
        if (!"true".equals(facts.get("netty.epoll.available")) || !"true".equals(facts.get("netty.unsafe"))) {
            System.out.println("WARNING: Netty is not running as tuned; its figures are not the reference");
        }
        return facts;
    }

    /**
     * One run of {@code kind}, repeated at once (up to --retries times) when other work on the
     * machine took more than --busy-limit cores during its window: such a run measures the
     * contention, not the server. The last attempt is kept either way, marked in the table.
     */
    private RunResult measure(int round, String kind, List<String> failures) throws InterruptedException {
        int retries = Integer.parseInt(flags.get("retries"));
        double busyLimit = Double.parseDouble(flags.get("busy-limit"));
        for (int attempt = 0; ; attempt++) {
            waitForQuiet(busyLimit, Long.parseLong(flags.get("quiet-wait-seconds")), ticksPerSecond);
            try {
                RunResult r = runOne(round, kind);
                boolean contended = r.otherCores() > busyLimit;
                System.out.println(Report.row(r) + (contended ? "  <- other work " + Report.cores(r.otherCores()) : ""));
                if (!contended || attempt >= retries) {
                    return r;
                }
                System.out.println("      repeating: the machine was busy with other work");
            } catch (IOException e) {
                failures.add("round " + round + " " + kind + ": " + e.getMessage());
                System.out.println("round " + round + " " + kind + " FAILED: " + e.getMessage());
                return null;
            }
        }
    }

    /**
     * Waits (at most --quiet-wait-seconds) until the machine's other work stays under
     * {@code busyLimit} cores for a second: on two shared cores, a build or test run elsewhere
     * would otherwise land inside the window. Also gives the last server's exit time to settle.
     * Shared with {@link ToolBench}.
     */
    static void waitForQuiet(double busyLimit, long quietWaitSeconds, long ticksPerSecond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(quietWaitSeconds).toNanos();
        boolean said = false;
        while (true) {
            double busy;
            try {
                ProcStat before = ProcStat.machine();
                Thread.sleep(PAUSE_BETWEEN_RUNS.toMillis());
                busy = ProcStat.machine().minus(before).userTicks() / (double) ticksPerSecond
                        / (PAUSE_BETWEEN_RUNS.toMillis() / 1e3);
            } catch (IOException e) {
                return; // no /proc/stat: nothing to wait for
            }
            if (busy <= busyLimit) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                System.out.println("      machine still busy (" + Report.cores(busy) + "); running anyway");
                return;
            }
            if (!said) {
                System.out.println("      waiting for the machine to go quiet (" + Report.cores(busy) + " busy)");
                said = true;
            }
        }
    }

    private RunResult runOne(int round, String kind) throws IOException, InterruptedException {
        int warmup = Integer.parseInt(flags.get("warmup-seconds"));
        int seconds = Integer.parseInt(flags.get("seconds"));
        List<String> serverCommand = jvm(flags.get("server-cpu"), SERVER_JVM, BenchServers.class, "echo", kind, "0",
                "--watch-stdin");
        try (Child server = Child.start("server " + kind, serverCommand)) {
            String ready = server.await(l -> l.startsWith("READY "), START_TIMEOUT, "READY line");
            String port = ready.split(" ")[1];
            if (round == 1) {
                System.out.println("  " + kind + ": " + ready.substring(ready.indexOf(' ', 6) + 1)
                        + "; server cpus " + allowedCpus(server.pid()));
            }
            List<String> loadCommand = jvm(flags.get("load-cpu"), LOAD_JVM, EchoLoad.class,
                    "--port", port, "--connections", flags.get("connections"), "--size", flags.get("size"),
                    "--warmup-seconds", Integer.toString(warmup), "--seconds", Integer.toString(seconds));
            try (Child load = Child.start("load " + kind, loadCommand)) {
                load.await(l -> l.startsWith("CONNECTED "), START_TIMEOUT, "CONNECTED line");
                load.await("MEASURE_START"::equals, Duration.ofSeconds(warmup).plus(PHASE_SLACK), "end of warm-up");
                // Sample at once: every moment between the marker and these reads widens the window.
                ProcStat server0 = ProcStat.read(server.pid());
                ProcStat load0 = ProcStat.read(load.pid());
                ProcStat machine0 = ProcStat.machine();
                long t0 = System.nanoTime();
                load.await("MEASURE_END"::equals, Duration.ofSeconds(seconds).plus(PHASE_SLACK), "end of measurement");
                ProcStat server1 = ProcStat.read(server.pid());
                ProcStat load1 = ProcStat.read(load.pid());
                ProcStat machine1 = ProcStat.machine();
                long t1 = System.nanoTime();
                String result = load.await(l -> l.startsWith("RESULT "), PHASE_SLACK, "RESULT line");
                if (!server.isAlive()) {
                    throw server.failure("died during the run");
                }
                Map<String, String> r = keyValues(result);
                return new RunResult(round, kind, Long.parseLong(r.get("messages")),
                        Double.parseDouble(r.get("seconds")), Double.parseDouble(r.get("msgs_per_sec")),
                        Double.parseDouble(r.get("p50_us")), Double.parseDouble(r.get("p99_us")),
                        Double.parseDouble(r.get("p999_us")), Long.parseLong(r.get("mismatches")),
                        Long.parseLong(r.get("errors")), server1.minus(server0), load1.minus(load0), machine1.minus(machine0),
                        (t1 - t0) / 1e9, ticksPerSecond);
            }
        }
    }

    /** {@code [taskset -c CPU] java FLAGS -cp CP MAIN ARGS}. */
    private List<String> jvm(String cpu, List<String> jvmFlags, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        return pin(pinned, cpu, command);
    }

    /**
     * {@code [taskset -c CPU] COMMAND}, or the command alone when not {@code pinned}: taskset
     * execs the command, so the PID stays the command's. Shared by every harness.
     */
    static List<String> pin(boolean pinned, String cpu, List<String> command) {
        List<String> pinnedCommand = new ArrayList<>();
        if (pinned) {
            pinnedCommand.addAll(List.of("taskset", "-c", cpu));
        }
        pinnedCommand.addAll(command);
        return pinnedCommand;
    }

    /** The {@code key=value} pairs of a child's line (RESULT, ALLOC, GC done); other words are skipped. */
    static Map<String, String> keyValues(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }

    /** The kernel's view of where a process may run, to show that pinning took. */
    static String allowedCpus(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("Cpus_allowed_list:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Whether {@code taskset} exists and can pin here (a container may forbid it). */
    static boolean tasksetWorks() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
