package io.jgnet.bench.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrix's configuration: a profile's defaults, overridden by flags. Immutable.
 *
 * @param profile          {@code short} (a few minutes) or {@code full}
 * @param rounds           rounds over all kinds per workload
 * @param warmupSeconds    the load's warm-up before the measured window
 * @param seconds          the measured window
 * @param idleConnections  connections the idle workload holds (as asked; the fd limit may lower it)
 * @param workloads        the workloads to run, in order
 * @param kinds            the server kinds to run, in order
 * @param results          the directory that gets a {@code matrix-YYYYMMDD-HHMMSS} directory per run
 * @param serverCpu        the core the servers are pinned to
 * @param loadCpu          the core the load generator is pinned to
 * @param pin              whether to pin at all (taskset must work too)
 * @param busyLimit        other work, in cores, above which a run is repeated
 * @param retries          how often a contended run is repeated
 * @param quietWaitSeconds how long to wait for a quiet machine before each run
 * @param flags            every flag's value, as given or defaulted, for the record
 */
record MatrixConfig(String profile, int rounds, int warmupSeconds, int seconds, int idleConnections,
                    List<Workload> workloads, List<ServerKind> kinds, Path results, String serverCpu, String loadCpu,
                    boolean pin, double busyLimit, int retries, int quietWaitSeconds, Map<String, String> flags) {

    static final List<String> PROFILES = List.of("short", "full");

    MatrixConfig {
        workloads = List.copyOf(workloads);
        kinds = List.copyOf(kinds);
        flags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    /**
     * The flags and their defaults under {@code profile}: the short profile is one round of 2 s
     * warm-up and 3 s measured, and waits at most 10 s for a quiet machine; full is 3 rounds of
     * 5 + 10 s, as the other harnesses.
     */
    static Map<String, String> defaults(String profile) {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("profile", profile);
        own.put("workloads", String.join(",", Workload.ALL.stream().map(Workload::name).toList()));
        own.put("kinds", String.join(",", ServerKind.ALL.stream().map(ServerKind::name).toList()));
        own.put("warmup-seconds", "5");
        own.put("seconds", "10");
        own.put("idle-connections", "10000");
        Map<String, String> d = ToolBench.withCommonDefaults(own);
        if (profile.equals("short")) {
            d.put("rounds", "1");
            d.put("warmup-seconds", "2");
            d.put("seconds", "3");
            d.put("retries", "1");
            d.put("quiet-wait-seconds", "10");
        }
        return d;
    }

    /**
     * Parses {@code args} (the profile first, as it sets the other defaults).
     *
     * @throws IllegalArgumentException for an unknown flag, profile, workload or kind, or a bad number
     */
    static MatrixConfig parse(String[] args) {
        String profile = "short";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--profile") && i + 1 < args.length) {
                profile = args[i + 1];
            } else if (args[i].startsWith("--profile=")) {
                profile = args[i].substring("--profile=".length());
            }
        }
        if (!PROFILES.contains(profile)) {
            throw new IllegalArgumentException("unknown profile '" + profile + "'; known: " + PROFILES);
        }
        Map<String, String> f = Flags.parse(args, defaults(profile));
        List<Workload> workloads = list(f.get("workloads")).stream().map(Workload::named).toList();
        List<ServerKind> kinds = list(f.get("kinds")).stream().map(ServerKind::named).toList();
        for (String n : List.of("rounds", "seconds", "idle-connections")) {
            Flags.positive(f, n);
        }
        for (String n : List.of("warmup-seconds", "server-cpu", "load-cpu", "retries", "quiet-wait-seconds")) {
            Flags.nonNegative(f, n);
        }
        double busyLimit;
        try {
            busyLimit = Double.parseDouble(f.get("busy-limit"));
        } catch (NumberFormatException e) {
            busyLimit = Double.NaN;
        }
        if (!(busyLimit >= 0)) {
            throw new IllegalArgumentException("--busy-limit must be a number of cores, >= 0");
        }
        if (!List.of("true", "false").contains(f.get("pin"))) {
            throw new IllegalArgumentException("--pin must be true or false");
        }
        return new MatrixConfig(profile, Integer.parseInt(f.get("rounds")), Integer.parseInt(f.get("warmup-seconds")),
                Integer.parseInt(f.get("seconds")), Integer.parseInt(f.get("idle-connections")), workloads, kinds,
                Path.of(f.get("results")), f.get("server-cpu"), f.get("load-cpu"), Boolean.parseBoolean(f.get("pin")),
                busyLimit, Integer.parseInt(f.get("retries")), Integer.parseInt(f.get("quiet-wait-seconds")), f);
    }

    /** A comma list without blanks or repeats; empty is an error, a matrix of nothing is a typo. */
    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!items.contains(item)) {
                items.add(item);
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an empty list: '" + value + "'");
        }
        return items;
    }

    /** Every (workload, kind) pair that runs, the kinds that do not serve a workload's protocol left out. */
    int stepsPerRound(Workload w) {
        return (int) kinds.stream().filter(k -> k.serves(w)).count();
    }

    /**
     * What one step is expected to take, in seconds: two JVM starts and stops, the quiet-machine
     * check, and the load's own time; for idle, connecting and two GCs.
     */
    double estimatedSeconds(Workload w, int idleConnections) {
        if (w.idle()) {
            return 5 + idleConnections / 4000.0;
        }
        return warmupSeconds + seconds + 2.5;
    }
}
