package io.jgnet.bench.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jgnet's example Redis server (one epoll loop, in its own JVM) against redis-server, driven by
 * redis-benchmark, alternating the two servers round after round. Each round, each server is
 * started pinned to the server core, warmed up with an unmeasured redis-benchmark run at each
 * pipelining depth (redis-server gets the same, so the two are treated alike), then measured:
 *
 * <pre>
 * redis-benchmark -p P -t ping,set,get -P 16 -n N_PIPELINED -q -c 50
 * redis-benchmark -p P -t ping,set,get -P 1  -n N           -q -c 50
 * </pre>
 *
 * redis-benchmark runs its tests one after another and prints one line per finished test;
 * the server's CPU is sampled at each such line, so each test gets its own window and its own
 * server CPU per request. Its output is made line-buffered with {@code stdbuf -oL}, or the lines
 * would arrive only at its exit.
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.RedisBench --rounds 3
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.RedisBench \
 *      --rounds 1 --n 20000 --n-pipelined 200000 --warmup-n 100000      # smoke run, under a minute
 * </pre>
 *
 * Flags (defaults in brackets): {@code --n [400000] --n-pipelined [6000000] --warmup-n [2000000]
 * (-P 16; -P 1 warms up with a tenth) --clients [50] --tests [ping,set,get] --redis-server
 * [redis-server]} and the common {@code --rounds [3] --results [benchmarks/results] --server-cpu [1]
 * --load-cpu [0] --pin [true] --busy-limit [0.25] --retries [2] --quiet-wait-seconds [120]}.
 * Results go to {@code redis-TIMESTAMP.csv} and {@code .json}. Exit status: 0 if every run
 * completed, 1 if any failed, 2 for a bad flag.
 */
public final class RedisBench {

    private static final List<String> SERVERS = List.of("jgnet", "redis-server");
    private static final Pattern RESULT = Pattern.compile("^\\s*([A-Z_]+): ([\\d.]+) requests per second.*");
    /** The slowest believable rate per pipelining depth, to bound each run: a tenth of -P 1's here. */
    private static final double MIN_RATE_PER_DEPTH = 4000;

    private final ToolBench bench;
    private final List<String> testNames;

