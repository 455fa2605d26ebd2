package io.jgnet.bench.matrix;

import io.jgnet.bench.load.BenchLoad;
import io.jgnet.bench.process.Child;
import io.jgnet.bench.process.Machine;
import io.jgnet.bench.process.ProcStat;
import io.jgnet.bench.servers.BenchServers.Unavailable;
import io.jgnet.bench.report.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures workloads. For a request/response workload every kind's server is started once,
 * pinned to the server core, each with its own load pinned to the load core; each kind is warmed
 * up; then each round measures one window per kind, in an order that rotates round by round
 * (A B C, B C A, C A B), so no kind always runs first or last. A window's CPU is sampled from
 * {@code /proc} at the load's markers, with the server's loop-thread allocation; a window during
 * which other work took more than the busy limit is measured again. The idle workload starts a
 * fresh server per measurement, since a server that has held connections before keeps some of
 * their memory. Used from the orchestrator's thread only.
 */
final class Measurer {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SLACK = Duration.ofSeconds(30);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(150);
    static final List<String> LOAD_JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC");

    private final MatrixConfig config;
    private final ServerKind.Context context;
    private final boolean pinned;
    private final long ticksPerSecond;
    private final Path logs;
    private final PrintStream out;
    /** Kinds that said they cannot run here, and why: skipped from then on. */
    final Map<String, String> unavailable = new LinkedHashMap<>();

    Measurer(MatrixConfig config, ServerKind.Context context, boolean pinned, long ticksPerSecond, Path logs, PrintStream out) {
        this.config = config;
        this.context = context;
        this.pinned = pinned;
        this.ticksPerSecond = ticksPerSecond;
        this.logs = logs;
        this.out = out;
    }

    /** A started server and the port it serves. */
    record Server(ServerKind kind, Child child, int port) {
    }

    /** One kind's load: warmed once, then measured window by window. */
    interface Load extends AutoCloseable {
        /** Waits until the load is connected. */
        default void ready() throws IOException, InterruptedException {
        }

        void warm(int seconds) throws IOException, InterruptedException;

        Run.Window measure(int seconds) throws IOException, InterruptedException;

        @Override
        void close();
    }

    /** Every round of request/response workload {@code w} over {@code kinds}; returns the runs. */
    List<Run> measure(Workload w, List<ServerKind> kinds) throws InterruptedException {
        List<Run> runs = new ArrayList<>();
        Map<ServerKind, Server> servers = new LinkedHashMap<>();
        Map<ServerKind, Load> loads = new LinkedHashMap<>();
        Map<ServerKind, String> broken = new LinkedHashMap<>();
        try {
            // Every server starts at once, then every load: their JVM starts overlap instead of queueing.
            Map<ServerKind, Launched> launched = new LinkedHashMap<>();
            for (ServerKind kind : kinds) {
                if (unavailable.containsKey(kind.name())) {
                    broken.put(kind, null); // said so in an earlier workload: not started again
                    continue;
                }
                try {
                    launched.put(kind, launch(w, kind, w.name() + "-" + kind.name()));
                } catch (Unavailable | IOException | RuntimeException e) {
                    failed(kind, e, broken);
                }
            }
            for (Launched l : launched.values()) {
                ServerKind kind = l.kind();
                try {
                    Server s = ready(l);
                    servers.put(kind, s);
                    String tag = w.name() + "-" + kind.name();
                    // wrk is the only load for files: the built-in load does not speak it.
                    boolean tool = (config.tools() || w.protocol().equals("file")) && ToolLoad.serves(w);
                    loads.put(kind, tool ? new ToolLoad(w, this, s, tag) : new BuiltinLoad(w, s, tag));
                } catch (Unavailable | IOException | RuntimeException e) {
                    failed(kind, e, broken);
                }
            }
            for (var e : loads.entrySet()) {
                try {
                    e.getValue().ready();
                    e.getValue().warm(config.warmupSeconds());
                } catch (IOException | RuntimeException x) {
                    failed(e.getKey(), x, broken);
                }
            }
            boolean busy = true;
            for (int round = 1; round <= config.rounds(); round++) {
                if (busy) { // the first round, or other work showed up in the last one
                    Machine.waitForQuiet(config.busyLimit(), Duration.ofSeconds(config.quietWaitSeconds()), ticksPerSecond, out);
                }
                busy = false;
                for (ServerKind kind : rotated(kinds, round - 1)) {
                    Run run = broken.containsKey(kind) ? (broken.get(kind) == null
                            ? Run.unavailable(w.name(), kind.name(), round, unavailable.get(kind.name()))
                            : Run.failed(w.name(), kind.name(), round, broken.get(kind)))
                            : window(w, kind, round, servers.get(kind), loads.get(kind));
                    if (run.status() == Run.Status.FAILED && !broken.containsKey(kind)) {
                        broken.put(kind, run.note());
                        out.println("      (logs: " + logs.resolve(w.name() + "-" + kind.name() + "-*.log") + ")");
                    }
                    runs.add(run);
                    busy |= run.window() != null && run.window().otherCores() > config.busyLimit();
                }
            }
        } finally {
            loads.values().forEach(Load::close);
            servers.values().forEach(s -> s.child().stop());
        }
        return runs;
    }

