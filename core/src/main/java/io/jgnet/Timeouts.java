package io.jgnet;

import java.time.Duration;
import java.util.Objects;

/**
 * A connection's timeouts, each {@link Duration#ZERO} when off (the default for all but
 * {@link #connect()}):
 * <ul>
 *   <li>{@link #idle()}: nothing received and nothing sent for this long (nginx's
 *       {@code keepalive_timeout}, redis's {@code timeout});</li>
 *   <li>{@link #read()}: nothing received for this long while the connection reads (not while
 *       it has {@linkplain Conn#suspendReading() suspended reading}, nor after the peer's end of
 *       stream);</li>
 *   <li>{@link #write()}: output waits and none of it has been sent for this long (a peer that
 *       stopped reading; nginx's {@code send_timeout}). It is noticed within twice the timeout;</li>
 *   <li>{@link #lifetime()}: the connection has been open this long, busy or not;</li>
 *   <li>{@link #connect()}: a dial has not connected after this long (default 30 s); its future
 *       fails with a {@link ConnectionTimeoutException} of kind {@code CONNECT} as cause.</li>
 * </ul>
 * When one expires, {@link EventHandler#onTimeout} decides: by default the connection closes,
 * sending what it had written first, and {@link EventHandler#onClose} gets a
 * {@link ConnectionTimeoutException} naming the timeout. A write timeout closes at once (its output
 * is not draining). The clock of each timeout restarts with the activity it watches; it is kept
 * lazily, so receiving and sending cost nothing extra. Timeouts have a resolution of one
 * millisecond and never fire early.
 *
 * <p>Set them for every connection with {@link Options.Builder#timeouts}, and for one connection
 * with {@link Conn#timeouts(java.util.function.Consumer)}.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class Timeouts {
    private static final Timeouts DEFAULTS = new Builder().build();

    private final Duration idle;
    private final Duration read;
    private final Duration write;
    private final Duration lifetime;
    private final Duration connect;

    private Timeouts(Builder b) {
        this.idle = check(b.idle, "idle");
        this.read = check(b.read, "read");
        this.write = check(b.write, "write");
        this.lifetime = check(b.lifetime, "lifetime");
        this.connect = check(b.connect, "connect");
    }

    private static Duration check(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("option timeouts." + name
                    + " must be zero (off) or positive, was " + value);
        }
        return value;
    }

    /** {@return the defaults: connect after 30 s, every other timeout off} The same instance on every call. */
    public static Timeouts defaults() {
        return DEFAULTS;
    }

    /** {@return a builder holding these timeouts, to change some} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the idle timeout: nothing received or sent; zero when off} */
    public Duration idle() {
        return idle;
    }

    /** {@return the read timeout: nothing received while reading; zero when off} */
    public Duration read() {
        return read;
    }

    /** {@return the write timeout: pending output not progressing; zero when off} */
    public Duration write() {
        return write;
    }

    /** {@return the lifetime cap: open this long; zero when off} */
    public Duration lifetime() {
        return lifetime;
    }

    /** {@return the connect timeout of dials; zero when off (the kernel's own limit applies)} */
    public Duration connect() {
        return connect;
    }

    /** {@return whether any timeout of an open connection is on (connect aside)} */
    public boolean watchesConnections() {
        return !idle.isZero() || !read.isZero() || !write.isZero() || !lifetime.isZero();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Timeouts other && idle.equals(other.idle) && read.equals(other.read)
                && write.equals(other.write) && lifetime.equals(other.lifetime) && connect.equals(other.connect);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idle, read, write, lifetime, connect);
    }

    /** {@code Timeouts[idle=PT1M, read=off, ...]}. */
    @Override
    public String toString() {
        return "Timeouts[idle=" + show(idle) + ", read=" + show(read) + ", write=" + show(write)
                + ", lifetime=" + show(lifetime) + ", connect=" + show(connect) + "]";
    }

    private static String show(Duration d) {
        return d.isZero() ? "off" : d.toString();
    }

    /**
     * Timeouts being changed, handed out by {@link Options.Builder#timeouts} and
     * {@link Conn#timeouts(java.util.function.Consumer)}; each value is checked when built (zero
     * or positive, not null). Not thread-safe, as its owner.
     */
    public static final class Builder {
        private Duration idle = Duration.ZERO;
        private Duration read = Duration.ZERO;
        private Duration write = Duration.ZERO;
        private Duration lifetime = Duration.ZERO;
        private Duration connect = Duration.ofSeconds(30);

        private Builder() {
        }

        private Builder(Timeouts from) {
            this.idle = from.idle;
            this.read = from.read;
            this.write = from.write;
            this.lifetime = from.lifetime;
            this.connect = from.connect;
        }

        /**
         * Closes a connection that received and sent nothing for {@code idle}.
         *
         * @param idle the timeout, {@link Duration#ZERO} for none (the default)
         * @return this builder, for chaining
         */
        public Builder idle(Duration idle) {
            this.idle = idle;
            return this;
        }

        /**
         * Closes a connection that received nothing for {@code read} while reading.
         *
         * @param read the timeout, {@link Duration#ZERO} for none (the default)
         * @return this builder, for chaining
         */
        public Builder read(Duration read) {
            this.read = read;
            return this;
        }

        /**
         * Closes a connection whose pending output made no progress for {@code write}.
         *
         * @param write the timeout, {@link Duration#ZERO} for none (the default)
         * @return this builder, for chaining
         */
        public Builder write(Duration write) {
            this.write = write;
            return this;
        }

        /**
         * Closes a connection that has been open for {@code lifetime}.
         *
         * @param lifetime the cap, {@link Duration#ZERO} for none (the default)
         * @return this builder, for chaining
         */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /**
         * Fails a dial that has not connected after {@code connect}. Ignored for a connection
         * that is already open.
         *
         * @param connect the timeout, {@link Duration#ZERO} to leave it to the kernel (default 30 s)
         * @return this builder, for chaining
         */
        public Builder connect(Duration connect) {
            this.connect = connect;
            return this;
        }

        /**
         * Checks every value and returns the timeouts.
         *
         * @return the timeouts, immutable
         * @throws IllegalArgumentException naming the first timeout that is null or negative
         */
        public Timeouts build() {
            return new Timeouts(this);
        }
    }
}
