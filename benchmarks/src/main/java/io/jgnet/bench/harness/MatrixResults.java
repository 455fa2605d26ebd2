package io.jgnet.bench.harness;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The matrix's results model: every run, and from them per workload and kind the medians over
 * rounds and the ratios to Netty's best transport. "Best" is per figure: the Netty kind with the
 * highest req/s is the reference for req/s, the one with the lowest CPU per request for CPU, and
 * so on, among the Netty kinds that completed at least one run of that workload. Immutable once
 * built; the printed table, the files and the charts all read it, so they agree.
 */
final class MatrixResults {

    private final List<Workload> workloads;
    private final List<ServerKind> kinds;
    private final List<Run> runs;
    private final Map<String, String> unavailable;
    private final Map<String, List<KindSummary>> summaries = new LinkedHashMap<>();

    /**
     * @param workloads   the workloads run, in order
     * @param kinds       the kinds selected, in order (a workload shows those serving its protocol)
     * @param runs        every run
     * @param unavailable kind name to the reason it could not run here
     */
    MatrixResults(List<Workload> workloads, List<ServerKind> kinds, List<Run> runs, Map<String, String> unavailable) {
        this.workloads = List.copyOf(workloads);
        this.kinds = List.copyOf(kinds);
        this.runs = List.copyOf(runs);
        this.unavailable = Map.copyOf(unavailable);
        for (Workload w : this.workloads) {
            summaries.put(w.name(), summarize(w));
        }
    }

    List<Workload> workloads() {
        return workloads;
    }

    List<ServerKind> kinds() {
        return kinds;
    }

    List<Run> runs() {
        return runs;
    }

    Map<String, String> unavailable() {
        return unavailable;
    }

    /** The kinds serving {@code workload}, in the selected order, each reduced over its rounds. */
    List<KindSummary> summaries(Workload workload) {
        return summaries.get(workload.name());
    }

    /** The runs that failed (unavailable kinds are not failures). */
    List<Run> failures() {
        return runs.stream().filter(r -> r.status() == Run.Status.FAILED).toList();
    }

    /** The best median of {@code metric} among the Netty kinds of {@code workload}, if any ran. */
    Optional<KindSummary> nettyBest(Workload workload, Metric metric) {
        KindSummary best = null;
        for (KindSummary s : summaries(workload)) {
            double v = s.median(metric);
            if (s.kind().family() == ServerKind.Family.NETTY && !Double.isNaN(v)
                    && (best == null || metric.better(v, best.median(metric)))) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    private List<KindSummary> summarize(Workload workload) {
        List<KindSummary> medians = new ArrayList<>();
        for (ServerKind kind : kinds) {
            if (kind.serves(workload)) {
                medians.add(reduce(workload, kind));
            }
        }
        // Ratios need every kind's medians first: the Netty best is among them.
        Map<Metric, Double> best = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            for (KindSummary s : medians) {
                double v = s.median(m);
                if (s.kind().family() == ServerKind.Family.NETTY && !Double.isNaN(v)
                        && (!best.containsKey(m) || m.better(v, best.get(m)))) {
                    best.put(m, v);
                }
            }
        }
        List<KindSummary> result = new ArrayList<>();
        for (KindSummary s : medians) {
            Map<Metric, Double> ratios = new EnumMap<>(Metric.class);
            for (Metric m : Metric.values()) {
                ratios.put(m, ratio(s.median(m), best.getOrDefault(m, Double.NaN), m.smallestReference));
            }
            result.add(new KindSummary(s.workload(), s.kind(), s.completed(), s.failed(), s.unavailableReason(),
                    s.failureNote(), s.medians(), ratios));
        }
        return result;
    }

    private KindSummary reduce(Workload workload, ServerKind kind) {
        List<Run> of = runs.stream().filter(r -> r.workload().equals(workload.name()) && r.kind().equals(kind.name())).toList();
        List<Run> ok = of.stream().filter(r -> r.status() == Run.Status.OK).toList();
        List<Run> failed = of.stream().filter(r -> r.status() == Run.Status.FAILED).toList();
        Map<Metric, Double> medians = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            medians.put(m, median(ok.stream().map(m::of).filter(v -> !Double.isNaN(v)).toList()));
        }
        return new KindSummary(workload, kind, ok.size(), failed.size(), unavailable.get(kind.name()),
                failed.isEmpty() ? null : failed.getFirst().note(), medians, Map.of());
    }

    /**
     * {@code value / best}; NaN (no ratio) when {@code best} is below {@code smallestReference}
     * (see {@link Metric#smallestReference}). Otherwise a best of zero makes a zero value 1.0
     * and anything more infinitely worse, which the table prints as such.
     */
    static double ratio(double value, double best, double smallestReference) {
        if (Double.isNaN(value) || Double.isNaN(best) || best < smallestReference) {
            return Double.NaN;
        }
        if (best == 0) {
            return value == 0 ? 1.0 : Double.POSITIVE_INFINITY;
        }
        return value / best;
    }

    /** The middle value, the mean of the two middle ones for an even count, NaN for none. */
    static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Report.median(values);
    }
}
