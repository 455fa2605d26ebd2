package io.jgnet.bench.matrix;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The matrix's results: every run, and per workload and kind the median of each figure over the
 * rounds, its ratio to the base (the best median among the Netty kinds: highest req/s, lowest
 * CPU, and so on, each figure its own best), and the spread of that ratio: the lowest and highest
 * of the per-round ratios, each round's figure over the base kind's figure in the same round.
 * Immutable; the tables, files and charts all read it, so they agree.
 */
public final class MatrixResults {

    /** A figure reported per run, with the direction that makes it better. */
    public enum Metric {
        REQUESTS_PER_SECOND("req/s", "req_per_sec", true, 0, w -> w.requestsPerSecond()),
        CPU_MICROS("CPU us", "cpu_us", false, 0, Run.Window::cpuMicros),
        USER_MICROS("user us", "user_us", false, 0, Run.Window::userMicros),
        SYSTEM_MICROS("sys us", "sys_us", false, 0, Run.Window::systemMicros),
        P50_MICROS("p50 us", "p50_us", false, 0, Run.Window::p50Micros),
        P99_MICROS("p99 us", "p99_us", false, 0, Run.Window::p99Micros),
        P999_MICROS("p99.9 us", "p999_us", false, 0, Run.Window::p999Micros),
        // Under one byte per request (Netty's echo allocates a few objects a second) a ratio is noise.
        ALLOC_BYTES("alloc B", "alloc_bytes", false, 1.0, Run.Window::allocPerRequest),
        IDLE_BYTES("B/conn", "idle_bytes_per_conn", false, 0, null);

        public final String label;
        public final String key;
        public final boolean higherIsBetter;
        /** The smallest base a ratio is taken to. */
        final double smallestBase;
        private final ToDoubleFunction<Run.Window> value;

        Metric(String label, String key, boolean higherIsBetter, double smallestBase, ToDoubleFunction<Run.Window> value) {
            this.label = label;
            this.key = key;
            this.higherIsBetter = higherIsBetter;
            this.smallestBase = smallestBase;
            this.value = value;
        }

        /** This figure of {@code run}, NaN when it has none. */
        public double of(Run run) {
            if (this == IDLE_BYTES) {
                if (run.idle() == null) {
                    return Double.NaN;
                }
                // Over TLS the heap's share alone: there the resident set's growth is noise (see Run.Idle).
                return run.workload().startsWith("tls-") ? run.idle().heapBytesPerConnection()
                        : run.idle().bytesPerConnection();
            }
            return run.window() == null ? Double.NaN : value.applyAsDouble(run.window());
        }

        boolean better(double a, double b) {
            return higherIsBetter ? a > b : a < b;
        }
    }

    /**
     * One kind under one workload, reduced over the rounds.
     *
     * @param completed   runs that completed cleanly
     * @param failed      runs that failed
     * @param unavailable why the kind could not run here, or null
     * @param failure     the first failure's reason, or null
     * @param medians     per figure, the median over completed runs (NaN when none had it)
     * @param ratios      per figure, median / the base's median (NaN without a base)
     * @param lows        per figure, the lowest per-round ratio
     * @param highs       per figure, the highest per-round ratio
     */
    public record Summary(ServerKind kind, int completed, int failed, String unavailable, String failure,
                          Map<Metric, Double> medians, Map<Metric, Double> ratios, Map<Metric, Double> lows,
                          Map<Metric, Double> highs) {
        public double median(Metric m) {
            return medians.getOrDefault(m, Double.NaN);
        }

        public double ratio(Metric m) {
            return ratios.getOrDefault(m, Double.NaN);
        }

        public double low(Metric m) {
            return lows.getOrDefault(m, Double.NaN);
        }

        public double high(Metric m) {
            return highs.getOrDefault(m, Double.NaN);
        }

        public boolean hasFigures() {
            return completed > 0;
        }

        /** "", "unavailable: reason", "FAILED: reason" or "1 of 3 runs failed: reason". */
        public String state() {
            if (completed == 0) {
                return unavailable != null ? "unavailable: " + unavailable : failed == 0 ? "not run" : "FAILED: " + failure;
            }
            return failed == 0 ? "" : failed + " of " + (failed + completed) + " runs failed: " + failure;
        }
    }

    private final List<Workload> workloads;
    private final List<ServerKind> kinds;
    private final List<Run> runs;
    private final Map<String, String> unavailable;

