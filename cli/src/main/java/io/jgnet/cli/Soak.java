package io.jgnet.cli;

import io.jgnet.Engine;
import io.jgnet.EventLoop;
import io.jgnet.Jgnet;
import io.jgnet.LoopStats;
import io.jgnet.Options;
import io.jgnet.examples.ChatServer;
import io.jgnet.examples.EchoServer;
import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.HttpServer;
import io.jgnet.examples.proxy.TcpProxy;
import io.jgnet.examples.redis.RedisConfig;
import io.jgnet.examples.redis.RedisServer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * {@code ./jgnet soak}: every example server at once (echo, HTTP, Redis, a proxy in front of the
 * echo, chat) in this process, under the mixed, seeded load of {@link SoakClients}, for a given
 * time. Every sample interval it records descriptors, RSS, heap after a full GC, direct and
 * pooled memory, the worst loop lag and the load's counts; at the end it prints the table and a
 * verdict.
 *
 * <p>The verdict fails on any wrong reply or failed scenario, and on growth that does not level
 * off: a resource whose peak over the last third of the samples is above its peak over the
 * middle third by more than a slack ({@link Growth}). The first third is warm-up (JIT, pools
 * filling, the kernel's socket memory) and is never judged. Clients run in the same process as
 * the servers, so descriptor and memory figures include theirs (bounded by the worker count).
 * RSS follows the heap the JVM commits: give it a fixed heap ({@code JGNET_JAVA_OPTS="-Xms256m
 * -Xmx256m"}) so that RSS shows the rest.
 *
 * <p>Runs on the calling thread; the workers are virtual threads, all joined before it returns.
 */
final class Soak {
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final long MIB = 1024 * 1024;
    /** Client workers: enough to mix every scenario at once, few enough for a shared 2-core machine. */
    static final int WORKERS = 12;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Growth is judged from a minute of samples on: in a shorter run the heap is still being
     * sized and every resource still rises from its start.
     */
    static final int MIN_SAMPLES_TO_JUDGE = 6;

    /** One row of the table. */
    record Sample(long seconds, long fds, long rssBytes, long heapBytes, long directBytes, long pooledBytes,
                  long lagMicros, int connections, long operations, long errors, long mismatches) {
    }

    /**
     * A resource that must level off: its peak over the last third may exceed its peak over the
     * middle third by at most {@code relative} of it plus {@code absolute}.
     */
    record Growth(String name, ToLongFunction<Sample> value, double relative, long absolute) {
        /** Why it grew, or null if it levelled off. */
        String judge(List<Sample> samples) {
            int third = samples.size() / 3;
            long middle = samples.subList(third, 2 * third).stream().mapToLong(value).max().orElse(0);
            long last = samples.subList(2 * third, samples.size()).stream().mapToLong(value).max().orElse(0);
            long allowed = (long) (middle * (1 + relative)) + absolute;
            return last > allowed ? name + " grew from " + middle + " to " + last + " (allowed " + allowed + ")" : null;
        }
    }

    static final List<Growth> GROWTHS = List.of(
            new Growth("fds", Sample::fds, 0.25, 64),
            new Growth("RSS bytes", Sample::rssBytes, 0.10, 32 * MIB),
            new Growth("heap bytes after GC", Sample::heapBytes, 0.25, 16 * MIB),
            new Growth("direct bytes", Sample::directBytes, 0.25, 16 * MIB),
            new Growth("pooled bytes", Sample::pooledBytes, 0.25, 16 * MIB));

    /** The outcome: the samples, the verdict's reasons (empty: pass) and the first errors. */
    record Result(List<Sample> samples, List<String> failures, List<String> firstErrors) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    private Soak() {
    }

    /** Runs the soak for {@code duration}, sampling every {@code every}, with the servers on {@code options}. */
    static Result run(Duration duration, Duration every, long seed, Options options, PrintStream out)
            throws IOException, InterruptedException {
        List<Engine> engines = new ArrayList<>();
        try {
            Engine echo = start(engines, new EchoServer(), options);
            HttpConfig http = HttpConfig.defaults();
            Engine web = start(engines, HttpServer.handlerWithMetrics(http), HttpServer.options(http, options));
            RedisServer redisServer = new RedisServer(RedisConfig.defaults());
            Engine redis = start(engines, redisServer, redisServer.options(options));
            Engine proxy = start(engines, new TcpProxy(List.of("tcp://" + hostPort(echo)), TcpProxy.Balancing.ROUND_ROBIN),
                    options);
            Engine chat = start(engines, new ChatServer(), options);
            SoakClients clients = new SoakClients(new SoakClients.Targets(address(echo), address(web), address(redis),
                    address(proxy), address(chat)));
            out.printf(Locale.ROOT, "jgnet soak: echo %s, http %s, redis %s, proxy %s (to echo), chat %s; transport %s,"
                            + " %d loops each; %d workers, seed %d, %d s, a sample every %d s%n",
                    hostPort(echo), hostPort(web), hostPort(redis), hostPort(proxy), hostPort(chat), echo.transport(),
                    echo.eventLoops().size(), WORKERS, seed, duration.toSeconds(), every.toSeconds());
            return drive(engines, clients, duration, every, seed, out);
        } finally {
            for (Engine engine : engines) {
                engine.stop(STOP_TIMEOUT);
            }
        }
    }

    private static Result drive(List<Engine> engines, SoakClients clients, Duration duration, Duration every, long seed,
            PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            int index = i;
            workers.add(Thread.ofVirtual().name("soak-worker-" + i).start(() -> clients.work(seed, index, deadline)));
        }
        List<Sample> samples = new ArrayList<>();
        printHeader(out);
        for (long next = start + every.toNanos(); next - deadline <= 0; next += every.toNanos()) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            Sample sample = sample(engines, clients, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            samples.add(sample);
            print(sample, out);
        }
        for (Thread worker : workers) {
            // A worker ends its scenario within the guard of its last read.
            if (!worker.join(SoakClients.GUARD.plusSeconds(5))) {
                worker.interrupt();
            }
        }
        List<String> failures = new ArrayList<>();
        long mismatches = clients.mismatches.sum();
        long errors = clients.errors.sum();
        if (mismatches > 0) {
            failures.add(mismatches + " wrong replies");
        }
        if (errors > 0) {
            failures.add(errors + " failed scenarios");
        }
        if (clients.operations.sum() == 0) {
            failures.add("no scenario completed");
        }
        if (samples.size() >= MIN_SAMPLES_TO_JUDGE) {
            for (Growth growth : GROWTHS) {
                String grew = growth.judge(samples);
                if (grew != null) {
                    failures.add(grew);
                }
            }
        }
        out.printf(Locale.ROOT, "scenarios: %s%n", scenarioCounts(clients));
        return new Result(samples, failures, clients.firstErrors());
    }

    private static Engine start(List<Engine> engines, io.jgnet.EventHandler handler, Options options) throws IOException {
        Engine engine = Jgnet.start(handler, "tcp://127.0.0.1:0", options);
        engines.add(engine);
        return engine;
    }

    private static InetSocketAddress address(Engine engine) {
        return (InetSocketAddress) engine.listenAddresses().getFirst();
    }

    private static String hostPort(Engine engine) {
        return "127.0.0.1:" + address(engine).getPort();
    }

    private static String scenarioCounts(SoakClients clients) {
        StringBuilder counts = new StringBuilder();
        for (SoakClients.Scenario scenario : SoakClients.Scenario.values()) {
            counts.append(counts.isEmpty() ? "" : ", ").append(scenario.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(clients.byScenario[scenario.ordinal()].sum());
        }
        return counts.toString();
    }

    // ------------------------------------------------------------------------------ sampling

    static Sample sample(List<Engine> engines, SoakClients clients, long seconds) throws InterruptedException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long pooled = 0;
        int connections = 0;
        for (Engine engine : engines) {
            for (LoopStats loop : engine.stats()) {
                pooled += loop.pooledBytes();
                connections += loop.connections();
            }
        }
        return new Sample(seconds, descriptors(), rss(), heap, direct, pooled, worstLagMicros(engines), connections,
                clients.operations.sum(), clients.errors.sum(), clients.mismatches.sum());
    }

    /** The longest any loop took to run a task handed to it now: how long its connections wait for it. */
    private static long worstLagMicros(List<Engine> engines) throws InterruptedException {
        long worst = 0;
        for (Engine engine : engines) {
            for (EventLoop loop : engine.eventLoops()) {
                long queued = System.nanoTime();
                CompletableFuture<Long> ran = new CompletableFuture<>();
                loop.execute(() -> ran.complete(System.nanoTime() - queued));
                try {
                    worst = Math.max(worst, ran.get(SoakClients.GUARD.toSeconds(), TimeUnit.SECONDS) / 1000);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    worst = Math.max(worst, SoakClients.GUARD.toMillis() * 1000);
                }
            }
        }
        return worst;
    }

    private static long descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: reported as -1
        }
        return -1;
    }

    // ------------------------------------------------------------------------------- report

    private static void printHeader(PrintStream out) {
        out.printf(Locale.ROOT, "%6s %6s %8s %9s %10s %10s %8s %6s %10s %7s %6s%n", "time s", "fds", "RSS MiB",
                "heap MiB", "direct MiB", "pooled MiB", "lag ms", "conns", "scenarios", "errors", "wrong");
    }

    static void print(Sample s, PrintStream out) {
        out.printf(Locale.ROOT, "%6d %6d %8.1f %9.1f %10.1f %10.1f %8.2f %6d %10d %7d %6d%n", s.seconds(), s.fds(),
                s.rssBytes() / (double) MIB, s.heapBytes() / (double) MIB, s.directBytes() / (double) MIB,
                s.pooledBytes() / (double) MIB, s.lagMicros() / 1000.0, s.connections(), s.operations(), s.errors(),
                s.mismatches());
    }
}
