package io.jgnet.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The servers the benchmark matrix compares, one per JVM process so that {@code /proc/PID/stat}
 * holds that server's CPU and nothing else. Usage (the process contract of the matrix):
 *
 * <pre>
 * BenchServers PROTOCOL KIND PORT [--watch-stdin]
 *                     serve 127.0.0.1:PORT (0 = any free port); prints "READY port ..." once
 *                     listening, or "UNAVAILABLE reason" and exits with status 3 if KIND
 *                     cannot run in this JVM (no fallback to another transport)
 * BenchServers check  prints "key: value" facts about this JVM, the last line "jvm: ..."
 * </pre>
 *
 * <p>PROTOCOL is one of {@link #PROTOCOLS}, KIND one of {@link #KINDS}:
 * <ul>
 *   <li>{@code echo}: jgnet's echo handler; Netty's idiomatic echo (write with the void
 *       promise in channelRead, flush in channelReadComplete).</li>
 *   <li>{@code http}: jgnet's example HTTP server; {@link NettyHttpServer}. Both answer
 *       {@code GET /plaintext} with {@code Hello, World!} in TechEmpower's shape.</li>
 *   <li>{@code resp}: jgnet's example Redis server; {@link NettyRespServer}.</li>
 * </ul>
 * Every server does all of its I/O on ONE event-loop thread (jgnet {@code loops(1)}, Netty one
 * {@code MultiThreadIoEventLoopGroup(1)} as boss and worker), so CPU per request compares the
 * frameworks' loops and not their thread counts; TCP_NODELAY is on everywhere.
 *
 * <p>With {@code --watch-stdin} (which the orchestrator passes) the server reads commands from
 * its standard input: end of file exits at once (the orchestrator has gone, and a server left
 * running would skew every later measurement); {@code ALLOC} prints
 * {@code ALLOC bytes=N threads=k}, the bytes the event-loop thread(s) allocated since they
 * started; {@code GC} collects garbage twice and prints {@code GC done heap_used=N}, the heap's
 * bytes in use afterwards (the live objects, for the idle-memory figure); anything else prints
 * {@code ERROR unknown command LINE}. Without the flag the server runs until it is killed.
 *
 * <p>Threading: {@link #main} runs once per process; {@link #start} may be called from any
 * thread, any number of times (tests run several servers in one JVM), and the returned
 * {@link Running} is owned by the caller, who must close it.
 */
public final class BenchServers {

    /** The protocols, in the order the orchestrator runs them. */
    public static final List<String> PROTOCOLS = List.of("echo", "http", "resp");
    /** The server kinds, in the order the orchestrator runs them. */
    public static final List<String> KINDS = List.of("jgnet-nio", "jgnet-epoll", "netty-nio", "netty-epoll", "netty-io_uring");

    /** Exit status of a server whose kind cannot run here, so the orchestrator can tell it from a crash. */
    static final int EXIT_UNAVAILABLE = 3;
    private static final int EXIT_USAGE = 2;
    /** Bounds finding the loop threads: a loop that does not run a task within this is broken. */
    private static final long LOOP_TASK_TIMEOUT_SECONDS = 10;

    private BenchServers() {
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("check")) {
            check();
            return;
        }
        boolean watchStdin = args.length == 4 && args[3].equals("--watch-stdin");
        if (args.length < 3 || args.length > 4 || args.length == 4 && !watchStdin
                || !PROTOCOLS.contains(args[0]) || !KINDS.contains(args[1]) || !isPort(args[2])) {
            System.err.println("usage: BenchServers check | BenchServers {" + String.join("|", PROTOCOLS) + "} {"
                    + String.join("|", KINDS) + "} PORT [--watch-stdin]");
            System.exit(EXIT_USAGE);
            return;
        }
        Running server;
        try {
            server = start(args[0], args[1], Integer.parseInt(args[2]));
        } catch (Unavailable e) {
            System.out.println("UNAVAILABLE " + e.getMessage());
            System.out.flush();
            System.exit(EXIT_UNAVAILABLE);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-server"));
        System.out.println("READY " + server.port() + " " + args[0] + " " + server.description());
        System.out.flush();
        if (watchStdin) {
            Thread.ofPlatform().daemon().name("stdin-commands").start(() -> serveStdin(server));
        }
        server.awaitTermination();
    }

    /**
     * Starts {@code protocol} on {@code kind} at 127.0.0.1:{@code port} (0 = any free port) and
     * returns once it is listening.
     *
     * @throws Unavailable if {@code kind} cannot run in this JVM
     */
    static Running start(String protocol, String kind, int port) throws Unavailable, IOException, InterruptedException {
        if (!PROTOCOLS.contains(protocol) || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown server " + protocol + " " + kind);
        }
        return kind.startsWith("jgnet-")
                ? JgnetServers.start(protocol, kind.substring("jgnet-".length()), port)
                : NettyServers.start(protocol, kind.substring("netty-".length()), port);
    }

    /** Answers the commands on standard input until its end, then exits the process. */
    private static void serveStdin(Running server) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println(answer(line.strip(), server));
                System.out.flush();
            }
        } catch (IOException e) {
            // a broken stdin means the orchestrator is gone, as end of file does
        }
        System.exit(0);
    }

    /** The reply to one stdin command line. */
    static String answer(String command, Running server) {
        return switch (command) {
            case "ALLOC" -> {
                Allocation a = allocatedBytes(server.ioThreads());
                yield "ALLOC bytes=" + a.bytes() + " threads=" + a.threads();
            }
            case "GC" -> {
                // Twice: the first may only queue finalizable or weakly held objects for the second.
                System.gc();
                System.gc();
                yield "GC done heap_used=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            }
            default -> "ERROR unknown command " + command;
        };
    }

    /** Bytes allocated by {@code threads} since each started, over those still alive. */
    static Allocation allocatedBytes(List<Thread> threads) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = 0;
        int counted = 0;
        for (Thread t : threads) {
            long b = mx.getThreadAllocatedBytes(t.threadId());
            if (b >= 0) { // -1: the thread has ended, or the JVM does not measure allocation
                bytes += b;
                counted++;
            }
        }
        return new Allocation(bytes, counted);
    }

    /**
     * The threads that run tasks submitted to {@code executors}, found by running a task on each:
     * an event loop runs its tasks on its own I/O thread.
     */
    static List<Thread> loopThreads(List<? extends Executor> executors) throws IOException, InterruptedException {
        List<CompletableFuture<Thread>> found = executors.stream().map(e -> {
            CompletableFuture<Thread> f = new CompletableFuture<>();
            e.execute(() -> f.complete(Thread.currentThread()));
            return f;
        }).toList();
        try {
            return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new))
                    .thenApply(v -> found.stream().map(CompletableFuture::join).toList())
                    .get(LOOP_TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("an event loop did not run a task: " + e, e);
        }
    }

    /** One line per fact, "key: value"; the orchestrators parse them and record them with the results. */
    private static void check() {
        NettyServers.facts().forEach((key, value) -> System.out.println(key + ": " + value));
        System.out.println("jgnet.native-access: " + BenchServers.class.getModule().isNativeAccessEnabled());
        System.out.println("jvm: " + Runtime.version() + " " + System.getProperty("java.vm.name"));
        System.out.flush();
    }

    private static boolean isPort(String s) {
        try {
            int port = Integer.parseInt(s);
            return port >= 0 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Bytes allocated by {@code threads} threads. */
    record Allocation(long bytes, int threads) {
    }

    /**
     * A listening server. {@link #close()} stops it and waits (bounded) for its threads;
     * idempotent, from any thread but the server's own loop.
     *
     * @param port        the port bound on 127.0.0.1
     * @param description framework, transport and tuning facts for the READY line
     * @param ioThreads   the event-loop threads that do the server's I/O
     * @param stopper     stops the server; called once by {@link #close()}
     * @param terminated  completes when the server has stopped
     */
    record Running(int port, String description, List<Thread> ioThreads, Runnable stopper,
                   CompletableFuture<Void> terminated) implements AutoCloseable {

        /** Blocks until the server has stopped (in the server process: until it is killed). */
        void awaitTermination() throws InterruptedException {
            try {
                terminated.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("server ended abnormally", e.getCause());
            }
        }

        @Override
        public void close() {
            stopper.run();
        }
    }

    /** Thrown when a server kind cannot run in this JVM; the message says why. */
    static final class Unavailable extends Exception {
        Unavailable(String reason) {
            super(reason);
        }
    }
}
