package io.jgnet.bench.harness;

import java.util.Map;

/**
 * One server kind under one workload, reduced over the rounds: the median of each figure over
 * the runs that completed, and its ratio to the best Netty kind's median. Immutable; built by
 * {@link MatrixResults}.
 *
 * @param workload          the workload
 * @param kind              the server kind
 * @param completed         runs that completed cleanly (their figures are the medians' inputs)
 * @param failed            runs that failed
 * @param unavailableReason why the kind could not run here, or null when it could
 * @param failureNote       the first failure's reason, or null when none failed
 * @param medians           per figure, the median over completed runs (NaN when none had it)
 * @param ratios            per figure, median / Netty's best median (NaN without a Netty figure)
 */
record KindSummary(Workload workload, ServerKind kind, int completed, int failed, String unavailableReason,
                   String failureNote, Map<Metric, Double> medians, Map<Metric, Double> ratios) {

    KindSummary {
        medians = Map.copyOf(medians);
        ratios = Map.copyOf(ratios);
    }

    double median(Metric metric) {
        return medians.getOrDefault(metric, Double.NaN);
    }

    double ratio(Metric metric) {
        return ratios.getOrDefault(metric, Double.NaN);
    }

    boolean hasFigures() {
        return completed > 0;
    }

    /** "", "unavailable: reason", "FAILED: reason", or "1 of 3 runs failed" for the table's last column. */
    String state() {
        if (completed == 0 && unavailableReason != null) {
            return "unavailable: " + unavailableReason;
        }
        if (completed == 0) {
            return failed == 0 ? "not run" : "FAILED: " + failureNote;
        }
        return failed == 0 ? "" : failed + " of " + (failed + completed) + " runs failed: " + failureNote;
    }
}
