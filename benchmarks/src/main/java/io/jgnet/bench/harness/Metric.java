package io.jgnet.bench.harness;

import java.util.function.ToDoubleFunction;

/**
 * A figure the {@link Matrix} reports per run, with the direction that makes it better: the
 * ratio to Netty is taken to the Netty kind that is best in that figure. Stateless.
 */
enum Metric {
    REQUESTS_PER_SECOND("req/s", "req_per_sec", true, r -> r.load() == null ? Double.NaN : r.load().msgsPerSecond()),
    CPU_MICROS("CPU us/req", "cpu_us_per_req", false, r -> r.load() == null ? Double.NaN : r.load().cpuMicrosPerMessage()),
    USER_MICROS("user us/req", "user_us_per_req", false, r -> r.load() == null ? Double.NaN : r.load().userMicrosPerMessage()),
    SYSTEM_MICROS("sys us/req", "sys_us_per_req", false, r -> r.load() == null ? Double.NaN : r.load().systemMicrosPerMessage()),
    P50_MICROS("p50 us", "p50_us", false, r -> r.load() == null ? Double.NaN : r.load().p50Micros()),
    P99_MICROS("p99 us", "p99_us", false, r -> r.load() == null ? Double.NaN : r.load().p99Micros()),
    P999_MICROS("p99.9 us", "p999_us", false, r -> r.load() == null ? Double.NaN : r.load().p999Micros()),
    ALLOC_BYTES("alloc B/req", "alloc_bytes_per_req", false, 1.0, Run::allocBytesPerRequest),
    IDLE_BYTES("B/conn", "idle_bytes_per_conn", false, r -> r.idle() == null ? Double.NaN : r.idle().bytesPerConnection());

    /** The column heading. */
    final String label;
    /** The key in results.json and results.csv. */
    final String key;
    /** True when more is better (throughput), false when less is (cost, latency, memory). */
    final boolean higherIsBetter;
    /**
     * The smallest best figure a ratio is taken to. Allocation: under one byte per request
     * (Netty's epoll echo allocates a few objects a second, 0.0-0.2 B/req) a ratio says nothing
     * but noise, e.g. "4204x" for 72 B against 0.02 B; the bytes themselves are printed anyway.
     */
    final double smallestReference;
    private final ToDoubleFunction<Run> value;

    Metric(String label, String key, boolean higherIsBetter, ToDoubleFunction<Run> value) {
        this(label, key, higherIsBetter, 0, value);
    }

    Metric(String label, String key, boolean higherIsBetter, double smallestReference, ToDoubleFunction<Run> value) {
        this.label = label;
        this.key = key;
        this.higherIsBetter = higherIsBetter;
        this.smallestReference = smallestReference;
        this.value = value;
    }

    /** This figure of {@code run}, NaN when the run does not have it (idle, failed, no ALLOC). */
    double of(Run run) {
        return value.applyAsDouble(run);
    }

    /** Whether {@code a} is better than {@code b} in this figure. */
    boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
