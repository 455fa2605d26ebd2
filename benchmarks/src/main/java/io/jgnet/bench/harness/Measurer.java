package io.jgnet.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one measurement of the {@link Matrix}: a fresh server process of one kind pinned to the
 * server core and a fresh load generator pinned to the load core, talking to both only through
 * the process contracts' lines. A request/response measurement samples the server's, the load's
 * and the machine's CPU and the server's allocation at the load's MEASURE_START and MEASURE_END;
 * an idle one reads the server's resident set and heap in use after a GC before and after the
 * load's connections are open. Used from the orchestrator's thread only.
 */
final class Measurer {

    /** Starting a JVM, loading a native library and binding take a second or two; this is generous. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Slack on top of the load's own warm-up and measured time before it counts as hung. */
    private static final Duration PHASE_SLACK = Duration.ofSeconds(30);
    /** A GC or an allocation reading is quick; a server that does not answer in this time is stuck. */
    private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);
    /** The idle load gives up after 120 s of connecting (its contract); a little more than that. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(150);
    /** The main class of the load generator; see the process contracts. */
    static final String LOAD_MAIN = "io.jgnet.bench.harness.BenchLoad";

    private final MatrixConfig config;
    private final ServerKind.Context context;
    private final boolean pinned;
    private final long ticksPerSecond;
    private final Path logs;
    private final PrintStream out;

    /**
     * @param logs where each child's output is copied, one file per process
     * @param out  where the per-run rows and notes are printed
     */
    Measurer(MatrixConfig config, ServerKind.Context context, boolean pinned, long ticksPerSecond, Path logs, PrintStream out) {
        this.config = config;
        this.context = context;
        this.pinned = pinned;
        this.ticksPerSecond = ticksPerSecond;
        this.logs = logs;
        this.out = out;
    }

    /**
     * One measurement, repeated (up to --retries times) when other work took more than
     * --busy-limit cores of the machine during its window: such a run measures the contention.
     * The last attempt is kept either way. Never throws for a failed run: it returns it.
     */
    Run measure(Workload w, ServerKind kind, int round) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            EchoBench.waitForQuiet(config.busyLimit(), config.quietWaitSeconds(), ticksPerSecond);
            String tag = w.name() + "-" + kind.name() + "-r" + round + (attempt == 0 ? "" : "-retry" + attempt);
            Run run;
            try {
                run = w.idle() ? idle(w, kind, round, tag) : load(w, kind, round, tag);
            } catch (ServerKind.Unavailable e) {
                run = Run.unavailable(w.name(), kind.name(), round, e.getMessage());
            } catch (IOException | RuntimeException e) {
                run = Run.failed(w.name(), kind.name(), round, String.valueOf(e.getMessage()));
            }
            boolean contended = run.load() != null && run.load().otherCores() > config.busyLimit();
            out.println(SummaryTable.runRow(run) + (contended ? "  <- other work " + Report.cores(run.load().otherCores()) : ""));
            if (run.status() == Run.Status.FAILED && run.load() == null) {
                out.println("      (logs: " + logs.resolve(tag + "-server.log") + ", " + logs.resolve(tag + "-load.log") + ")");
            }
            if (!contended || attempt >= config.retries()) {
                return run;
            }
            out.println("      repeating: the machine was busy with other work");
        }
    }

    /** A started server and the port it serves. */
    private record Server(Child child, int port) {
    }

    private Server startServer(Workload w, ServerKind kind, String tag) throws IOException, InterruptedException,
            ServerKind.Unavailable {
        List<String> command = pin(config.serverCpu(), kind.launch().command(w.protocol(), context));
        Child child = Child.start("server " + kind.name(), command, logs.resolve(tag + "-server.log"));
        try {
            String line = child.await(l -> l.startsWith("READY ") || l.startsWith("UNAVAILABLE"), START_TIMEOUT,
                    "READY line");
            if (line.startsWith("UNAVAILABLE")) {
                child.stop();
                throw new ServerKind.Unavailable(line.substring("UNAVAILABLE".length()).trim());
            }
            return new Server(child, Integer.parseInt(line.split(" ")[1]));
        } catch (IOException | RuntimeException | InterruptedException e) {
            child.stop();
            throw e;
        }
    }

    private Child startLoad(List<String> args, String tag) throws IOException {
        List<String> command = new ArrayList<>(List.of(context.java()));
        command.addAll(EchoBench.LOAD_JVM);
        command.addAll(List.of("-cp", context.classPath(), LOAD_MAIN));
        command.addAll(args);
        return Child.start("load", pin(config.loadCpu(), command), logs.resolve(tag + "-load.log"));
    }

    private Run load(Workload w, ServerKind kind, int round, String tag)
            throws IOException, InterruptedException, ServerKind.Unavailable {
        Server server = startServer(w, kind, tag);
        try (Child s = server.child();
             Child load = startLoad(w.loadArguments(server.port(), config.warmupSeconds(), config.seconds()), tag)) {
            load.await(l -> l.startsWith("CONNECTED "), START_TIMEOUT, "CONNECTED line");
            load.await("MEASURE_START"::equals, Duration.ofSeconds(config.warmupSeconds()).plus(PHASE_SLACK), "end of warm-up");
            // Sample at once, the server first: every moment between the marker and these reads widens the window.
            ProcStat server0 = ProcStat.read(s.pid());
            ProcStat load0 = ProcStat.read(load.pid());
            ProcStat machine0 = ProcStat.machine();
            long t0 = System.nanoTime();
            long allocT0 = t0;
            long alloc0 = kind.answersAlloc() ? alloc(s) : 0;
            load.await("MEASURE_END"::equals, Duration.ofSeconds(config.seconds()).plus(PHASE_SLACK), "end of measurement");
            ProcStat server1 = ProcStat.read(s.pid());
            ProcStat load1 = ProcStat.read(load.pid());
            ProcStat machine1 = ProcStat.machine();
            long t1 = System.nanoTime();
            long alloc1 = kind.answersAlloc() ? alloc(s) : 0;
            String result = load.await(l -> l.startsWith("RESULT "), PHASE_SLACK, "RESULT line");
            if (!s.isAlive()) {
                throw s.failure("died during the run");
            }
            Map<String, String> r = EchoBench.keyValues(result);
            RunResult measured = new RunResult(round, kind.name(), longOf(r, "requests"), doubleOf(r, "seconds"),
                    doubleOf(r, "rps"), doubleOf(r, "p50_us"), doubleOf(r, "p99_us"), doubleOf(r, "p999_us"),
                    longOf(r, "mismatches"), longOf(r, "errors"), server1.minus(server0), load1.minus(load0),
                    machine1.minus(machine0), (t1 - t0) / 1e9, ticksPerSecond);
            return Run.measured(w.name(), measured, kind.answersAlloc() ? alloc1 - alloc0 : Double.NaN,
                    (t1 - allocT0) / 1e9);
        }
    }

    private Run idle(Workload w, ServerKind kind, int round, String tag)
            throws IOException, InterruptedException, ServerKind.Unavailable {
        Server server = startServer(w, kind, tag);
        try (Child s = server.child()) {
            long heapBefore = gc(s);
            long before = residentBytes(s.pid());
            try (Child load = startLoad(w.loadArguments(server.port(), 0, 0), tag)) {
                String line = load.await(l -> l.startsWith("IDLE ") || l.startsWith("ERROR"), IDLE_TIMEOUT, "IDLE line");
                if (line.startsWith("ERROR")) {
                    throw load.failure(line);
                }
                int connections = Integer.parseInt(line.substring("IDLE ".length()).trim());
                long heapAfter = gc(s);
                long after = residentBytes(s.pid());
                if (!s.isAlive()) {
                    throw s.failure("died while holding the connections");
                }
                // End of file tells the load to close every connection; CLOSED says it has.
                load.closeInput();
                load.await(l -> l.startsWith("CLOSED"), CONTROL_TIMEOUT, "CLOSED line");
                return Run.idle(w.name(), kind.name(), round, new Run.Idle(connections, before, after, heapBefore, heapAfter));
            }
        }
    }

    /** The server's I/O threads' allocated bytes so far. */
    private static long alloc(Child server) throws IOException, InterruptedException {
        server.send("ALLOC");
        String line = server.await(l -> l.startsWith("ALLOC "), CONTROL_TIMEOUT, "ALLOC answer");
        return longOf(EchoBench.keyValues(line), "bytes");
    }

    /** Collects garbage in the server; returns its heap in use afterwards (0 when it has no heap). */
    private static long gc(Child server) throws IOException, InterruptedException {
        server.send("GC");
        String line = server.await(l -> l.equals("GC done") || l.startsWith("GC done "), CONTROL_TIMEOUT, "GC done");
        String used = EchoBench.keyValues(line).get("heap_used");
        return used == null ? 0 : Long.parseLong(used);
    }

    /** VmRSS of {@code /proc/PID/status}, in bytes: the memory the process really holds. */
    static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(f[0]) * 1024; // the kernel writes kB, meaning KiB
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private List<String> pin(String cpu, List<String> command) {
        return EchoBench.pin(pinned, cpu, command);
    }

    private static long longOf(Map<String, String> values, String key) throws IOException {
        return (long) doubleOf(values, key);
    }

    private static double doubleOf(Map<String, String> values, String key) throws IOException {
        String v = values.get(key);
        if (v == null) {
            throw new IOException("the result line has no " + key + "= in " + values);
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IOException("the result line's " + key + "=" + v + " is not a number");
        }
    }
}
