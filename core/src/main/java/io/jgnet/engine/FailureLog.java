package io.jgnet.engine;

import java.lang.System.Logger.Level;

/**
 * A loop's WARNING lines about failures it contained: handler exceptions, failed tasks and
 * callbacks. At most {@link #BURST} lines, then one per {@link #REFILL_NANOS}; what is skipped is
 * counted and reported with the next line. Logging itself may fail (with no descriptor left the
 * log formatter cannot load time-zone data): such a failure is swallowed, never allowed to end
 * the loop.
 *
 * <p>Owned by one loop thread.
 */
final class FailureLog {
    private static final System.Logger LOG = System.getLogger("io.jgnet");
    /** Lines that may be written back to back. */
    static final int BURST = 10;
    /** One more line is allowed each second. */
    static final long REFILL_NANOS = 1_000_000_000L;

    private int tokens = BURST;
    private long lastRefill = System.nanoTime();
    private long suppressed;

    /** A handler threw for {@code conn}: the connection closes with {@code cause}. */
    void handlerFailed(Object conn, Throwable cause) {
        failed("handler threw; closing ", conn, cause);
    }

    /** Logs {@code what + subject} with {@code cause} at WARNING, if the rate allows. */
    void failed(String what, Object subject, Throwable cause) {
        if (!takeToken()) {
            suppressed++;
            return;
        }
        try {
            String skipped = suppressed == 0 ? "" : " (" + suppressed + " similar lines skipped)";
            suppressed = 0;
            LOG.log(Level.WARNING, what + (subject == null ? "" : String.valueOf(subject)) + skipped, cause);
        } catch (Throwable unloggable) {
            // Nothing better to do: the failure itself is already contained.
        }
    }

    private boolean takeToken() {
        long now = System.nanoTime();
        long refills = (now - lastRefill) / REFILL_NANOS;
        if (refills > 0) {
            tokens = (int) Math.min(BURST, tokens + refills);
            lastRefill += refills * REFILL_NANOS;
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }

    /** Logs at any level, swallowing whatever logging throws. */
    static void log(Level level, String message, Throwable cause) {
        try {
            LOG.log(level, message, cause);
        } catch (Throwable unloggable) {
            // See the class comment.
        }
    }
}
