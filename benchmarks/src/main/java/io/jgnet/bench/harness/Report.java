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
 * Turns the runs into the printed table, the per-kind medians, the median jgnet/Netty ratios, and
 * the CSV and JSON files. Ratios are taken within a round (the two runs were minutes apart at
 * most) and only then reduced to a median, so a machine that drifts between rounds does not
 * leak into the comparison. Not thread-safe; used once by {@link EchoBench}.
 */
final class Report {

    /** The pairs compared, jgnet first: a ratio below 1 in CPU per message means jgnet is cheaper. */
    static final List<List<String>> PAIRS = List.of(List.of("jgnet-epoll", "netty-epoll"), List.of("jgnet-nio", "netty-nio"));

    static final String HEADER = String.format(Locale.ROOT, "%-5s %-11s %9s %10s %11s %10s %6s %8s %8s %6s %8s %8s",
            "round", "kind", "msgs/s", "cpu us/msg", "user us/msg", "sys us/msg", "user%", "srv cpu", "load cpu",
            "other", "p50 us", "p99 us");

    /** The figures a ratio is taken of, in the order printed. */
    private static final Map<String, ToDoubleFunction<RunResult>> METRICS = metrics();

    private final List<RunResult> runs;
    private final List<String> kinds;

    Report(List<RunResult> runs, List<String> kinds) {
        this.runs = runs;
        this.kinds = kinds;
    }

    private static Map<String, ToDoubleFunction<RunResult>> metrics() {
        Map<String, ToDoubleFunction<RunResult>> m = new LinkedHashMap<>();
        m.put("msgs/s", RunResult::msgsPerSecond);
        m.put("cpu us/msg", RunResult::cpuMicrosPerMessage);
        m.put("user us/msg", RunResult::userMicrosPerMessage);
        m.put("sys us/msg", RunResult::systemMicrosPerMessage);
        return m;
    }

    /**
     * One run as a table row; {@code srv cpu}, {@code load cpu} and {@code other} (everything else
     * on the machine) are cores used, 1.00 being one core busy.
     */
    static String row(RunResult r) {
        return String.format(Locale.ROOT, "%-5d %-11s %9.0f %10.2f %11.2f %10.2f %5.1f%% %8.2f %8.2f %6.2f %8.1f %8.1f%s",
                r.round(), r.kind(), r.msgsPerSecond(), r.cpuMicrosPerMessage(), r.userMicrosPerMessage(),
                r.systemMicrosPerMessage(), 100 * r.userShare(), r.serverCores(), r.loadCores(), r.otherCores(),
                r.p50Micros(),
                r.p99Micros(), r.mismatches() + r.errors() > 0
                        ? "  mismatches=" + r.mismatches() + " errors=" + r.errors() : "");
    }

    /** "0.42 cores" */
    static String cores(double cores) {
        return String.format(Locale.ROOT, "%.2f cores", cores);
    }

