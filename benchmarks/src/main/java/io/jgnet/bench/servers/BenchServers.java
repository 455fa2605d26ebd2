package io.jgnet.bench.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One benchmark server per JVM process, so that {@code /proc/PID/stat} holds its CPU and nothing
 * else. {@code BenchServers PROTOCOL KIND PORT} serves 127.0.0.1:PORT (0: any) on one event-loop
 * thread and prints {@code READY port ...}, or {@code UNAVAILABLE reason} and exits with
 * {@link #EXIT_UNAVAILABLE} when KIND cannot run here (no fallback to another transport);
 * {@code BenchServers check} prints {@code key: value} facts about this JVM, the last {@code jvm: ...}.
 * On stdin, {@code ALLOC} answers {@code ALLOC bytes=N threads=K} (what the loop thread allocated,
 * by ThreadMXBean), {@code GC} collects and answers {@code GC done heap_used=N}, and end of input exits.
 *
 * <p>Threading: {@link #start} from any thread, any number of times (tests run several servers in
 * one JVM); the caller owns and closes the {@link Running} it returns.
 */
public final class BenchServers {

    /** The protocols a server can speak: {@code http-codec} is Netty's HttpServerCodec, {@code tls-} ones go over {@link BenchTls}. */
    public static final List<String> PROTOCOLS = List.of("echo", "http", "http-codec", "resp", "frame-length", "frame-line",
            "file", "tls-echo", "tls-http");
    /** The server kinds: framework and transport. */
    public static final List<String> KINDS = List.of("jgnet-nio", "jgnet-epoll", "jgnet-io_uring", "netty-nio", "netty-epoll",
            "netty-io_uring");
    /** The system property naming the directory the {@code file} protocol serves. */
    public static final String FILE_ROOT_PROPERTY = "jgnet.bench.fileRoot";
    /** The system property that, set to {@code on}, gives a jgnet server's connections timeouts (the jgnet-epoll-timeouts kind). */
    public static final String TIMEOUTS_PROPERTY = "jgnet.bench.timeouts";
    /** Exit status of a server whose kind cannot run here, told apart from a crash. */
    public static final int EXIT_UNAVAILABLE = 3;
    private static final long LOOP_TASK_TIMEOUT_SECONDS = 10;

    private BenchServers() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("check")) {
            NettyServers.facts().forEach((key, value) -> System.out.println(key + ": " + value));
            System.out.println("jgnet.native-access: " + BenchServers.class.getModule().isNativeAccessEnabled());
            System.out.println("jvm: " + Runtime.version() + " " + System.getProperty("java.vm.name"));
            return;
        }
        if (args.length != 3 || !PROTOCOLS.contains(args[0]) || !KINDS.contains(args[1]) || !args[2].matches("\\d{1,5}")) {
            System.err.println("usage: BenchServers check | BenchServers {" + String.join("|", PROTOCOLS) + "} {"
                    + String.join("|", KINDS) + "} PORT");
            System.exit(2);
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
        System.out.println("READY " + server.port() + " " + args[0] + " " + server.description());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println(answer(line.strip(), server));
                System.out.flush();
            }
        } catch (IOException e) {
            // a broken stdin means the orchestrator has gone, as end of file does
        }
        System.exit(0); // no graceful stop: the process's figures are taken, its exit is not measured
    }

    /**
     * Starts {@code protocol} on {@code kind} at 127.0.0.1:{@code port} (0 = any); returns once it listens.
     *
     * @throws Unavailable if {@code kind} cannot run in this JVM
     */
    public static Running start(String protocol, String kind, int port) throws Unavailable, IOException, InterruptedException {
        if (!PROTOCOLS.contains(protocol) || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown server " + protocol + " " + kind);
        }
        String transport = kind.substring(kind.indexOf('-') + 1);
        return kind.startsWith("jgnet-") ? JgnetServers.start(protocol, transport, port)
                : NettyServers.start(protocol, transport, port);
    }

    /** The reply to one stdin command line. */
    static String answer(String command, Running server) {
        return switch (command) {
            case "ALLOC" -> {
                com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long bytes = 0;
                int counted = 0;
                for (Thread t : server.ioThreads()) {
                    long b = mx.getThreadAllocatedBytes(t.threadId());
                    if (b >= 0) { // -1: the thread has ended
                        bytes += b;
                        counted++;
                    }
                }
                yield "ALLOC bytes=" + bytes + " threads=" + counted;
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

    /** The thread that runs tasks submitted to {@code loop}: an event loop runs them on its own thread. */
    static Thread loopThread(Executor loop) throws IOException, InterruptedException {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        loop.execute(() -> thread.complete(Thread.currentThread()));
        try {
            return thread.get(LOOP_TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the event loop did not run a task: " + e, e);
        }
    }

    /**
     * A listening server on 127.0.0.1:{@code port}, its I/O on {@code ioThreads}; {@link #close()}
     * stops it (bounded wait). Owned by whoever started it.
     *
     * @param description framework, transport and tuning facts for the READY line
     */
    public record Running(int port, String description, List<Thread> ioThreads, Runnable stopper) implements AutoCloseable {
        @Override
        public void close() {
            stopper.run();
        }
    }

    /** A server kind cannot run here (in this JVM, or on this machine for the matrix's reference kinds); the message says why. */
    public static final class Unavailable extends Exception {
        public Unavailable(String reason) {
            super(reason);
        }
    }
}
