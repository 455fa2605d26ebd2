package io.jgnet.bench.harness;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one {@link BenchLoad} run measured: requests answered in the measured window, its length,
 * latency percentiles in microseconds (from a batch's write to the arrival of a request's whole
 * response), and the failures of the whole run, warm-up included.
 *
 * @param requests   responses completed in the measured window
 * @param seconds    the measured window's length
 * @param errors     connections lost: I/O errors, the server closing, unframeable responses
 * @param mismatches responses that were framed but not the expected ones
 */
record LoadResult(long requests, double seconds, double p50Micros, double p90Micros, double p99Micros,
                  double p999Micros, double maxMicros, long errors, long mismatches) {

    /** The result of a window of {@code seconds} with the latencies in {@code latencyNanos}. */
    static LoadResult of(long requests, double seconds, Histogram latencyNanos, long errors, long mismatches) {
        return new LoadResult(requests, seconds,
                micros(latencyNanos, 50), micros(latencyNanos, 90), micros(latencyNanos, 99),
                micros(latencyNanos, 99.9), latencyNanos.getMaxValue() / 1e3, errors, mismatches);
    }

    /** Requests per second; 0 for an empty window (every connection lost before it began). */
    double rps() {
        return seconds > 0 ? requests / seconds : 0;
    }

    boolean failed() {
        return errors > 0 || mismatches > 0;
    }

    /**
     * The RESULT line of the contract. With {@code echoAliases} it also carries {@code messages}
     * and {@code msgs_per_sec}, the names {@link EchoBench} reads from the echo load generator.
     */
    String line(boolean echoAliases) {
        String line = String.format(Locale.ROOT,
                "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f"
                        + " max_us=%.1f errors=%d mismatches=%d",
                requests, seconds, rps(), p50Micros, p90Micros, p99Micros, p999Micros, maxMicros, errors, mismatches);
        if (echoAliases) {
            line += String.format(Locale.ROOT, " messages=%d msgs_per_sec=%.0f", requests, rps());
        }
        return line;
    }

    private static double micros(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e3;
    }
}