    /** Prints the runs again as one table, then medians per kind and the median ratios. */
    void print(PrintStream out) {
        out.println("runs");
        out.println(HEADER);
        runs.forEach(r -> out.println(row(r)));
        out.println();
        out.println("median per kind over rounds");
        out.printf(Locale.ROOT, "%-11s %9s %10s %11s %10s %6s%n", "kind", "msgs/s", "cpu us/msg", "user us/msg",
                "sys us/msg", "user%");
        for (String kind : kinds) {
            List<RunResult> of = runs.stream().filter(r -> r.kind().equals(kind)).toList();
            if (!of.isEmpty()) {
                out.printf(Locale.ROOT, "%-11s %9.0f %10.2f %11.2f %10.2f %5.1f%%%n", kind,
                        median(of, RunResult::msgsPerSecond), median(of, RunResult::cpuMicrosPerMessage),
                        median(of, RunResult::userMicrosPerMessage), median(of, RunResult::systemMicrosPerMessage),
                        100 * median(of, RunResult::userShare));
            }
        }
        out.println();
        out.println("median of per-round ratios (per-round values in brackets)");
        for (List<String> pair : PAIRS) {
            for (var metric : METRICS.entrySet()) {
                List<Double> perRound = ratios(pair, metric.getValue());
                if (!perRound.isEmpty()) {
                    out.printf(Locale.ROOT, "%-24s %-12s %6.3f  %s%n", pair.get(0) + "/" + pair.get(1), metric.getKey(),
                            median(perRound), perRound.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
                }
            }
        }
    }

    /** Writes {@code echo-TIMESTAMP.csv} and {@code .json} into {@code dir} and returns their common stem. */
    Path write(Path dir, Map<String, String> config, List<String> failures) throws IOException {
        Files.createDirectories(dir);
        Path stem = dir.resolve("echo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        StringBuilder csv = new StringBuilder("round,kind,messages,seconds,msgs_per_sec,cpu_us_per_msg,user_us_per_msg,"
                + "sys_us_per_msg,user_share,server_user_ticks,server_sys_ticks,load_user_ticks,load_sys_ticks,"
                + "sample_seconds,clk_tck,server_cores,load_cores,other_cores,steal_ticks,p50_us,p99_us,p999_us,mismatches,errors\n");
        for (RunResult r : runs) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%d,%.3f,%.1f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%d,%.3f,%d,%.3f,%.3f,%.3f,%d,%.1f,%.1f,%.1f,%d,%d%n",
                    r.round(), r.kind(), r.messages(), r.seconds(), r.msgsPerSecond(), r.cpuMicrosPerMessage(),
                    r.userMicrosPerMessage(), r.systemMicrosPerMessage(), r.userShare(), r.server().userTicks(),
                    r.server().systemTicks(), r.load().userTicks(), r.load().systemTicks(), r.sampleSeconds(),
                    r.ticksPerSecond(), r.serverCores(), r.loadCores(), r.otherCores(), r.machine().systemTicks(), r.p50Micros(), r.p99Micros(), r.p999Micros(),
                    r.mismatches(), r.errors()));
        }
        Files.writeString(Path.of(stem + ".csv"), csv);
        Files.writeString(Path.of(stem + ".json"), json(config, failures));
        return stem;
    }

    private String json(Map<String, String> config, List<String> failures) {
        StringBuilder j = new StringBuilder("{\n  \"config\": {");
        String sep = "\n    ";
        for (var e : new TreeMap<>(config).entrySet()) {
            j.append(sep).append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            sep = ",\n    ";
        }
        j.append("\n  },\n  \"runs\": [");
        sep = "\n    ";
        for (RunResult r : runs) {
            j.append(sep).append(String.format(Locale.ROOT, "{\"round\": %d, \"kind\": %s, \"messages\": %d,"
                            + " \"msgs_per_sec\": %.1f, \"cpu_us_per_msg\": %.4f, \"user_us_per_msg\": %.4f,"
                            + " \"sys_us_per_msg\": %.4f, \"server_cores\": %.3f, \"load_cores\": %.3f, \"other_cores\": %.3f,"
                            + " \"p50_us\": %.1f, \"p99_us\": %.1f, \"p999_us\": %.1f, \"mismatches\": %d, \"errors\": %d}",
                    r.round(), quote(r.kind()), r.messages(), r.msgsPerSecond(), r.cpuMicrosPerMessage(),
                    r.userMicrosPerMessage(), r.systemMicrosPerMessage(), r.serverCores(), r.loadCores(),
                    r.otherCores(), r.p50Micros(), r.p99Micros(), r.p999Micros(), r.mismatches(), r.errors()));
            sep = ",\n    ";
        }
        j.append("\n  ],\n  \"ratios\": [");
        sep = "\n    ";
        for (List<String> pair : PAIRS) {
            for (var metric : METRICS.entrySet()) {
                List<Double> perRound = ratios(pair, metric.getValue());
                if (!perRound.isEmpty()) {
                    j.append(sep).append(String.format(Locale.ROOT, "{\"pair\": %s, \"metric\": %s, \"median\": %.4f, \"per_round\": %s}",
                            quote(pair.get(0) + "/" + pair.get(1)), quote(metric.getKey()), median(perRound),
                            perRound.stream().map(v -> String.format(Locale.ROOT, "%.4f", v)).toList()));
                    sep = ",\n    ";
                }
            }
        }
        j.append("\n  ],\n  \"failures\": [");
        sep = "\n    ";
        for (String f : failures) {
            j.append(sep).append(quote(f));
            sep = ",\n    ";
        }
        return j.append("\n  ]\n}\n").toString();
    }

    /** {@code a/b} of {@code metric} for each round in which both kinds of the pair completed. */
    private List<Double> ratios(List<String> pair, ToDoubleFunction<RunResult> metric) {
        List<Double> ratios = new ArrayList<>();
        int rounds = runs.stream().mapToInt(RunResult::round).max().orElse(0);
        for (int round = 1; round <= rounds; round++) {
            Optional<RunResult> a = find(round, pair.get(0));
            Optional<RunResult> b = find(round, pair.get(1));
            if (a.isPresent() && b.isPresent()) {
                ratios.add(metric.applyAsDouble(a.get()) / metric.applyAsDouble(b.get()));
            }
        }
        return ratios;
    }

    private Optional<RunResult> find(int round, String kind) {
        return runs.stream().filter(r -> r.round() == round && r.kind().equals(kind)).findFirst();
    }

    private static double median(List<RunResult> of, ToDoubleFunction<RunResult> metric) {
        return median(of.stream().map(metric::applyAsDouble).toList());
    }

    /** The middle value; for an even count, the mean of the two middle ones. */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