    /**
     * @param workloads   the workloads run, in order
     * @param kinds       the kinds selected, in order
     * @param runs        every run
     * @param unavailable kind name to why it could not run here
     */
    public MatrixResults(List<Workload> workloads, List<ServerKind> kinds, List<Run> runs, Map<String, String> unavailable) {
        this.workloads = List.copyOf(workloads);
        this.kinds = List.copyOf(kinds);
        this.runs = List.copyOf(runs);
        this.unavailable = Map.copyOf(unavailable);
    }

    public List<Workload> workloads() {
        return workloads;
    }

    public List<ServerKind> kinds() {
        return kinds;
    }

    public List<Run> runs() {
        return runs;
    }

    public Map<String, String> unavailable() {
        return unavailable;
    }

    public List<Run> failures() {
        return runs.stream().filter(r -> r.status() == Run.Status.FAILED).toList();
    }

    /**
     * The Netty kind whose median of {@code metric} is best in {@code workload}: the ratio's base.
     * A workload no Netty kind serves (file) takes its base among the references (nginx).
     */
    public Optional<ServerKind> base(Workload workload, Metric metric) {
        ServerKind best = null;
        double bestValue = Double.NaN;
        ServerKind.Family baseFamily = kinds.stream().anyMatch(k -> k.family() == ServerKind.Family.NETTY && k.serves(workload))
                ? ServerKind.Family.NETTY : ServerKind.Family.REFERENCE;
        for (ServerKind k : kinds) {
            double v = k.family() == baseFamily && k.serves(workload)
                    ? median(runs(workload, k, Run.Status.OK), metric) : Double.NaN;
            if (!Double.isNaN(v) && (best == null || metric.better(v, bestValue))) {
                best = k;
                bestValue = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every kind serving {@code workload}, in the selected order, reduced over its rounds. */
    public List<Summary> summaries(Workload workload) {
        Map<Metric, ServerKind> bases = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            base(workload, m).ifPresent(b -> bases.put(m, b));
        }
        List<Summary> result = new ArrayList<>();
        for (ServerKind kind : kinds) {
            if (!kind.serves(workload)) {
                continue;
            }
            List<Run> ok = runs(workload, kind, Run.Status.OK);
            List<Run> failed = runs(workload, kind, Run.Status.FAILED);
            Map<Metric, Double> medians = new EnumMap<>(Metric.class);
            Map<Metric, Double> ratios = new EnumMap<>(Metric.class);
            Map<Metric, Double> lows = new EnumMap<>(Metric.class);
            Map<Metric, Double> highs = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                double median = median(ok, m);
                medians.put(m, median);
                ServerKind base = bases.get(m);
                if (base == null) {
                    continue;
                }
                List<Run> baseRuns = runs(workload, base, Run.Status.OK);
                ratios.put(m, ratio(median, median(baseRuns, m), m.smallestBase));
                List<Double> perRound = new ArrayList<>();
                for (Run r : ok) {
                    baseRuns.stream().filter(b -> b.round() == r.round()).findFirst()
                            .map(b -> ratio(m.of(r), m.of(b), m.smallestBase)).filter(v -> !Double.isNaN(v))
                            .ifPresent(perRound::add);
                }
                lows.put(m, perRound.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
                highs.put(m, perRound.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
            }
            result.add(new Summary(kind, ok.size(), failed.size(), unavailable.get(kind.name()),
                    failed.isEmpty() ? null : failed.getFirst().note(), medians, ratios, lows, highs));
        }
        return result;
    }

    private List<Run> runs(Workload workload, ServerKind kind, Run.Status status) {
        return runs.stream().filter(r -> r.workload().equals(workload.name()) && r.kind().equals(kind.name())
                && r.status() == status).toList();
    }

    private static double median(List<Run> runs, Metric m) {
        return median(runs.stream().map(m::of).filter(v -> !Double.isNaN(v)).toList());
    }

    /**
     * {@code value / base}; NaN when either is missing or the base is below {@code smallestBase};
     * a base of zero makes a zero value 1.0 and anything more infinitely worse.
     */
    static double ratio(double value, double base, double smallestBase) {
        if (Double.isNaN(value) || Double.isNaN(base) || base < smallestBase) {
            return Double.NaN;
        }
        return base == 0 ? (value == 0 ? 1.0 : Double.POSITIVE_INFINITY) : value / base;
    }

    /** The middle value, the mean of the two middle ones for an even count, NaN for none. */
    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