    private RedisBench(ToolBench bench) {
        this.bench = bench;
        List<String> names = new ArrayList<>();
        for (String t : bench.flags.get("tests").split(",")) {
            // redis-benchmark's "ping" is two tests, the inline and the multi-bulk form.
            names.addAll(t.trim().equalsIgnoreCase("ping") ? List.of("PING_INLINE", "PING_MBULK")
                    : List.of(t.trim().toUpperCase(Locale.ROOT)));
        }
        this.testNames = names;
    }

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("n", "400000");
        own.put("n-pipelined", "6000000");
        own.put("warmup-n", "2000000");
        own.put("clients", "50");
        own.put("tests", "ping,set,get");
        own.put("redis-server", "redis-server");
        ToolBench bench = ToolBench.create("RedisBench", args, ToolBench.withCommonDefaults(own),
                List.of("n", "n-pipelined", "warmup-n", "clients"));
        System.exit(new RedisBench(bench).run() ? 0 : 1);
    }

    private boolean run() throws IOException, InterruptedException {
        Map<String, String> f = bench.flags;
        System.out.printf("redis harness: redis-benchmark -t %s -c %s, -P 16 -n %s and -P 1 -n %s, %d round(s) of %s%n",
                f.get("tests"), f.get("clients"), f.get("n-pipelined"), f.get("n"), bench.rounds(), SERVERS);
        bench.printSetup();
        System.out.println(String.join(" ", ToolBench.runQuick("version",
                List.of(f.get("redis-server"), "--version"), Duration.ofSeconds(10))));
        System.out.println();
        System.out.println(ToolReport.HEADER);
        for (int round = 1; round <= bench.rounds(); round++) {
            for (String server : SERVERS) {
                try (ToolBench.Server s = start(server, round == 1)) {
                    if (round == 1) {
                        System.out.println("  " + server + " redis-cli ping: "
                                + ToolBench.runQuick("redis-cli", List.of("redis-cli", "-p", Integer.toString(s.port()), "ping"),
                                Duration.ofSeconds(10)));
                    }
                    warmUp(s);
                    for (int depth : List.of(16, 1)) {
                        int r = round;
                        bench.measure("round " + round + " " + server + " -P " + depth, () -> measure(r, server, s, depth));
                    }
                } catch (IOException e) {
                    bench.failures.add("round " + round + " " + server + ": " + e.getMessage());
                    System.out.println("round " + round + " " + server + " FAILED: " + e.getMessage());
                }
            }
        }
        List<String> tests = new ArrayList<>();
        for (int depth : List.of(16, 1)) {
            testNames.forEach(t -> tests.add("P" + depth + " " + t));
        }
        return bench.finish("redis", SERVERS, tests);
    }

    private ToolBench.Server start(String server, boolean verbose) throws IOException, InterruptedException {
        if (server.equals("jgnet")) {
            return bench.startJava("resp", "jgnet-epoll", verbose);
        }
        // redis-server cannot report a port it picked, so it gets one that was free a moment ago.
        int port = ToolBench.freePort();
        Child child = Child.start("redis-server", bench.onServerCpu(List.of(bench.flags.get("redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")));
        try {
            child.await(l -> l.contains("Ready to accept connections"), ToolBench.START_TIMEOUT, "ready line");
        } catch (IOException | RuntimeException e) {
            child.stop();
            throw e;
        }
        if (verbose) {
            System.out.println("  redis-server: port " + port + "; pid " + child.pid() + ", cpus " + EchoBench.allowedCpus(child.pid()));
        }
        return new ToolBench.Server(child, port);
    }

    /** Unmeasured runs at both depths: the JIT compiles jgnet's paths before the measured ones. */
    private void warmUp(ToolBench.Server s) throws IOException, InterruptedException {
        long n = Long.parseLong(bench.flags.get("warmup-n"));
        for (int depth : List.of(16, 1)) {
            long requests = depth == 1 ? Math.max(1, n / 10) : n;
            ToolBench.runQuick("warm-up", benchmark(s.port(), depth, requests), timeout(requests, depth));
        }
    }

    private List<ToolRun> measure(int round, String server, ToolBench.Server s, int depth)
            throws IOException, InterruptedException {
        long n = Long.parseLong(bench.flags.get(depth == 1 ? "n" : "n-pipelined"));
        List<String> output = new ArrayList<>();
        List<ToolBench.Window> windows = bench.runTool("redis-benchmark", benchmark(s.port(), depth, n), s.child().pid(),
                l -> RESULT.matcher(l).matches(), testNames.size(), timeout(n, depth), output);
        List<ToolRun> runs = new ArrayList<>();
        for (ToolBench.Window w : windows) {
            Matcher m = RESULT.matcher(w.line());
            if (!m.matches()) {
                throw new IllegalStateException(w.line());
            }
            runs.add(new ToolRun(round, server, "P" + depth + " " + m.group(1), n, Double.parseDouble(m.group(2)), 0,
                    w.server(), w.load(), w.machine(), w.seconds(), bench.ticksPerSecond));
        }
        return runs;
    }

    private List<String> benchmark(int port, int depth, long requests) {
        return bench.onLoadCpu(List.of("stdbuf", "-oL", "redis-benchmark", "-p", Integer.toString(port),
                "-t", bench.flags.get("tests"), "-P", Integer.toString(depth), "-n", Long.toString(requests),
                "-q", "-c", bench.flags.get("clients")));
    }

    private Duration timeout(long requests, int depth) {
        return Duration.ofSeconds(30 + (long) (requests * testNames.size() / (MIN_RATE_PER_DEPTH * depth)));
    }
}
