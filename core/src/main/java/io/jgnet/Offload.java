package io.jgnet;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How {@link Conn#offload} runs blocking work: on which {@link Executor}, and how many tasks one
 * connection may have outstanding before its reading pauses. Set with
 * {@link Options.Builder#offload(java.util.function.Consumer)} and read with
 * {@link Options#offload()}.
 *
 * <p>Immutable; safe to share between threads (the executor is shared as given).
 */
public final class Offload {
    /** The default per-connection limit: deep enough for pipelining, small enough to bound memory. */
    public static final int DEFAULT_MAX_PENDING = 64;
    private static final int MAX_PENDING_LIMIT = 1 << 20;

    private final Executor executor;
    private final int maxPending;

    private Offload(Builder b) {
        this.executor = b.executor;
        this.maxPending = b.maxPending;
    }

    /**
     * {@return the executor tasks run on, or null for the default: a new virtual thread per task}
     */
    public Executor executor() {
        return executor;
    }

    /**
     * {@return how many offloaded tasks a connection may have outstanding (submitted, or done but
     * not yet written because an earlier one is not) before jgnet stops reading it} Reading
     * resumes once fewer remain.
     */
    public int maxPending() {
        return maxPending;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Offload other && Objects.equals(executor, other.executor)
                && maxPending == other.maxPending;
    }

    @Override
    public int hashCode() {
        return Objects.hash(executor, maxPending);
    }

    @Override
    public String toString() {
        return "Offload[executor=" + (executor == null ? "virtual threads" : executor) + ", maxPending=" + maxPending + "]";
    }

    /**
     * The offload settings being built, handed out by
     * {@link Options.Builder#offload(java.util.function.Consumer)} and checked by
     * {@link Options.Builder#build()}. Not thread-safe, as its owner.
     */
    public static final class Builder {
        private Executor executor;
        private int maxPending = DEFAULT_MAX_PENDING;

        Builder() {
        }

        Builder(Offload from) {
            this.executor = from.executor;
            this.maxPending = from.maxPending;
        }

        /**
         * The executor offloaded tasks run on (default null: a new virtual thread per task).
         * Give a bounded one to cap the threads blocking work may take; when it rejects a task,
         * {@link Conn#offload} throws its {@link java.util.concurrent.RejectedExecutionException}.
         * jgnet never shuts it down.
         *
         * @param executor the executor, or null for virtual threads
         * @return this builder, for chaining
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * How many tasks one connection may have outstanding before its reading pauses (default
         * {@value #DEFAULT_MAX_PENDING}), 1 to 2^20.
         *
         * @param maxPending the per-connection limit
         * @return this builder, for chaining
         */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        Offload build() {
            if (maxPending < 1 || maxPending > MAX_PENDING_LIMIT) {
                throw new IllegalArgumentException("option offload.maxPending must be between 1 and "
                        + MAX_PENDING_LIMIT + ", was " + maxPending);
            }
            return new Offload(this);
        }
    }
}
