package io.jgnet.buffer;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limit on the off-heap memory jgnet's buffer pools allocate themselves. The JDK counts
 * {@code ByteBuffer.allocateDirect} against {@code -XX:MaxDirectMemorySize}, but not memory from
 * an {@link java.lang.foreign.Arena} or a mapping, which is what the pools use so that they can
 * free it deterministically; this budget applies the same limit to it, so that an operator's
 * {@code -XX:MaxDirectMemorySize} still bounds jgnet, and a connection whose buffer cannot grow
 * fails with the same {@link OutOfMemoryError} a direct buffer would (its loop closes that
 * connection, the others go on).
 *
 * <p>The limit is the system property {@code jgnet.maxDirectMemory} if set (bytes, with an
 * optional k, m, g or t suffix), else {@code -XX:MaxDirectMemorySize} from the JVM's command line,
 * else the JVM's default for it, the maximum heap size. It is shared by every pool in the process
 * and counted separately from the JDK's own direct buffers.
 *
 * <p>Thread-safe: any loop thread reserves and releases.
 */
final class DirectMemoryBudget {
    static final long LIMIT = limit();
    private static final AtomicLong RESERVED = new AtomicLong();

    private DirectMemoryBudget() {
    }

    /** Reserves {@code bytes} before they are allocated, or throws if that would pass the limit. */
    static void reserve(long bytes) {
        long after = RESERVED.addAndGet(bytes);
        if (after > LIMIT) {
            RESERVED.addAndGet(-bytes);
            throw new OutOfMemoryError("Cannot reserve " + bytes + " bytes of direct buffer memory for jgnet's buffers"
                    + " (allocated: " + (after - bytes) + ", limit: " + LIMIT + ")");
        }
    }

    /** Gives back what {@link #reserve} took, once the memory is freed. */
    static void release(long bytes) {
        RESERVED.addAndGet(-bytes);
    }

    /** The bytes reserved now, by every pool of the process. */
    static long reserved() {
        return RESERVED.get();
    }

    private static long limit() {
        String property = System.getProperty("jgnet.maxDirectMemory");
        if (property != null) {
            return parseSize(property, "jgnet.maxDirectMemory");
        }
        String flag = "-XX:MaxDirectMemorySize=";
        for (String argument : ProcessHandle.current().info().arguments().orElse(new String[0])) {
            if (argument.startsWith(flag)) {
                return parseSize(argument.substring(flag.length()), flag);
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    static long parseSize(String text, String what) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        int shift = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? value : value.substring(0, value.length() - 1);
        try {
            long size = Long.parseLong(digits);
            if (size < 0 || size > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException("out of range");
            }
            return size << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a size in bytes, with an optional k, m, g or t suffix;"
                    + " was '" + text + "'", e);
        }
    }
}
