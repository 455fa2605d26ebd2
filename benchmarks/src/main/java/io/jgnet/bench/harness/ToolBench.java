package io.jgnet.bench.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * What {@link RedisBench} and {@link HttpBench} share: their common flags, pinning, starting
 * servers, running an external load tool while sampling the server's CPU at the tool's result
 * lines, and the quiet-machine wait and retry of {@link EchoBench}. Used from one thread.
 */
final class ToolBench {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How often the tool's own CPU is polled, for the window that ends as the tool exits. */
    private static final long LOAD_POLL_MILLIS = 20;

    final Map<String, String> flags;
    final long ticksPerSecond = ProcStat.clockTicksPerSecond();
    final List<ToolRun> runs = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    private final boolean pinned;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private ToolBench(Map<String, String> flags, boolean pinned) {
        this.flags = flags;
        this.pinned = pinned;
    }

    /** The flags every harness main takes (rounds, results, pinning, quiet-machine rules), after its own. */
    static Map<String, String> withCommonDefaults(Map<String, String> own) {
        Map<String, String> d = new LinkedHashMap<>(own);
        d.put("rounds", "3");
        // From the repository root this lands in benchmarks/results (git-ignored); from elsewhere in ./results.
        d.put("results", Files.isDirectory(Path.of("benchmarks")) ? "benchmarks/results" : "results");
        d.put("server-cpu", "1");
        d.put("load-cpu", "0");
        d.put("pin", "true");
        d.put("busy-limit", "0.25");
        d.put("retries", "2");
        d.put("quiet-wait-seconds", "120");
        return d;
    }

    /** Parses and checks the flags ({@code positive} must be whole numbers above 0); exits with 2 if bad. */
    static ToolBench create(String name, String[] args, Map<String, String> defaults, List<String> positive) {
        try {
            Map<String, String> flags = Flags.parse(args, defaults);
            Flags.positive(flags, "rounds");
            positive.forEach(p -> Flags.positive(flags, p));
            for (String n : List.of("server-cpu", "load-cpu", "retries", "quiet-wait-seconds")) {
                Flags.nonNegative(flags, n);
            }
            if (!(Double.parseDouble(flags.get("busy-limit")) >= 0)) {
                throw new IllegalArgumentException("--busy-limit must be a number of cores, >= 0");
            }
            return new ToolBench(flags, Boolean.parseBoolean(flags.get("pin")) && EchoBench.tasksetWorks());
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    int rounds() {
        return Integer.parseInt(flags.get("rounds"));
    }

    void printSetup() {
        System.out.println(pinned
                ? "pinning: server taskset -c " + flags.get("server-cpu") + ", load taskset -c " + flags.get("load-cpu")
                : "pinning: NONE (taskset missing, failing, or --pin false): server and load share the cores");
        System.out.println("CLK_TCK: " + ticksPerSecond + "; cores: " + Runtime.getRuntime().availableProcessors());
        System.out.println("java server JVM: " + String.join(" ", EchoBench.SERVER_JVM));
    }

    /** The config recorded next to the results. */
    Map<String, String> config() {
        Map<String, String> config = new HashMap<>(flags);
        config.put("pinned", Boolean.toString(pinned));
        config.put("clk_tck", Long.toString(ticksPerSecond));
        config.put("server_jvm", String.join(" ", EchoBench.SERVER_JVM));
        return config;
    }

    /** {@code [taskset -c CPU] COMMAND}: taskset execs the command, so the PID stays the command's. */
    List<String> onServerCpu(List<String> command) {
        return pin(flags.get("server-cpu"), command);
    }

    List<String> onLoadCpu(List<String> command) {
        return pin(flags.get("load-cpu"), command);
    }

    private List<String> pin(String cpu, List<String> command) {
        return EchoBench.pin(pinned, cpu, command);
    }

    /** A started server and the port it serves. */
    record Server(Child child, int port) implements AutoCloseable {
        @Override
        public void close() {
            child.stop();
        }
    }

    /**
     * Starts {@link BenchServers} {@code protocol kind} in its own pinned JVM and waits for its
     * READY line.
     */
    Server startJava(String protocol, String kind, boolean verbose) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(EchoBench.SERVER_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServers.class.getName(),
                protocol, kind, "0", "--watch-stdin"));
        Child child = Child.start("server " + kind, onServerCpu(command));
        try {
            String ready = child.await(l -> l.startsWith("READY "), START_TIMEOUT, "READY line");
            String[] words = ready.split(" ", 3);
            if (verbose) {
                System.out.println("  " + kind + ": " + words[2] + "; pid " + child.pid() + ", cpus " + EchoBench.allowedCpus(child.pid()));
            }
            return new Server(child, Integer.parseInt(words[1]));
        } catch (IOException | RuntimeException e) {
            child.stop();
            throw e;
        }
    }

