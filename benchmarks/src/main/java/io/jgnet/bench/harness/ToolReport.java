package io.jgnet.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The printed tables and files of {@link RedisBench} and {@link HttpBench}: every window, the
 * median per server and test, and per test the median over rounds of the ratio of the first
 * server to the second (jgnet over the reference). As in {@link Report}, ratios are taken within
 * a round and only then reduced, so drift between rounds does not leak into the comparison.
 * Not thread-safe.
 */
final class ToolReport {

    static final String HEADER = String.format(Locale.ROOT, "%-5s %-12s %-16s %10s %10s %10s %10s %6s %7s %8s %6s",
            "round", "server", "test", "req/s", "cpu us/req", "user us/r", "sys us/r", "user%", "srv cpu", "load cpu", "other");

    private static final Map<String, ToDoubleFunction<ToolRun>> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("req/s", ToolRun::requestsPerSecond);
        METRICS.put("cpu us/req", ToolRun::cpuMicros);
        METRICS.put("user us/req", ToolRun::userMicros);
        METRICS.put("sys us/req", ToolRun::systemMicros);
    }

    private final List<ToolRun> runs;
    private final List<String> servers;
    private final List<String> tests;

    /** {@code servers} is the pair compared, the numerator first. */
    ToolReport(List<ToolRun> runs, List<String> servers, List<String> tests) {
        this.runs = runs;
        this.servers = servers;
        this.tests = tests;
    }

    /** One window as a row; srv cpu, load cpu and other are cores used, 1.00 being one core busy. */
    static String row(ToolRun r) {
        return String.format(Locale.ROOT, "%-5d %-12s %-16s %10.0f %10.3f %10.3f %10.3f %5.1f%% %7.2f %8.2f %6.2f%s",
                r.round(), r.server(), r.test(), r.requestsPerSecond(), r.cpuMicros(), r.userMicros(), r.systemMicros(),
                100 * r.userShare(), r.serverCores(), r.loadCores(), r.otherCores(),
                r.errors() > 0 ? "  errors=" + r.errors() : "");
    }

    void print(PrintStream out) {
        out.println("runs");
        out.println(HEADER);
        runs.forEach(r -> out.println(row(r)));
        out.println();
        out.println("median per server and test over rounds");
        out.printf(Locale.ROOT, "%-12s %-16s %10s %10s %10s %10s %6s%n", "server", "test", "req/s", "cpu us/req",
                "user us/r", "sys us/r", "user%");
        for (String test : tests) {
            for (String server : servers) {
                List<ToolRun> of = runs.stream().filter(r -> r.server().equals(server) && r.test().equals(test)).toList();
                if (!of.isEmpty()) {
                    out.printf(Locale.ROOT, "%-12s %-16s %10.0f %10.3f %10.3f %10.3f %5.1f%%%n", server, test,
                            median(of, ToolRun::requestsPerSecond), median(of, ToolRun::cpuMicros),
                            median(of, ToolRun::userMicros), median(of, ToolRun::systemMicros),
                            100 * median(of, ToolRun::userShare));
                }
            }
        }
        out.println();
        out.println("median of per-round ratios " + servers.get(0) + "/" + servers.get(1) + " (per-round values in brackets)");
        for (String test : tests) {
            for (var metric : METRICS.entrySet()) {
                List<Double> perRound = ratios(test, metric.getValue());
                if (!perRound.isEmpty()) {
                    out.printf(Locale.ROOT, "%-16s %-12s %6.3f  %s%n", test, metric.getKey(), Report.median(perRound),
                            perRound.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
                }
            }
        }
    }

    /** Writes {@code PREFIX-TIMESTAMP.csv} and {@code .json} into {@code dir}; returns their common stem. */
    Path write(Path dir, String prefix, Map<String, String> config, List<String> failures) throws IOException {
        Files.createDirectories(dir);
        Path stem = dir.resolve(prefix + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        StringBuilder csv = new StringBuilder("round,server,test,requests,req_per_sec,errors,cpu_us_per_req,user_us_per_req,"
                + "sys_us_per_req,server_user_ticks,server_sys_ticks,load_user_ticks,load_sys_ticks,sample_seconds,"
                + "clk_tck,server_cores,load_cores,other_cores,steal_ticks\n");
        for (ToolRun r : runs) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%d,%.1f,%d,%.4f,%.4f,%.4f,%d,%d,%d,%d,%.3f,%d,%.3f,%.3f,%.3f,%d%n",
                    r.round(), r.server(), r.test(), r.requests(), r.requestsPerSecond(), r.errors(), r.cpuMicros(),
                    r.userMicros(), r.systemMicros(), r.serverCpu().userTicks(), r.serverCpu().systemTicks(),
                    r.load().userTicks(), r.load().systemTicks(), r.sampleSeconds(), r.ticksPerSecond(),
                    r.serverCores(), r.loadCores(), r.otherCores(), r.machine().systemTicks()));
        }
        Files.writeString(Path.of(stem + ".csv"), csv);
        Files.writeString(Path.of(stem + ".json"), json(config, failures));
        return stem;
    }

    private String json(Map<String, String> config, List<String> failures) {
        List<String> entries = new ArrayList<>();
        new TreeMap<>(config).forEach((k, v) -> entries.add(Report.quote(k) + ": " + Report.quote(v)));
        StringBuilder j = new StringBuilder("{\n  \"config\": {\n    ").append(String.join(",\n    ", entries)).append("\n  },\n");
        entries.clear();
        for (ToolRun r : runs) {
            entries.add(String.format(Locale.ROOT, "{\"round\": %d, \"server\": %s, \"test\": %s, \"requests\": %d,"
                            + " \"req_per_sec\": %.1f, \"errors\": %d, \"cpu_us_per_req\": %.4f, \"user_us_per_req\": %.4f,"
                            + " \"sys_us_per_req\": %.4f, \"server_cores\": %.3f, \"load_cores\": %.3f, \"other_cores\": %.3f}",
                    r.round(), Report.quote(r.server()), Report.quote(r.test()), r.requests(), r.requestsPerSecond(),
                    r.errors(), r.cpuMicros(), r.userMicros(), r.systemMicros(), r.serverCores(), r.loadCores(), r.otherCores()));
        }
        j.append("  \"runs\": [\n    ").append(String.join(",\n    ", entries)).append("\n  ],\n");
        entries.clear();
        for (String test : tests) {
            for (var metric : METRICS.entrySet()) {
                List<Double> perRound = ratios(test, metric.getValue());
                if (!perRound.isEmpty()) {
                    entries.add(String.format(Locale.ROOT, "{\"pair\": %s, \"test\": %s, \"metric\": %s, \"median\": %.4f, \"per_round\": %s}",
                            Report.quote(servers.get(0) + "/" + servers.get(1)), Report.quote(test), Report.quote(metric.getKey()),
                            Report.median(perRound), perRound.stream().map(v -> String.format(Locale.ROOT, "%.4f", v)).toList()));
                }
            }
        }
        j.append("  \"ratios\": [\n    ").append(String.join(",\n    ", entries)).append("\n  ],\n");
        j.append("  \"failures\": [").append(String.join(", ", failures.stream().map(Report::quote).toList())).append("]\n}\n");
        return j.toString();
    }

    /** first/second of {@code metric} for {@code test} in each round where both servers completed it. */
    private List<Double> ratios(String test, ToDoubleFunction<ToolRun> metric) {
        List<Double> ratios = new ArrayList<>();
        int rounds = runs.stream().mapToInt(ToolRun::round).max().orElse(0);
        for (int round = 1; round <= rounds; round++) {
            Optional<ToolRun> a = find(round, servers.get(0), test);
            Optional<ToolRun> b = find(round, servers.get(1), test);
            if (a.isPresent() && b.isPresent()) {
                ratios.add(metric.applyAsDouble(a.get()) / metric.applyAsDouble(b.get()));
            }
        }
        return ratios;
    }

    private Optional<ToolRun> find(int round, String server, String test) {
        return runs.stream().filter(r -> r.round() == round && r.server().equals(server) && r.test().equals(test)).findFirst();
    }

    private static double median(List<ToolRun> of, ToDoubleFunction<ToolRun> metric) {
        return Report.median(of.stream().map(metric::applyAsDouble).toList());
    }
}
