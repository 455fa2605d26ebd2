package io.jgnet.bench.matrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrix's configuration: a profile's defaults (the one place flag defaults live), overridden
 * by {@code --name value} or {@code --name=value} flags; each component is the flag of that name,
 * as {@link #usage()} describes it ({@code tools}: {@code --load tools}). Immutable.
 */
public record MatrixConfig(String profile, int rounds, int idleRounds, int warmupSeconds, int seconds, int idleConnections,
                           List<Workload> workloads, List<ServerKind> kinds, boolean tools, Path results,
                           String serverCpu, String loadCpu, boolean pin, double busyLimit, int retries,
                           int quietWaitSeconds) {

    /** The flags, their defaults under {@code profile}, and what they mean, for --help. */
    static Map<String, String[]> flags(String profile) {
        boolean full = profile.equals("full");
        Map<String, String[]> f = new LinkedHashMap<>();
        f.put("profile", new String[] {profile, "short (3 rounds of 1 s windows, about 10 minutes) or full (5 rounds of 5 s, TLS included, about an hour)"});
        f.put("rounds", new String[] {full ? "5" : "3", "rounds over every kind; the kind order rotates each round"});
        f.put("idle-rounds", new String[] {full ? "3" : "1", "rounds of the idle workload, a fresh server each"});
        f.put("warmup-seconds", new String[] {full ? "5" : "1", "each kind's unmeasured load before its first round"});
        f.put("seconds", new String[] {full ? "5" : "1", "each measured window"});
        f.put("workloads", new String[] {String.join(",", Workload.ALL.stream().filter(w -> full || w.inShortProfile())
                .map(Workload::name).toList()), "comma list (the short profile leaves out file and tls-*: name them)"});
        f.put("kinds", new String[] {String.join(",", ServerKind.ALL.stream().map(ServerKind::name).toList()), "comma list"});
        f.put("load", new String[] {"builtin", "builtin, or tools: wrk for http, redis-benchmark for resp"});
        f.put("idle-connections", new String[] {"10000", "connections the idle workload holds (lowered to fit ulimit -n)"});
        f.put("results", new String[] {Files.isDirectory(Path.of("benchmarks")) ? "benchmarks/results" : "results",
                "where matrix-YYYYMMDD-HHMMSS/ goes"});
        f.put("server-cpu", new String[] {"1", "core the servers are pinned to"});
        f.put("load-cpu", new String[] {"0", "core the load is pinned to"});
        f.put("pin", new String[] {"true", "pin with taskset (off when taskset fails)"});
        f.put("busy-limit", new String[] {"0.25", "cores of other work above which a window is repeated"});
        f.put("retries", new String[] {full ? "2" : "1", "how often a contended window is repeated"});
        f.put("quiet-wait-seconds", new String[] {full ? "120" : "10", "wait at most this for a quiet machine per round"});
        return f;
    }

    /** The help text: every flag, its default under the short profile and its meaning. */
    static String usage() {
        StringBuilder u = new StringBuilder("usage: ./jgnet bench [--name value]...\n\n");
        flags("short").forEach((name, d) -> u.append(String.format("  --%-19s %s%n  %21s (default %s)%n", name, d[1], "", d[0])));
        return u.append("  --help                this text\n\nExit status: 0 every measurement that could run"
                + " completed, 1 some failed, 2 a bad flag.\n").toString();
    }

    /** Parses the command line; an unknown flag, a missing value or a bad one is an IllegalArgumentException naming it. */
    public static MatrixConfig parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected a flag, got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                given.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length) {
                given.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
        }
        String profile = given.getOrDefault("profile", "short");
        if (!List.of("short", "full").contains(profile)) {
            throw new IllegalArgumentException("--profile must be short or full, got '" + profile + "'");
        }
        Map<String, String[]> known = flags(profile);
        Map<String, String> f = new LinkedHashMap<>();
        known.forEach((name, d) -> f.put(name, d[0]));
        for (var e : given.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                throw new IllegalArgumentException("unknown flag --" + e.getKey() + "; known: " + known.keySet());
            }
            f.put(e.getKey(), e.getValue());
        }
        if (!List.of("builtin", "tools").contains(f.get("load"))) {
            throw new IllegalArgumentException("--load must be builtin or tools");
        }
        if (!List.of("true", "false").contains(f.get("pin"))) {
            throw new IllegalArgumentException("--pin must be true or false");
        }
        double busyLimit = f.get("busy-limit").matches("\\d+(\\.\\d*)?|\\.\\d+") ? Double.parseDouble(f.get("busy-limit")) : -1;
        if (busyLimit < 0) {
            throw new IllegalArgumentException("--busy-limit must be a number of cores, >= 0");
        }
        return new MatrixConfig(profile, whole(f, "rounds", 1), whole(f, "idle-rounds", 1), whole(f, "warmup-seconds", 0),
                whole(f, "seconds", 1), whole(f, "idle-connections", 1),
                list(f.get("workloads")).stream().map(Workload::named).toList(),
                list(f.get("kinds")).stream().map(ServerKind::named).toList(), f.get("load").equals("tools"),
                Path.of(f.get("results")), Integer.toString(whole(f, "server-cpu", 0)),
                Integer.toString(whole(f, "load-cpu", 0)), Boolean.parseBoolean(f.get("pin")), busyLimit,
                whole(f, "retries", 0), whole(f, "quiet-wait-seconds", 0));
    }

    private static int whole(Map<String, String> f, String name, int least) {
        int value;
        try {
            value = Integer.parseInt(f.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + f.get(name) + "'");
        }
        if (value < least) {
            throw new IllegalArgumentException("--" + name + " must be at least " + least + ", got " + value);
        }
        return value;
    }

    /** A comma list without blanks or repeats; an empty one is an error (a matrix of nothing is a typo). */
    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty() && !items.contains(s)).forEach(items::add);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an empty list: '" + value + "'");
        }
        return items;
    }

    /** About how long {@code w} takes, in seconds: starts, warm-ups, windows and the quiet checks. */
    double estimatedSeconds(Workload w, int idleConnections) {
        long kindsServing = kinds.stream().filter(k -> k.serves(w)).count();
        if (w.idle()) { // a TLS connection costs the load a handshake
            return idleRounds * kindsServing * (5 + idleConnections / (w.tls() ? 1000.0 : 4000.0));
        }
        if (w.protocol().equals("file")) {
            // Its warm-up and windows last at least ToolLoad.MIN_FILE_SECONDS, after a warm-up on a small file.
            int window = Math.max(seconds, ToolLoad.MIN_FILE_SECONDS);
            return 4 + kindsServing * (1 + ToolLoad.FILE_WARM_SMALL_SECONDS + Math.max(warmupSeconds, ToolLoad.MIN_FILE_SECONDS)
                    + rounds * (window + 0.4));
        }
        return 4 + kindsServing * (1 + w.warmupSeconds(warmupSeconds) + rounds * (seconds + 0.4));
    }
}
