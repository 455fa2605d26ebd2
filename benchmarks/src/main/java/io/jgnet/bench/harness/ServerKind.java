package io.jgnet.bench.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A server the {@link Matrix} can measure: its name, which family it belongs to (jgnet, Netty,
 * or a reference that is neither and is only shown beside them), the protocols it serves, how to
 * start it, and whether it reports its I/O threads' allocation. Immutable.
 *
 * <p>Every kind's process follows the same line protocol, so the matrix treats them alike: it
 * prints {@code READY <port> [text]} once listening on 127.0.0.1 (or {@code UNAVAILABLE <reason>}
 * and exits with status 3 when it cannot run on this machine), answers the stdin line {@code GC}
 * with {@code GC done} (a JVM adds {@code heap_used=N}, its heap in use afterwards), answers {@code ALLOC} with {@code ALLOC bytes=N threads=K} when
 * {@link #answersAlloc}, and exits when its standard input reaches end of file.
 *
 * <p>Adding a reference kind is one entry in {@link #REFERENCES}, as {@link CEpoll} is: the C
 * epoll echo server, compiled on first use. A launch that cannot work here (no compiler, say) throws {@link Unavailable}: the kind is then
 * reported as unavailable with that reason, like a Netty transport without its native library.
 *
 * @param name         the name on the command line and in the report, e.g. {@code netty-epoll}
 * @param family       what the kind is compared as; ratios are taken to the best {@link Family#NETTY} kind
 * @param protocols    the protocols it serves ({@code echo}, {@code http}, {@code resp}); the
 *                     others' workloads skip it
 * @param answersAlloc whether it answers {@code ALLOC}; if not, allocation is not reported for it
 * @param launch       builds the command that starts it (without pinning, which the matrix adds)
 */
record ServerKind(String name, Family family, Set<String> protocols, boolean answersAlloc, Launch launch) {

    /** The main class of the Java kinds; see the process contracts. */
    static final String JAVA_SERVERS_MAIN = BenchServers.class.getName();
    /** The Java kinds {@code BenchServers} runs, in the matrix's default order. */
    static final List<String> JAVA_KINDS = BenchServers.KINDS;

    /** Kinds that are neither jgnet nor Netty: floors and yardsticks, never the ratio's reference. */
    private static final List<ServerKind> REFERENCES = List.of(CEpoll.kind());

    /** Every kind, Java kinds first, in the order the matrix runs them by default. */
    static final List<ServerKind> ALL = Stream.concat(JAVA_KINDS.stream().map(ServerKind::java), REFERENCES.stream()).toList();

    /** How the report groups kinds, and which of them a ratio is taken against. */
    enum Family {
        JGNET("jgnet"), NETTY("Netty"), REFERENCE("reference");

        final String label;

        Family(String label) {
            this.label = label;
        }
    }

    /** What a launch needs to know about the machine and the harness. */
    record Context(String java, String classPath, Path repositoryRoot) {

        /**
         * This JVM's {@code java}, class path, and the repository root: the directory three levels
         * above {@code benchmarks/target/benchmarks.jar} when run from it, else the working directory.
         */
        static Context current() {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classPath = System.getProperty("java.class.path");
            Path root = Path.of("").toAbsolutePath();
            Path first = Path.of(classPath.split(File.pathSeparator)[0]).toAbsolutePath();
            Path target = first.getParent();
            if (target != null && target.endsWith(Path.of("benchmarks", "target"))
                    && Files.isDirectory(target.getParent().getParent())) {
                root = target.getParent().getParent();
            }
            return new Context(java, classPath, root);
        }
    }

    /** Builds the command that starts a kind serving one protocol on any free port. */
    @FunctionalInterface
    interface Launch {
        List<String> command(String protocol, Context context) throws Unavailable;
    }

    /** This kind cannot run on this machine; the message says why. */
    static final class Unavailable extends Exception {
        Unavailable(String reason) {
            super(reason);
        }
    }

    ServerKind {
        protocols = Set.copyOf(protocols);
    }

    /** A {@code BenchServers} kind: a JVM with the servers' common flags, every protocol, ALLOC answered. */
    static ServerKind java(String name) {
        Family family = name.startsWith("jgnet-") ? Family.JGNET : Family.NETTY;
        return new ServerKind(name, family, Set.of("echo", "http", "resp"), true, (protocol, context) -> {
            List<String> command = new ArrayList<>(List.of(context.java()));
            command.addAll(EchoBench.SERVER_JVM);
            command.addAll(List.of("-cp", context.classPath(), JAVA_SERVERS_MAIN, protocol, name, "0", "--watch-stdin"));
            return command;
        });
    }

    /** A reference kind: not Java, not compared against; it need not answer ALLOC. */
    static ServerKind reference(String name, Set<String> protocols, Launch launch) {
        return new ServerKind(name, Family.REFERENCE, protocols, false, launch);
    }

    /** The kind called {@code name}. */
    static ServerKind named(String name) {
        return ALL.stream().filter(k -> k.name.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown kind '" + name + "'; known: "
                        + ALL.stream().map(ServerKind::name).toList()));
    }

    boolean serves(Workload workload) {
        return protocols.contains(workload.protocol());
    }
}
