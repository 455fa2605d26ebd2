package io.jgnet.examples.redis;

import java.time.Duration;

/**
 * Limits and housekeeping of a {@link RedisServer}. A request past a limit gets Redis's
 * "-ERR Protocol error: ..." and closes only its own connection.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param maxBulkLength    the longest bulk string (key or value) a request may carry; Redis's
 *                         {@code proto-max-bulk-len}, whose default of 512 MiB is more than one
 *                         connection should be able to make us hold
 * @param maxRequestLength the most bytes one request may take, headers included; with
 *                         {@code maxInlineLength} it bounds the unconsumed inbound bytes of a
 *                         connection (Redis's {@code client-query-buffer-limit}, 1 GiB there)
 * @param maxArrayLength   the most words one request may have
 * @param maxInlineLength  the longest inline command, and the longest {@code *N} or {@code $N}
 *                         header line (Redis's fixed {@code PROTO_INLINE_MAX_SIZE})
 * @param sweepInterval    how often the expiry sweep runs (Redis runs its own at 10 Hz)
 * @param sweepBudget      the most keys one sweep examines, so a tick stays short whatever the
 *                         keyspace's size
 */
public record RedisConfig(int maxBulkLength, int maxRequestLength, int maxArrayLength, int maxInlineLength,
                          Duration sweepInterval, int sweepBudget) {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /** Keeps the engine's buffer caps derived from these limits within what Options accepts (1 GiB). */
    private static final int MAX_REQUEST = 256 * MIB;

    /**
     * 64 MiB bulk strings, requests of one such value plus 1 MiB of everything else, 1M words
     * (Redis 6's multibulk limit), 64 KiB inline commands, a sweep of 1000 keys every 100 ms.
     */
    public static RedisConfig defaults() {
        return new RedisConfig(64 * MIB, 65 * MIB, 1024 * 1024, 64 * KIB, Duration.ofMillis(100), 1000);
    }

    /** Checks every value, naming the one at fault. */
    public RedisConfig {
        require(maxRequestLength >= 64 && maxRequestLength <= MAX_REQUEST,
                "maxRequestLength must be between 64 and " + MAX_REQUEST, maxRequestLength);
        require(maxBulkLength >= 1 && maxBulkLength < maxRequestLength,
                "maxBulkLength must be between 1 and maxRequestLength - 1", maxBulkLength);
        require(maxArrayLength >= 1, "maxArrayLength must be >= 1", maxArrayLength);
        require(maxInlineLength >= 16 && maxInlineLength <= MIB,
                "maxInlineLength must be between 16 and " + MIB, maxInlineLength);
        require(sweepInterval != null && sweepInterval.isPositive(), "sweepInterval must be positive", sweepInterval);
        require(sweepBudget >= 1, "sweepBudget must be >= 1", sweepBudget);
    }

    private static void require(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("RedisConfig: " + rule + ", was " + value);
        }
    }
}