    /** A port nothing listens on now, for a server that cannot pick its own and report it. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One window of a tool run: the line that ended it and the CPU spent since the previous one. */
    record Window(String line, ProcStat server, ProcStat load, ProcStat machine, double seconds) {
    }

    /**
     * Runs the (already pinned) tool {@code command} to completion, collecting all of its lines
     * into {@code output}, and samples CPU at its start and at each of the {@code windows} lines
     * matching {@code end}; the tool is stopped by its PID when done or after {@code timeout}.
     */
    List<Window> runTool(String label, List<String> command, long serverPid, Predicate<String> end, int windows,
                         Duration timeout, List<String> output) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Window> result = new ArrayList<>();
        try (Child tool = Child.start(label, command)) {
            ProcStat server0 = ProcStat.read(serverPid);
            ProcStat machine0 = ProcStat.machine();
            long t0 = System.nanoTime();
            ProcStat load0 = new ProcStat(0, 0); // the tool has just been exec'd
            AtomicReference<ProcStat> lastLoad = new AtomicReference<>(load0);
            Thread poller = Thread.ofPlatform().daemon().name(label + "-cpu").start(() -> {
                // The last window ends as the tool exits, when /proc/PID/stat may already be gone.
                try {
                    while (true) {
                        lastLoad.set(ProcStat.read(tool.pid()));
                        Thread.sleep(LOAD_POLL_MILLIS);
                    }
                } catch (IOException | InterruptedException e) {
                    // the tool ended or the run is over
                }
            });
            try {
                while (result.size() < windows) {
                    Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                    String line = tool.await(l -> {
                        output.add(l);
                        return end.test(l);
                    }, left, "result line " + (result.size() + 1) + " of " + windows);
                    // The server first: it is what the window measures; the rest only judges contention.
                    ProcStat server1 = ProcStat.read(serverPid);
                    ProcStat load1;
                    try {
                        load1 = ProcStat.read(tool.pid());
                    } catch (IOException e) {
                        load1 = lastLoad.get();
                    }
                    ProcStat machine1 = ProcStat.machine();
                    long t1 = System.nanoTime();
                    result.add(new Window(line, server1.minus(server0), load1.minus(load0), machine1.minus(machine0),
                            (t1 - t0) / 1e9));
                    server0 = server1;
                    load0 = load1;
                    machine0 = machine1;
                    t0 = t1;
                }
            } finally {
                poller.interrupt();
            }
        }
        return result;
    }

    /** A measurement that can be attempted again from scratch. */
    interface Attempt {
        List<ToolRun> run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code attempt} once the machine is quiet, printing its rows, and again (up to
     * --retries times) if other work took more than --busy-limit cores in any of its windows:
     * such a run measures the contention, not the server. Keeps the last attempt either way.
     */
    void measure(String what, Attempt attempt) throws InterruptedException {
        int retries = Integer.parseInt(flags.get("retries"));
        double busyLimit = Double.parseDouble(flags.get("busy-limit"));
        for (int n = 0; ; n++) {
            EchoBench.waitForQuiet(busyLimit, Long.parseLong(flags.get("quiet-wait-seconds")), ticksPerSecond);
            try {
                List<ToolRun> result = attempt.run();
                boolean contended = false;
                for (ToolRun r : result) {
                    boolean busy = r.otherCores() > busyLimit;
                    contended |= busy;
                    System.out.println(ToolReport.row(r) + (busy ? "  <- other work " + Report.cores(r.otherCores()) : ""));
                }
                if (!contended || n >= retries) {
                    runs.addAll(result);
                    return;
                }
                System.out.println("      repeating: the machine was busy with other work");
            } catch (IOException e) {
                failures.add(what + ": " + e.getMessage());
                System.out.println(what + " FAILED: " + e.getMessage());
                return;
            }
        }
    }

    /** Runs a short command (a sanity check, a warm-up) to completion within {@code timeout}; returns its lines. */
    static List<String> runQuick(String label, List<String> command, Duration timeout) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Child child = Child.start(label, command)) {
            try {
                child.await(l -> {
                    lines.add(l);
                    return false;
                }, timeout, "end of output");
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e; // the timeout, not the normal end of output
                }
            }
        }
        return lines;
    }

    /** Prints the report, writes the files, lists failures; true if nothing failed. */
    boolean finish(String prefix, List<String> servers, List<String> tests) throws IOException {
        ToolReport report = new ToolReport(runs, servers, tests);
        System.out.println();
        report.print(System.out);
        Path written = report.write(Path.of(flags.get("results")), prefix, config(), failures);
        System.out.println("raw results: " + written + " (.csv and .json)");
        failures.forEach(f -> System.out.println("FAILED " + f));
        return failures.isEmpty();
    }
}