    /** Records why {@code kind} cannot be measured in this workload: unavailable here (null) or failed. */
    private void failed(ServerKind kind, Exception e, Map<ServerKind, String> broken) {
        if (e instanceof Unavailable) {
            unavailable.put(kind.name(), e.getMessage());
            broken.put(kind, null);
            out.println("      " + kind.name() + " is unavailable here: " + e.getMessage());
        } else {
            broken.put(kind, String.valueOf(e.getMessage()));
        }
    }

    /** One window, repeated (up to --retries times) while other work took more than --busy-limit cores. */
    private Run window(Workload w, ServerKind kind, int round, Server server, Load load) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Run run;
            try {
                run = Run.measured(w.name(), kind.name(), round, load.measure(config.seconds()));
                if (!server.child().isAlive()) {
                    throw server.child().failure("died during the run");
                }
            } catch (IOException | RuntimeException e) {
                run = Run.failed(w.name(), kind.name(), round, String.valueOf(e.getMessage()));
            }
            boolean contended = run.window() != null && run.window().otherCores() > config.busyLimit();
            out.println(Tables.runRow(run) + (contended ? "  <- other work " + Machine.cores(run.window().otherCores()) : ""));
            if (!contended || attempt >= config.retries()) {
                return run;
            }
        }
    }

    /** {@code kinds} starting at index {@code shift} and wrapping around. */
    static <T> List<T> rotated(List<T> kinds, int shift) {
        List<T> order = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            order.add(kinds.get((i + shift) % kinds.size()));
        }
        return order;
    }

    /** Every idle round over {@code kinds}, each measurement on a fresh server. */
    List<Run> idle(Workload w, List<ServerKind> kinds) throws InterruptedException {
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= config.idleRounds(); round++) {
            for (ServerKind kind : rotated(kinds, round - 1)) {
                Run run;
                if (unavailable.containsKey(kind.name())) {
                    run = Run.unavailable(w.name(), kind.name(), round, unavailable.get(kind.name()));
                } else {
                    Machine.waitForQuiet(config.busyLimit(), Duration.ofSeconds(config.quietWaitSeconds()), ticksPerSecond, out);
                    try {
                        run = idle(w, kind, round);
                    } catch (Unavailable e) {
                        unavailable.put(kind.name(), e.getMessage());
                        run = Run.unavailable(w.name(), kind.name(), round, e.getMessage());
                    } catch (IOException | RuntimeException e) {
                        run = Run.failed(w.name(), kind.name(), round, String.valueOf(e.getMessage()));
                    }
                }
                out.println(Tables.runRow(run));
                runs.add(run);
            }
        }
        return runs;
    }

    private Run idle(Workload w, ServerKind kind, int round) throws IOException, InterruptedException, Unavailable {
        String tag = w.name() + "-" + kind.name() + "-r" + round;
        Server server = ready(launch(w, kind, tag));
        try (Child s = server.child()) {
            if (w.tls()) {
                // A cold JVM compiles the handshake and record paths while the measured connections
                // open: its code cache and compiler arenas would count as connection memory. So
                // open and close some first; what a closed connection leaves (a grown pool) is
                // then in the baseline, as it is in a server that has run for a while. The
                // baseline waits until the server has closed them too (its descriptors are back).
                long descriptors = openDescriptors(s.pid());
                try (Child warm = startLoad(tag + "-warm", w.load(), server.port(),
                        Math.min(w.connections(), TLS_IDLE_WARM_UP), 1, 1)) {
                    holdAndClose(warm, () -> { });
                }
                long deadline = System.nanoTime() + SLACK.toNanos();
                while (openDescriptors(s.pid()) > descriptors + DESCRIPTOR_SLACK) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the server still holds " + (openDescriptors(s.pid()) - descriptors)
                                + " descriptors " + SLACK.toSeconds() + " s after the warm-up's connections closed");
                    }
                    Thread.sleep(100);
                }
            }
            long heapBefore = liveHeap(server);
            long before = Machine.residentBytes(s.pid());
            try (Child load = startLoad(tag, w.load(), server.port(), w.connections(), 1, 1)) {
                long[] heapAndRss = new long[2];
                int held = holdAndClose(load, () -> {
                    heapAndRss[0] = liveHeap(server);
                    heapAndRss[1] = Machine.residentBytes(s.pid());
                });
                return new Run(w.name(), kind.name(), round, Run.Status.OK, "", null,
                        new Run.Idle(held, before, heapAndRss[1], heapBefore, heapAndRss[0]));
            }
        }
    }

    /** Connections a TLS idle measurement opens and closes before its baseline: enough handshakes to compile their paths. */
    private static final int TLS_IDLE_WARM_UP = 2000;
    /** Descriptors a server may open after the warm-up for itself (the JVM's late files), not for connections. */
    private static final int DESCRIPTOR_SLACK = 16;

    /**
     * A JVM server's live heap after a full GC (0 for a server without one): the class
     * histogram's total less the filler arrays ParallelGC leaves in place of dead objects it did
     * not compact away. Those come and go by megabytes (3 MB between two points of one run, as
     * much as 2,000 idle TLS connections hold), so the heap in use would not do.
     */
    private static long liveHeap(Server server) throws IOException, InterruptedException {
        if (gc(server) == 0) {
            return 0;
        }
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(server.child().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String histogram = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(SLACK.toSeconds(), TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd GC.class_histogram failed: " + histogram.lines().findFirst().orElse(""));
        }
        long total = -1;
        long filler = 0;
        for (String line : histogram.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].equals("Total")) {
                total = Long.parseLong(f[2]);
            } else if (f.length >= 4 && f[3].startsWith("[Ljdk.internal.vm.FillerElement")) {
                filler += Long.parseLong(f[2]);
            }
        }
        if (total < 0) {
            throw new IOException("no Total in jcmd GC.class_histogram's output");
        }
        return total - filler;
    }

    private static long openDescriptors(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    private interface WhileHeld {
        void run() throws IOException, InterruptedException;
    }

    /** Waits until an idle load holds its connections, runs {@code whileHeld}, closes them; returns how many it held. */
    private static int holdAndClose(Child load, WhileHeld whileHeld) throws IOException, InterruptedException {
        String line = load.await(l -> l.startsWith("IDLE ") || l.startsWith("ERROR"), IDLE_TIMEOUT, "IDLE line");
        if (line.startsWith("ERROR")) {
            throw load.failure(line);
        }
        whileHeld.run();
        load.closeInput(); // end of input: the load closes every connection
        load.await(l -> l.startsWith("CLOSED"), SLACK, "CLOSED line");
        return Integer.parseInt(line.substring(5).trim());
    }

    /** A server process started, not yet known to listen. */
    record Launched(ServerKind kind, ServerKind.Command command, Child child) {
    }

    /** Starts {@code kind}'s server for {@code w}, pinned to the server core. */
    Launched launch(Workload w, ServerKind kind, String tag) throws IOException, Unavailable {
        ServerKind.Command command = kind.launch().command(w.protocol(), context);
        return new Launched(kind, command, Child.start("server " + kind.name(), pin(config.serverCpu(), command.argv()),
                logs.resolve(tag + "-server.log")));
    }

    /** Waits until a launched server listens; stops it if it does not. */
    Server ready(Launched l) throws IOException, InterruptedException, Unavailable {
        try {
            String line = l.child().await(x -> x.contains(l.command().ready()) || x.startsWith("UNAVAILABLE"), START_TIMEOUT,
                    "ready line");
            if (line.startsWith("UNAVAILABLE")) {
                throw new Unavailable(line.substring("UNAVAILABLE".length()).trim());
            }
            return new Server(l.kind(), l.child(), l.command().port() >= 0 ? l.command().port() : Integer.parseInt(line.split(" ")[1]));
        } catch (IOException | RuntimeException | InterruptedException | Unavailable e) {
            l.child().stop();
            throw e;
        }
    }

    /** Starts a BenchLoad process pinned to the load core. */
    private Child startLoad(String tag, String protocol, int port, int connections, int pipeline, int size) throws IOException {
        return startLoad("load", context.javaCommand(LOAD_JVM, BenchLoad.class, protocol, Integer.toString(port),
                Integer.toString(connections), Integer.toString(pipeline), Integer.toString(Math.max(1, size))), tag + "-load.log");
    }

    /** Starts any load process (BenchLoad, wrk, redis-benchmark) pinned to the load core, its output in logs/{@code log}. */
    Child startLoad(String name, List<String> argv, String log) throws IOException {
        return Child.start(name, pin(config.loadCpu(), argv), logs.resolve(log));
    }

    private List<String> pin(String cpu, List<String> argv) {
        return Machine.pin(pinned ? cpu : null, argv);
    }

    /** CPU, time and allocation at one end of a window. */
    record Sample(ProcStat server, ProcStat load, ProcStat machine, long nanos, long alloc) {
    }

    /** Samples the server first: every moment between the marker and these reads widens the window. */
    Sample sample(Server server, ProcStat load) throws IOException, InterruptedException {
        ProcStat s = ProcStat.read(server.child().pid());
        ProcStat machine = ProcStat.machine();
        long nanos = System.nanoTime();
        long alloc = 0;
        if (server.kind().answersAlloc()) {
            server.child().send("ALLOC");
            alloc = Long.parseLong(Machine.keyValues(server.child().await(l -> l.startsWith("ALLOC "), SLACK, "ALLOC answer")).get("bytes"));
        }
        return new Sample(s, load, machine, nanos, alloc);
    }

    /** The window between two samples, with the load's count and latencies. */
    Run.Window window(Sample a, Sample b, long requests, double seconds, double p50, double p99, double p999,
                      long errors, long mismatches, boolean allocReported) {
        return new Run.Window(requests, seconds, p50, p99, p999, errors, mismatches, b.server().minus(a.server()),
                b.load().minus(a.load()), b.machine().minus(a.machine()), (b.nanos() - a.nanos()) / 1e9, ticksPerSecond,
                allocReported ? b.alloc() - a.alloc() : Double.NaN);
    }

    private static long gc(Server server) throws IOException, InterruptedException {
        server.child().send("GC"); // a C server answers "GC done" without a heap
        String used = Machine.keyValues(server.child().await(l -> l.startsWith("GC done"), SLACK, "GC done")).get("heap_used");
        return used == null ? 0 : Long.parseLong(used);
    }

    /** The built-in load, {@link BenchLoad}, one process per kind held across the rounds. */
    private final class BuiltinLoad implements Load {
        private final Child child;
        private final Server server;

        BuiltinLoad(Workload w, Server server, String tag) throws IOException {
            this.server = server;
            this.child = startLoad(tag, w.load(), server.port(), w.connections(), w.pipeline(), w.size());
        }

        @Override
        public void ready() throws IOException, InterruptedException {
            child.await(l -> l.startsWith("CONNECTED "), START_TIMEOUT, "CONNECTED line");
        }

        @Override
        public void warm(int seconds) throws IOException, InterruptedException {
            if (seconds > 0) {
                child.send("RUN " + seconds);
                child.await("DONE"::equals, Duration.ofSeconds(seconds).plus(SLACK), "end of warm-up");
            }
        }

        @Override
        public Run.Window measure(int seconds) throws IOException, InterruptedException {
            child.send("MEASURE " + seconds);
            child.await("MEASURE_START"::equals, SLACK, "MEASURE_START");
            Sample a = sample(server, ProcStat.read(child.pid()));
            child.await("MEASURE_END"::equals, Duration.ofSeconds(seconds).plus(SLACK), "MEASURE_END");
            Sample b = sample(server, ProcStat.read(child.pid()));
            Map<String, String> r = Machine.keyValues(child.await(l -> l.startsWith("RESULT "), SLACK, "RESULT line"));
            return window(a, b, Long.parseLong(r.get("requests")), Double.parseDouble(r.get("seconds")),
                    Double.parseDouble(r.get("p50_us")), Double.parseDouble(r.get("p99_us")),
                    Double.parseDouble(r.get("p999_us")), Long.parseLong(r.get("errors")), Long.parseLong(r.get("mismatches")),
                    server.kind().answersAlloc());
        }

        @Override
        public void close() {
            child.closeInput();
            try {
                child.awaitExit(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            child.stop();
        }
    }
}
