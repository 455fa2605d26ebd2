package io.jgnet.bench.matrix;

import io.jgnet.bench.load.BenchLoad;
import io.jgnet.bench.process.Child;
import io.jgnet.bench.process.Machine;
import io.jgnet.bench.process.ProcStat;
import io.jgnet.bench.report.Tables;
import io.jgnet.bench.servers.BenchServers.Unavailable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/**
 * Measures workloads. For a request/response workload every kind's server is started once,
 * pinned to the server core, with its own load pinned to the load core; each is warmed up; then
 * each round measures one window per kind in an order that rotates round by round (A B C, B C A,
 * C A B). A window's CPU is sampled from {@code /proc} at the load's markers, with the server's
 * loop-thread allocation; a window during which other work took more than the busy limit is
 * measured again. The idle workload starts a fresh server per measurement, since a server that
 * has held connections keeps some of their memory. Used from the orchestrator's thread only.
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

    /** A started server: the port it serves once it has said it listens, else the port it was given (or -1). */
    record Server(ServerKind kind, ServerKind.Command command, Child child, int port) {
    }

    /** One kind's load: warmed once (which waits until it is connected), then measured window by window. */
    interface Load extends AutoCloseable {
        void warm(int seconds) throws IOException, InterruptedException;

        Run.Window measure(int seconds) throws IOException, InterruptedException;

        @Override
        void close();
    }

    /** Every round of request/response workload {@code w} over {@code kinds}. */
    List<Run> measure(Workload w, List<ServerKind> kinds) throws InterruptedException {
        List<Run> runs = new ArrayList<>();
        Map<ServerKind, Server> servers = new LinkedHashMap<>();
        Map<ServerKind, Load> loads = new LinkedHashMap<>();
        // Why a kind gives no windows in this workload: null when it is unavailable here, else its failure.
        Map<ServerKind, String> broken = new LinkedHashMap<>();
        try {
            // Every server starts at once, then every load: their JVM starts overlap instead of queueing.
            for (ServerKind kind : kinds) {
                if (unavailable.containsKey(kind.name())) {
                    broken.put(kind, null); // said so in an earlier workload: not started again
                    continue;
                }
                try {
                    servers.put(kind, launch(w, kind, w.name() + "-" + kind.name()));
                } catch (Unavailable | IOException | RuntimeException e) {
                    failed(kind, e, broken);
                }
            }
            for (Server launched : List.copyOf(servers.values())) {
                ServerKind kind = launched.kind();
                try {
                    Server s = ready(launched);
                    servers.put(kind, s);
                    String tag = w.name() + "-" + kind.name();
                    // wrk is the only load for files: the built-in load does not speak it.
                    boolean tool = (config.tools() || w.protocol().equals("file")) && ToolLoad.serves(w);
                    loads.put(kind, tool ? new ToolLoad(w, this, s, tag) : new BuiltinLoad(w, s, tag));
                } catch (Unavailable | IOException | RuntimeException e) {
                    servers.remove(kind);
                    failed(kind, e, broken);
                }
            }
            for (var e : loads.entrySet()) {
                try {
                    e.getValue().warm(w.warmupSeconds(config.warmupSeconds()));
                } catch (IOException | RuntimeException x) {
                    failed(e.getKey(), x, broken);
                }
            }
            boolean busy = true;
            for (int round = 1; round <= config.rounds(); round++) {
                if (busy) { // the first round, or other work showed up in the last one
                    waitForQuiet();
                }
                busy = false;
                for (ServerKind kind : rotated(kinds, round - 1)) {
                    Run run = !broken.containsKey(kind) ? window(w, kind, round, servers.get(kind), loads.get(kind))
                            : broken.get(kind) == null ? Run.unavailable(w.name(), kind.name(), round, unavailable.get(kind.name()))
                            : Run.failed(w.name(), kind.name(), round, broken.get(kind));
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
            out.println("      " + kind.name() + " is unavailable here: " + e.getMessage());
        }
        broken.put(kind, e instanceof Unavailable ? null : String.valueOf(e.getMessage()));
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
        return Stream.iterate(0, i -> i + 1).limit(kinds.size()).map(i -> kinds.get((i + shift) % kinds.size())).toList();
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
                    waitForQuiet();
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

    private void waitForQuiet() throws InterruptedException {
        Machine.waitForQuiet(config.busyLimit(), Duration.ofSeconds(config.quietWaitSeconds()), ticksPerSecond, out);
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
        Map<String, long[]> classes = Machine.classHistogram(histogram);
        if (!classes.containsKey("Total")) {
            throw new IOException("no Total in jcmd GC.class_histogram's output");
        }
        long filler = classes.entrySet().stream().filter(e -> e.getKey().startsWith("[Ljdk.internal.vm.FillerElement"))
                .mapToLong(e -> e.getValue()[1]).sum();
        return classes.get("Total")[1] - filler;
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

    /** Starts {@code kind}'s server for {@code w}, pinned to the server core. */
    Server launch(Workload w, ServerKind kind, String tag) throws IOException, Unavailable {
        ServerKind.Command command = kind.launch().command(w.protocol(), context);
        Child child = Child.start("server " + kind.name(), pin(config.serverCpu(), command.argv()), logs.resolve(tag + "-server.log"));
        return new Server(kind, command, child, command.port());
    }

    /** Waits until a launched server listens; stops it if it does not. */
    Server ready(Server s) throws IOException, InterruptedException, Unavailable {
        try {
            String line = s.child().await(x -> x.contains(s.command().ready()) || x.startsWith("UNAVAILABLE"), START_TIMEOUT,
                    "ready line");
            if (line.startsWith("UNAVAILABLE")) {
                throw new Unavailable(line.substring("UNAVAILABLE".length()).trim());
            }
            return new Server(s.kind(), s.command(), s.child(), s.port() >= 0 ? s.port() : Integer.parseInt(line.split(" ")[1]));
        } catch (Exception e) { // rethrown as it is: only the exceptions declared above
            s.child().stop();
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

    /** {@code taskset -c CPU COMMAND} when pinning; taskset execs, so the PID is the command's. */
    private List<String> pin(String cpu, List<String> argv) {
        return pinned ? Stream.concat(Stream.of("taskset", "-c", cpu), argv.stream()).toList() : argv;
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

    /** What a load reported for a window: requests, their seconds, latencies in microseconds (NaN: not said), failures. */
    record Result(long requests, double seconds, double p50, double p99, double p999, long errors, long mismatches) {
    }

    /** The window between two samples, with what the load reported. */
    Run.Window window(Server server, Sample a, Sample b, Result r) {
        return new Run.Window(r.requests(), r.seconds(), r.p50(), r.p99(), r.p999(), r.errors(), r.mismatches(),
                b.server().minus(a.server()), b.load().minus(a.load()), b.machine().minus(a.machine()),
                (b.nanos() - a.nanos()) / 1e9, ticksPerSecond, server.kind().answersAlloc() ? b.alloc() - a.alloc() : Double.NaN);
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
        public void warm(int seconds) throws IOException, InterruptedException {
            child.await(l -> l.startsWith("CONNECTED "), START_TIMEOUT, "CONNECTED line");
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
            return window(server, a, b, new Result(Long.parseLong(r.get("requests")), Double.parseDouble(r.get("seconds")),
                    Double.parseDouble(r.get("p50_us")), Double.parseDouble(r.get("p99_us")), Double.parseDouble(r.get("p999_us")),
                    Long.parseLong(r.get("errors")), Long.parseLong(r.get("mismatches"))));
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
