package io.jgnet.bench.matrix;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The matrix's results: every run, and per workload and kind each figure's median over the
 * rounds, its ratio to the base (the best median among the Netty kinds, each figure its own
 * best) and that ratio's spread: the lowest and highest per-round ratio, each round's figure over
 * the base kind's in the same round. Immutable; the tables, files and chart all read it, so they agree.
 *
 * @param unavailable kind name to why it could not run here
 */
public record MatrixResults(List<Workload> workloads, List<ServerKind> kinds, List<Run> runs, Map<String, String> unavailable) {

    /** A figure reported per run, with the direction that makes it better. */
    public enum Metric {
        REQUESTS_PER_SECOND("req/s", "req_per_sec", true, 0, window(Run.Window::requestsPerSecond)),
        CPU_MICROS("CPU us", "cpu_us", false, 0, window(Run.Window::cpuMicros)),
        USER_MICROS("user us", "user_us", false, 0, window(Run.Window::userMicros)),
        SYSTEM_MICROS("sys us", "sys_us", false, 0, window(Run.Window::systemMicros)),
        P50_MICROS("p50 us", "p50_us", false, 0, window(Run.Window::p50Micros)),
        P99_MICROS("p99 us", "p99_us", false, 0, window(Run.Window::p99Micros)),
        P999_MICROS("p99.9 us", "p999_us", false, 0, window(Run.Window::p999Micros)),
        // Under one byte per request (Netty's echo allocates a few objects a second) a ratio is noise.
        ALLOC_BYTES("alloc B", "alloc_bytes", false, 1.0, window(Run.Window::allocPerRequest)),
        // Over TLS the heap's share alone: there the resident set's growth is noise (see Run.Idle).
        IDLE_BYTES("B/conn", "idle_bytes_per_conn", false, 0, r -> r.idle() == null ? Double.NaN
                : r.workload().startsWith("tls-") ? r.idle().heapBytesPerConnection() : r.idle().bytesPerConnection());

        public final String label;
        public final String key;
        final boolean higherIsBetter;
        /** The smallest base a ratio is taken to. */
        final double smallestBase;
        private final ToDoubleFunction<Run> value;

        Metric(String label, String key, boolean higherIsBetter, double smallestBase, ToDoubleFunction<Run> value) {
            this.label = label;
            this.key = key;
            this.higherIsBetter = higherIsBetter;
            this.smallestBase = smallestBase;
            this.value = value;
        }

        private static ToDoubleFunction<Run> window(ToDoubleFunction<Run.Window> figure) {
            return r -> r.window() == null ? Double.NaN : figure.applyAsDouble(r.window());
        }

        /** This figure of {@code run}, NaN when it has none. */
        public double of(Run run) {
            return value.applyAsDouble(run);
        }
    }

    /** One figure of one kind: its median, ratio to the base's median, and the lowest and highest per-round ratio (NaN: none). */
    public record Figure(double median, double ratio, double low, double high) {
        static final Figure NONE = new Figure(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * One kind under one workload, reduced over the rounds.
     *
     * @param completed   runs that completed cleanly
     * @param unavailable why the kind could not run here, or null
     * @param failure     the first failure's reason, or null
     */
    public record Summary(ServerKind kind, int completed, int failed, String unavailable, String failure,
                          Map<Metric, Figure> figures) {
        public Figure of(Metric m) {
            return figures.getOrDefault(m, Figure.NONE);
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

    public MatrixResults {
        workloads = List.copyOf(workloads);
        kinds = List.copyOf(kinds);
        runs = List.copyOf(runs);
        unavailable = Map.copyOf(unavailable);
    }

    public List<Run> failures() {
        return runs.stream().filter(r -> r.status() == Run.Status.FAILED).toList();
    }

    /**
     * The Netty kind whose median of {@code metric} is best in {@code workload}: the ratio's base.
     * A workload no Netty kind serves (file) takes its base among the references (nginx).
     */
    public Optional<ServerKind> base(Workload workload, Metric metric) {
        ServerKind.Family family = kinds.stream().anyMatch(k -> k.family() == ServerKind.Family.NETTY && k.serves(workload))
                ? ServerKind.Family.NETTY : ServerKind.Family.REFERENCE;
        ServerKind best = null;
        double bestValue = Double.NaN;
        for (ServerKind k : kinds) {
            double v = k.family() == family && k.serves(workload) ? median(runs(workload, k, Run.Status.OK), metric) : Double.NaN;
            if (!Double.isNaN(v) && (best == null || (metric.higherIsBetter ? v > bestValue : v < bestValue))) {
                best = k;
                bestValue = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every kind serving {@code workload}, in the selected order, reduced over its rounds. */
    public List<Summary> summaries(Workload workload) {
        List<Summary> result = new ArrayList<>();
        for (ServerKind kind : kinds.stream().filter(k -> k.serves(workload)).toList()) {
            List<Run> ok = runs(workload, kind, Run.Status.OK);
            List<Run> failed = runs(workload, kind, Run.Status.FAILED);
            Map<Metric, Figure> figures = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                double median = median(ok, m);
                List<Run> baseRuns = base(workload, m).map(b -> runs(workload, b, Run.Status.OK)).orElse(null);
                if (baseRuns == null) {
                    figures.put(m, new Figure(median, Double.NaN, Double.NaN, Double.NaN));
                    continue;
                }
                List<Double> perRound = new ArrayList<>();
                for (Run r : ok) {
                    baseRuns.stream().filter(b -> b.round() == r.round()).findFirst()
                            .map(b -> ratio(m.of(r), m.of(b), m.smallestBase)).filter(v -> !Double.isNaN(v))
                            .ifPresent(perRound::add);
                }
                figures.put(m, new Figure(median, ratio(median, median(baseRuns, m), m.smallestBase),
                        perRound.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        perRound.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
            }
            result.add(new Summary(kind, ok.size(), failed.size(), unavailable.get(kind.name()),
                    failed.isEmpty() ? null : failed.getFirst().note(), figures));
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
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
