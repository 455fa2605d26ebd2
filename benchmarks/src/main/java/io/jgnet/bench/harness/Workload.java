package io.jgnet.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One workload of the {@link Matrix}: what the load generator does to a server. Immutable.
 *
 * @param name        the name used on the command line and in the report, e.g. {@code echo-4k}
 * @param protocol    the protocol the server speaks: {@code echo}, {@code http} or {@code resp}
 * @param connections connections the load opens (for {@code idle}: the connections held open)
 * @param pipeline    requests each connection writes at once before waiting for their responses
 * @param size        echo payload in bytes, 0 for the other protocols
 * @param command     the RESP command mix ({@code mix}), empty for the other protocols
 * @param idle        true for the idle-memory workload: connections are held, not loaded
 */
record Workload(String name, String protocol, int connections, int pipeline, int size, String command, boolean idle) {

    /** The load generator's protocol for the idle workload, which an echo server serves. */
    static final String IDLE_LOAD = "idle";

    /** Every workload, in the order the matrix runs them. */
    static final List<Workload> ALL = List.of(
            new Workload("echo-64", "echo", 100, 1, 64, "", false),
            new Workload("echo-4k", "echo", 100, 1, 4096, "", false),
            new Workload("http", "http", 100, 1, 0, "", false),
            new Workload("http-p16", "http", 100, 16, 0, "", false),
            new Workload("resp", "resp", 50, 1, 0, "mix", false),
            new Workload("resp-p16", "resp", 50, 16, 0, "mix", false),
            new Workload("idle", "echo", 10_000, 1, 0, "", true));

    /** The workload called {@code name}. */
    static Workload named(String name) {
        return ALL.stream().filter(w -> w.name.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown workload '" + name + "'; known: "
                        + ALL.stream().map(Workload::name).toList()));
    }

    /** The same workload holding {@code count} idle connections (the flag and the fd limit decide). */
    Workload withConnections(int count) {
        return new Workload(name, protocol, count, pipeline, size, command, idle);
    }

    /** "100 conns  64 B", "100 conns  pipeline 16", "50 conns  PING/SET/GET", "10000 idle conns". */
    String describe() {
        if (idle) {
            return connections + " idle conns, server memory per connection";
        }
        List<String> parts = new ArrayList<>();
        parts.add(connections + " conns");
        if (pipeline > 1) {
            parts.add("pipeline " + pipeline);
        }
        if (size > 0) {
            parts.add(size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B");
        }
        if (protocol.equals("http")) {
            parts.add("GET /plaintext");
        }
        if (!command.isEmpty()) {
            parts.add(command.equals("mix") ? "PING/SET/GET" : command.toUpperCase(Locale.ROOT));
        }
        return String.join("  ", parts);
    }

    /** The arguments for {@code BenchLoad} against {@code port}, for the given timing. */
    List<String> loadArguments(int port, int warmupSeconds, int seconds) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port),
                "--connections", Integer.toString(connections)));
        if (idle) {
            args.addAll(0, List.of("--protocol", IDLE_LOAD));
            return args;
        }
        args.addAll(0, List.of("--protocol", protocol));
        args.addAll(List.of("--pipeline", Integer.toString(pipeline)));
        if (size > 0) {
            args.addAll(List.of("--size", Integer.toString(size)));
        }
        if (!command.isEmpty()) {
            args.addAll(List.of("--command", command));
        }
        args.addAll(List.of("--warmup-seconds", Integer.toString(warmupSeconds), "--seconds", Integer.toString(seconds)));
        return args;
    }
}
