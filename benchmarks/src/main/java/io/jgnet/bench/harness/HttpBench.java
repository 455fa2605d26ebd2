package io.jgnet.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jgnet's example HTTP server (one epoll loop, in its own JVM) against {@link NettyHttpServer}
 * (one Netty epoll loop, in its own JVM), driven by wrk on {@code GET /plaintext}, alternating
 * the two servers round after round. Each round, each server is started pinned to the server
 * core, warmed up with unmeasured wrk runs, then measured with
 *
 * <pre>
 * wrk -t1 -c50 -d5s -s pipeline.lua http://127.0.0.1:P/plaintext -- 16   (test "pipelined")
 * wrk -t1 -c50 -d5s http://127.0.0.1:P/plaintext                         (test "plain")
 * </pre>
 *
 * The server's CPU is sampled when wrk starts and when it prints its last line. pipeline.lua
 * (a copy of the examples' test script, on the class path) is written to a temporary file,
 * deleted at exit.
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.HttpBench --rounds 3
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.HttpBench \
 *      --rounds 1 --seconds 2 --warmup-seconds 1                          # smoke run, under a minute
 * </pre>
 *
 * Flags (defaults in brackets): {@code --seconds [5] --warmup-seconds [3] (each depth)
 * --connections [50] --threads [1] --depth [16]} and the common {@code --rounds [3] --results
 * [benchmarks/results] --server-cpu [1] --load-cpu [0] --pin [true] --busy-limit [0.25]
 * --retries [2] --quiet-wait-seconds [120]}. Results go to {@code http-TIMESTAMP.csv} and
 * {@code .json}. Exit status: 0 if every run completed, 1 if any failed, 2 for a bad flag.
 */
public final class HttpBench {

    private static final List<String> SERVERS = List.of("jgnet", "netty");
    /** Both on epoll, each on one loop: {@link BenchServers} kinds. */
    private static final Map<String, String> KINDS = Map.of("jgnet", "jgnet-epoll", "netty", "netty-epoll");
    private static final List<String> TESTS = List.of("pipelined", "plain");
    private static final Pattern REQUESTS = Pattern.compile("^\\s*(\\d+) requests in .*");
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([\\d.]+).*");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+).*");
    private static final Pattern NON_2XX = Pattern.compile("^\\s*Non-2xx or 3xx responses: (\\d+).*");
    /** wrk's last line; it prints it after its threads have stopped. */
    private static final String LAST_LINE = "Transfer/sec:";
    /** Slack on top of wrk's own duration before it counts as hung. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final ToolBench bench;
    private final Path script;

    private HttpBench(ToolBench bench, Path script) {
        this.bench = bench;
        this.script = script;
    }

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) throws Exception {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("seconds", "5");
        own.put("warmup-seconds", "3");
        own.put("connections", "50");
        own.put("threads", "1");
        own.put("depth", "16");
        ToolBench bench = ToolBench.create("HttpBench", args, ToolBench.withCommonDefaults(own),
                List.of("seconds", "warmup-seconds", "connections", "threads", "depth"));
        Path script = Files.createTempFile("jgnet-pipeline", ".lua");
        script.toFile().deleteOnExit();
        try (InputStream in = HttpBench.class.getResourceAsStream("/io/jgnet/examples/http/wrk-pipeline.lua")) {
            if (in == null) {
                throw new IllegalStateException("wrk-pipeline.lua (from jgnet-examples) is not on the class path");
            }
            Files.write(script, in.readAllBytes());
        }
        System.exit(new HttpBench(bench, script).run() ? 0 : 1);
    }

    private boolean run() throws IOException, InterruptedException {
        Map<String, String> f = bench.flags;
        System.out.printf("http harness: wrk -t%s -c%s -d%ss, pipelined %s deep and plain, warm-up %s s each,"
                        + " %d round(s) of %s%n", f.get("threads"), f.get("connections"), f.get("seconds"), f.get("depth"),
                f.get("warmup-seconds"), bench.rounds(), SERVERS);
        bench.printSetup();
        System.out.println();
        System.out.println(ToolReport.HEADER);
        for (int round = 1; round <= bench.rounds(); round++) {
            for (String server : SERVERS) {
                try (ToolBench.Server s = bench.startJava("http", KINDS.get(server), round == 1)) {
                    if (round == 1) {
                        // Show the response once, so a reader can see both servers send the same headers.
                        List<String> response = ToolBench.runQuick("curl", List.of("curl", "-sS", "-i",
                                url(s.port())), Duration.ofSeconds(10));
                        System.out.println("  " + server + " response: " + String.join(" | ", response));
                    }
                    for (String test : TESTS) {
                        ToolBench.runQuick("warm-up", wrk(s.port(), test, f.get("warmup-seconds")),
                                Duration.ofSeconds(Long.parseLong(f.get("warmup-seconds"))).plus(SLACK));
                    }
                    for (String test : TESTS) {
                        int r = round;
                        bench.measure("round " + round + " " + server + " " + test, () -> measure(r, server, s, test));
                    }
                } catch (IOException e) {
                    bench.failures.add("round " + round + " " + server + ": " + e.getMessage());
                    System.out.println("round " + round + " " + server + " FAILED: " + e.getMessage());
                }
            }
        }
        return bench.finish("http", SERVERS, TESTS);
    }

    private List<ToolRun> measure(int round, String server, ToolBench.Server s, String test)
            throws IOException, InterruptedException {
        String seconds = bench.flags.get("seconds");
        List<String> output = new ArrayList<>();
        ToolBench.Window w = bench.runTool("wrk", wrk(s.port(), test, seconds), s.child().pid(),
                l -> l.startsWith(LAST_LINE), 1, Duration.ofSeconds(Long.parseLong(seconds)).plus(SLACK), output).getFirst();
        long requests = -1;
        double rate = -1;
        long errors = 0;
        for (String line : output) {
            Matcher m;
            if ((m = REQUESTS.matcher(line)).matches()) {
                requests = Long.parseLong(m.group(1));
            } else if ((m = RATE.matcher(line)).matches()) {
                rate = Double.parseDouble(m.group(1));
            } else if ((m = SOCKET_ERRORS.matcher(line)).matches()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(m.group(g));
                }
            } else if ((m = NON_2XX.matcher(line)).matches()) {
                errors += Long.parseLong(m.group(1));
            }
        }
        if (requests < 0 || rate < 0) {
            throw new IOException("could not read wrk's output: " + output);
        }
        return List.of(new ToolRun(round, server, test, requests, rate, errors, w.server(), w.load(), w.machine(),
                w.seconds(), bench.ticksPerSecond));
    }

    private List<String> wrk(int port, String test, String seconds) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + bench.flags.get("threads"),
                "-c" + bench.flags.get("connections"), "-d" + seconds + "s"));
        if (test.equals("pipelined")) {
            command.addAll(List.of("-s", script.toString(), url(port), "--", bench.flags.get("depth")));
        } else {
            command.add(url(port));
        }
        return bench.onLoadCpu(command);
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port + "/plaintext";
    }
}
