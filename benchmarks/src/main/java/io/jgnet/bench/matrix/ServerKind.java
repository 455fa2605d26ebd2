package io.jgnet.bench.matrix;

import io.jgnet.bench.process.Machine;
import io.jgnet.bench.servers.BenchServers;
import io.jgnet.bench.servers.BenchTls;
import io.jgnet.bench.servers.BenchServers.Unavailable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server the matrix can measure: its name, its family (jgnet, Netty, or a reference shown beside
 * them and never a ratio's base), the protocols it serves, and how to start it. A Java kind is a
 * {@link BenchServers} process (prints {@code READY port}, answers {@code ALLOC} and {@code GC} on
 * stdin, exits at its end); a reference kind may be any program, stopped by its PID. A launch
 * that cannot work here throws {@link Unavailable}, and the kind is reported unavailable with that
 * reason. Immutable.
 *
 * @param answersAlloc whether it answers ALLOC and GC (a JVM does)
 * @param launch       builds the command that starts it, unpinned
 */
public record ServerKind(String name, Family family, Set<String> protocols, boolean answersAlloc, Launch launch) {

    /**
     * The same for every Java server, so that no framework gets a better JVM: Netty on JDK 25
     * needs the Unsafe flag or runs without Unsafe; leak detection off as in a Netty deployment
     * tuned for speed; the heap touched at start so that the resident set grows afterwards only
     * by native memory (the idle workload adds the heap's growth from the GC's figure).
     */
    public static final List<String> SERVER_JVM = List.of("--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-Xms256m", "-Xmx256m", "-XX:+UseParallelGC",
            "-XX:+AlwaysPreTouch", "-Dio.netty.leakDetection.level=disabled");
    private static final Set<String> JAVA_PROTOCOLS = Set.of("echo", "http", "resp", "frame-length", "frame-line", "tls-echo",
            "tls-http");

    /** Every kind, in the matrix's default order. */
    public static final List<ServerKind> ALL = Stream.concat(BenchServers.KINDS.stream().map(ServerKind::java), Stream.of(
            // jgnet-epoll with idle, read and write timeouts on every connection, beside jgnet-epoll:
            // what timeouts cost an idle connection (idle) and a read (echo), in the same run.
            new ServerKind("jgnet-epoll-timeouts", Family.JGNET, Set.of("echo"), true, (protocol, context) ->
                    javaServer(context, protocol, "jgnet-epoll", "-D" + BenchServers.TIMEOUTS_PROPERTY + "=on")),
            new ServerKind("netty-codec", Family.REFERENCE, Set.of("http"), true,
                    (protocol, context) -> javaServer(context, "http-codec", "netty-epoll")),
            compiledC("c-epoll", "epoll-echo"),
            compiledC("c-io_uring", "io_uring-echo"),
            new ServerKind("nginx", Family.REFERENCE, Set.of("file"), false, (protocol, context) ->
                    FileWorkload.nginx(FileWorkload.root(context.root()), freePort())),
            new ServerKind("redis-server", Family.REFERENCE, Set.of("resp"), false, (protocol, context) -> {
                if (onPath("redis-server").isEmpty()) {
                    throw new Unavailable("redis-server is not installed (apt-get install redis-server)");
                }
                int port = freePort();
                return new Command(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no"), port, "Ready to accept connections");
            }))).toList();

    /** How the report groups kinds, and which are a ratio's base. */
    public enum Family {
        JGNET("jgnet"), NETTY("Netty"), REFERENCE("reference");

        public final String label;

        Family(String label) {
            this.label = label;
        }
    }

    /** What a launch needs to know: this JVM's {@code java} and class path, and the repository root. */
    public record Context(String java, String classPath, Path root) {
        /** {@code java JVM... -cp CLASSPATH MAIN ARGS...}: a JVM like this one running {@code main}. */
        public List<String> javaCommand(List<String> jvm, Class<?> main, String... args) {
            return Stream.of(Stream.of(java), jvm.stream(), Stream.of("-cp", classPath, main.getName()), Stream.of(args))
                    .flatMap(s -> s).toList();
        }

        /** The repository root is three levels above {@code benchmarks/target/benchmarks.jar} when run from it. */
        public static Context current() {
            String classPath = System.getProperty("java.class.path");
            Path target = Path.of(classPath.split(File.pathSeparator)[0]).toAbsolutePath().getParent();
            Path root = target != null && target.endsWith(Path.of("benchmarks", "target"))
                    ? target.getParent().getParent() : Path.of("").toAbsolutePath();
            return new Context(Path.of(System.getProperty("java.home"), "bin", "java").toString(), classPath, root);
        }
    }

    /** A command that starts a server: the port it was told to use (-1: its READY line says), and the text of the line that says it listens. */
    public record Command(List<String> argv, int port, String ready) {
    }

    /** Builds the command that starts a kind serving one protocol. */
    @FunctionalInterface
    public interface Launch {
        Command command(String protocol, Context context) throws Unavailable;
    }

    public ServerKind {
        protocols = Set.copyOf(protocols);
    }

    /** The kind called {@code name}. */
    public static ServerKind named(String name) {
        return ALL.stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown kind '" + name + "'; known: " + ALL.stream().map(ServerKind::name).toList()));
    }

    /** Whether this kind serves {@code workload}'s protocol; other workloads skip it. */
    public boolean serves(Workload workload) {
        return protocols.contains(workload.protocol());
    }

    private static ServerKind java(String name) {
        boolean jgnet = name.startsWith("jgnet-");
        // Only jgnet serves files: the file workload's reference is nginx.
        Set<String> protocols = jgnet ? Set.copyOf(Stream.concat(JAVA_PROTOCOLS.stream(), Stream.of("file")).toList())
                : JAVA_PROTOCOLS;
        return new ServerKind(name, jgnet ? Family.JGNET : Family.NETTY, protocols, true,
                (protocol, context) -> javaServer(context, protocol, name));
    }

    /** A {@link BenchServers} process serving {@code protocol} as {@code kind}, with {@code properties} besides {@link #SERVER_JVM}. */
    private static Command javaServer(Context context, String protocol, String kind, String... properties) throws Unavailable {
        List<String> jvm = new ArrayList<>(SERVER_JVM);
        jvm.addAll(List.of(properties));
        if (protocol.equals("file")) {
            jvm.add("-D" + BenchServers.FILE_ROOT_PROPERTY + "=" + FileWorkload.root(context.root()));
        }
        if (protocol.startsWith(BenchTls.PREFIX)) { // one certificate for every server of every run
            try {
                jvm.add("-D" + BenchTls.KEY_STORE_PROPERTY + "=" + BenchTls.keyStore(context.root().resolve(Path.of("benchmarks",
                        "target", "tls"))));
            } catch (IOException e) {
                throw new Unavailable("no benchmark certificate: " + e.getMessage());
            }
        }
        return new Command(context.javaCommand(jvm, BenchServers.class, protocol, kind, "0"), -1, "READY ");
    }

    /** {@code program} in a directory of PATH, if it is there. */
    static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws Unavailable {
        try {
            return Machine.freePort();
        } catch (IOException e) {
            throw new Unavailable("no free port: " + e.getMessage());
        }
    }

    /**
     * A C echo server from {@code benchmarks/src/main/c/SOURCE.c}, compiled with the machine's
     * compiler into {@code benchmarks/target/c/} on first use (and when the source is newer):
     * the floor of what one thread costs with nothing but the kernel's calls. It serves the framed
     * workloads too: a frame echo answers each frame with the bytes it received, so echoing bytes
     * as they arrive answers byte for byte. It looks for no frame boundary, so there its figure is
     * below what a minimal program doing the frame servers' whole work would cost.
     */
    static ServerKind compiledC(String name, String source) {
        return new ServerKind(name, Family.REFERENCE, Set.of("echo", "frame-length", "frame-line"), false, (protocol, context) ->
                new Command(List.of(compile(context.root(), source).toString(), "0"), -1, "READY "));
    }

    static Path compile(Path root, String name) throws Unavailable {
        Path source = root.resolve(Path.of("benchmarks", "src", "main", "c", name + ".c"));
        Path binary = root.resolve(Path.of("benchmarks", "target", "c", name));
        try {
            if (!Files.isRegularFile(source)) {
                throw new Unavailable("no " + source + " (run from the repository)");
            }
            if (Files.isExecutable(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
                return binary;
            }
            Files.createDirectories(binary.getParent());
            Path partial = binary.resolveSibling(name + ".partial"); // a half-written binary is never run
            Process p;
            try {
                p = new ProcessBuilder("cc", "-O2", "-Wall", "-o", partial.toString(), source.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException notInstalled) {
                throw new Unavailable("cannot compile " + source + ": no cc (apt-get install gcc)");
            }
            String output = new String(p.getInputStream().readAllBytes()).strip().replace('\n', ' ');
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new Unavailable("cannot compile " + source + ": " + output);
            }
            Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return binary;
        } catch (IOException e) {
            throw new Unavailable("cannot compile " + source + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while compiling " + source);
        }
    }
}
