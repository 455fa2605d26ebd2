package io.jgnet;

import java.net.SocketOption;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything an engine can be tuned with, as one immutable value. Build it with
 * {@link #builder()} (or change a few values of existing options with {@link #toBuilder()});
 * {@link Builder#build()} checks every value and names the option at fault.
 * {@code Options.defaults()} suits most servers.
 *
 * <p>Settings that only one transport understands live in their own group, for example
 * {@link #epoll()}; other transports ignore them. The public surface is the builder and the
 * accessors, so options added later break no caller.
 *
 * <p>Immutable; safe to share between threads and engines. Two options are equal when they were
 * built from the same settings.
 */
public final class Options {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    /** Below this a read buffer costs more syscalls than it saves memory. */
    private static final int MIN_READ_BUFFER = 512;
    /** A direct buffer larger than this is a configuration mistake, not a need. */
    private static final int MAX_BUFFER = 1 << 30;
    /** More loops than this is a configuration mistake: each one is a platform thread. */
    private static final int MAX_LOOPS = 1024;
    /** The kernel's limit for TCP_KEEPCNT. */
    private static final int MAX_KEEPALIVE_PROBES = 127;

    private static final Options DEFAULTS = builder().build();

    /** The loop count as asked for: 0 means "resolve it" (1, or one per core with multicore). */
    private final int requestedLoops;
    private final boolean multicore;
    private final int loops;
    private final LoadBalancing loadBalancing;
    private final boolean reuseAddr;
    private final boolean reusePort;
    private final int readBufferCap;
    private final int inboundBufferCap;
    private final int writeBufferCap;
    private final int writeBufferHighWatermark;
    private final int writeBufferLowWatermark;
    private final boolean ticker;
    private final boolean tcpNoDelay;
    private final Duration tcpKeepAliveIdle;
    private final Duration tcpKeepAliveInterval;
    private final int tcpKeepAliveCount;
    private final int socketSendBuffer;
    private final int socketReceiveBuffer;
    private final TransportKind transport;
    private final Duration closeTimeout;
    private final Epoll epoll;
    private final Timeouts timeouts;
    private final Map<SocketOption<?>, Object> listenerOptions;
    private final Map<SocketOption<?>, Object> connectionOptions;
    private final Tls tls;
    private final Diagnostics diagnostics;
    private final Offload offload;

    /** The one place every value is checked: the builder is the only way in. */
    private Options(Builder b) {
        require(b.loops >= 0 && b.loops <= MAX_LOOPS, "loops", "must be between 0 and " + MAX_LOOPS, b.loops);
        requireNonNull(b.loadBalancing, "loadBalancing");
        requireNonNull(b.transport, "transport");
        require(b.readBufferCap >= MIN_READ_BUFFER && b.readBufferCap <= MAX_BUFFER,
                "readBufferCap", "must be between " + MIN_READ_BUFFER + " and " + MAX_BUFFER, b.readBufferCap);
        require(b.inboundBufferCap >= b.readBufferCap && b.inboundBufferCap <= MAX_BUFFER, "inboundBufferCap",
                "must be between readBufferCap (" + b.readBufferCap + ") and " + MAX_BUFFER, b.inboundBufferCap);
        require(b.writeBufferCap > 0 && b.writeBufferCap <= MAX_BUFFER,
                "writeBufferCap", "must be between 1 and " + MAX_BUFFER, b.writeBufferCap);
        require(b.writeBufferLowWatermark >= 0, "writeBufferLowWatermark", "must be >= 0", b.writeBufferLowWatermark);
        require(b.writeBufferHighWatermark > b.writeBufferLowWatermark, "writeBufferHighWatermark",
                "must be greater than the low watermark (" + b.writeBufferLowWatermark + ")",
                b.writeBufferHighWatermark);
        require(b.writeBufferHighWatermark <= b.writeBufferCap, "writeBufferHighWatermark",
                "must be <= writeBufferCap (" + b.writeBufferCap + ")", b.writeBufferHighWatermark);
        if (b.tcpKeepAliveIdle != null) {
            require(b.tcpKeepAliveIdle.toSeconds() >= 1, "tcpKeepAliveIdle", "must be at least 1 second",
                    b.tcpKeepAliveIdle);
            requireNonNull(b.tcpKeepAliveInterval, "tcpKeepAliveInterval");
            require(b.tcpKeepAliveInterval.toSeconds() >= 1, "tcpKeepAliveInterval", "must be at least 1 second",
                    b.tcpKeepAliveInterval);
            require(b.tcpKeepAliveCount >= 1 && b.tcpKeepAliveCount <= MAX_KEEPALIVE_PROBES, "tcpKeepAliveCount",
                    "must be between 1 and " + MAX_KEEPALIVE_PROBES, b.tcpKeepAliveCount);
        }
        require(b.socketSendBuffer >= 0, "socketSendBuffer", "must be >= 0", b.socketSendBuffer);
        require(b.socketReceiveBuffer >= 0, "socketReceiveBuffer", "must be >= 0", b.socketReceiveBuffer);
        requireNonNull(b.closeTimeout, "closeTimeout");
        require(!b.closeTimeout.isNegative(), "closeTimeout", "must not be negative", b.closeTimeout);
        requireTyped(b.listenerOptions, "listenerOption");
        requireTyped(b.connectionOptions, "connectionOption");

        this.requestedLoops = b.loops;
        this.multicore = b.multicore;
        this.loops = b.loops > 0 ? b.loops : b.multicore ? Runtime.getRuntime().availableProcessors() : 1;
        this.loadBalancing = b.loadBalancing;
        this.reuseAddr = b.reuseAddr;
        this.reusePort = b.reusePort;
        this.readBufferCap = b.readBufferCap;
        this.inboundBufferCap = b.inboundBufferCap;
        this.writeBufferCap = b.writeBufferCap;
        this.writeBufferHighWatermark = b.writeBufferHighWatermark;
        this.writeBufferLowWatermark = b.writeBufferLowWatermark;
        this.ticker = b.ticker;
        this.tcpNoDelay = b.tcpNoDelay;
        this.tcpKeepAliveIdle = b.tcpKeepAliveIdle;
        this.tcpKeepAliveInterval = b.tcpKeepAliveInterval;
        this.tcpKeepAliveCount = b.tcpKeepAliveCount;
        this.socketSendBuffer = b.socketSendBuffer;
        this.socketReceiveBuffer = b.socketReceiveBuffer;
        this.transport = b.transport;
        this.closeTimeout = b.closeTimeout;
        this.epoll = new Epoll(b.epoll);
        this.timeouts = b.timeouts.build();
        this.listenerOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.listenerOptions));
        this.connectionOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.connectionOptions));
        this.tls = b.tls;
        this.diagnostics = new Diagnostics(b.diagnostics);
        this.offload = b.offload.build();
    }

    /**
     * {@return the defaults: one loop, round-robin, nodelay on, keep-alive off, transport auto}
     * The same instance on every call.
     */
    public static Options defaults() {
        return DEFAULTS;
    }

    /** {@return a new builder holding the defaults, ready to change and {@link Builder#build()}} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a new builder holding these options, to change a few} The loop count is carried as
     * it was asked for, so {@code Options.defaults().toBuilder().multicore(true)} gives one loop
     * per core. These options are not changed by what is done to the builder.
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ------------------------------------------------------------------------------ accessors

    /**
     * {@return the number of event loops, resolved: as set with {@link Builder#loops(int)}, else
     * one per available core with {@link Builder#multicore(boolean)}, else 1} Always 1 to 1024
     * when set explicitly; the core count is read once, when the options are built.
     */
    public int loops() {
        return loops;
    }

    /** {@return how a new connection picks its loop; never null} */
    public LoadBalancing loadBalancing() {
        return loadBalancing;
    }

    /**
     * {@return whether stream (TCP) listeners are opened with SO_REUSEADDR} UDP listeners never
     * get it from here: on UDP it lets a second socket take the port's traffic (see
     * {@link #listenerOptions()}).
     */
    public boolean reuseAddr() {
        return reuseAddr;
    }

    /**
     * {@return whether listeners are opened with SO_REUSEPORT} When true, each loop gets its own
     * listener and accepts for itself instead of one acceptor handing connections out (an engine
     * of one loop has no acceptor either way: its loop accepts for itself).
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * {@return the most bytes one read takes from a socket, 512 B to 1 GiB} It is the size of each
     * loop's shared read buffer, so it costs memory once per loop, not once per connection.
     */
    public int readBufferCap() {
        return readBufferCap;
    }

    /**
     * {@return the most inbound bytes a connection may leave unconsumed, from
     * {@link #readBufferCap()} to 1 GiB} Beyond it the connection is closed with an error.
     *
     * <p>Memory: a connection's held input never takes more than this cap plus one read
     * ({@link #readBufferCap()}; on TLS, the plaintext of the records one read completes, at
     * most 65 KiB), since the cap is checked after each callback; together with
     * {@link #writeBufferCap()} it bounds what one connection holds. Each loop adds a fixed
     * allowance: its read buffer, at most 64 MiB of idle pooled buffers (freed once idle for
     * 10 to 20 seconds), and while a buffer grows, the smaller one it replaces.
     */
    public int inboundBufferCap() {
        return inboundBufferCap;
    }

    /**
     * {@return the most outbound bytes a connection may have waiting, 1 B to 1 GiB} Beyond it the
     * connection is closed with an error.
     *
     * <p>Memory: a write that would pass the cap is refused before it is copied, so a
     * connection's output never holds more than the cap (twice it on io_uring while a send is
     * in flight). See {@link #inboundBufferCap()} for the per-loop allowance.
     */
    public int writeBufferCap() {
        return writeBufferCap;
    }

    /**
     * {@return the high writability watermark in bytes, greater than the low one and at most
     * {@link #writeBufferCap()}} Above this many waiting bytes {@link Conn#isWritable()} turns
     * false.
     */
    public int writeBufferHighWatermark() {
        return writeBufferHighWatermark;
    }

    /**
     * {@return the low writability watermark in bytes, 0 or more and below the high one} Below
     * this many waiting bytes {@link Conn#isWritable()} turns true again.
     */
    public int writeBufferLowWatermark() {
        return writeBufferLowWatermark;
    }

    /** {@return whether {@link EventHandler#onTick()} runs} */
    public boolean ticker() {
        return ticker;
    }

    /** {@return whether new TCP connections get TCP_NODELAY (Nagle's algorithm off)} */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /**
     * {@return the keep-alive idle time on new TCP connections, at least 1 second, or
     * {@code null} when keep-alive is off}
     */
    public Duration tcpKeepAliveIdle() {
        return tcpKeepAliveIdle;
    }

    /**
     * {@return the time between keep-alive probes, at least 1 second when keep-alive is on}
     * Only used when {@link #tcpKeepAliveIdle()} is set.
     */
    public Duration tcpKeepAliveInterval() {
        return tcpKeepAliveInterval;
    }

    /**
     * {@return how many unanswered keep-alive probes drop the connection, 1 to 127 when
     * keep-alive is on} Only used when {@link #tcpKeepAliveIdle()} is set.
     */
    public int tcpKeepAliveCount() {
        return tcpKeepAliveCount;
    }

    /** {@return SO_SNDBUF in bytes on new sockets, 0 for the kernel's default} */
    public int socketSendBuffer() {
        return socketSendBuffer;
    }

    /** {@return SO_RCVBUF in bytes on new sockets, 0 for the kernel's default} */
    public int socketReceiveBuffer() {
        return socketReceiveBuffer;
    }

    /**
     * {@return which kernel interface the loops use, as asked for; never null}
     * {@link TransportKind#AUTO} is resolved when an engine starts.
     */
    public TransportKind transport() {
        return transport;
    }

    /**
     * {@return how long a closing connection may take to send what it wrote, zero or more; never
     * null} Past it the connection is closed with an error and the unsent output is dropped.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** {@return the settings only the epoll transport reads; never null} Other transports ignore them. */
    public Epoll epoll() {
        return epoll;
    }

    /**
     * {@return every connection's timeouts (idle, read, write, lifetime) and the dials' connect
     * timeout; never null} By default only connect is on (30 s).
     */
    public Timeouts timeouts() {
        return timeouts;
    }

    /**
     * {@return the socket options set on every listener before it binds, in the order given;
     * unmodifiable, never null} A UDP listener gets SO_REUSEADDR only from here: without it, a
     * second engine binding the same UDP address fails with a {@link java.net.BindException}.
     */
    public Map<SocketOption<?>, Object> listenerOptions() {
        return listenerOptions;
    }

    /**
     * {@return the socket options set on every new connection, in the order given, after the
     * engine's own (nodelay, keep-alive, buffers); unmodifiable, never null} A dialed socket gets
     * them before it connects (so that TCP_FASTOPEN_CONNECT, SO_BINDTODEVICE or
     * IP_BIND_ADDRESS_NO_PORT take effect), an accepted or enrolled one when it is taken over.
     */
    public Map<SocketOption<?>, Object> connectionOptions() {
        return connectionOptions;
    }

    /**
     * {@return the TLS settings of {@code tls://} listeners and dials, or null when none were
     * set} A dial to {@code tls://} without them trusts the JDK's default trust store.
     */
    public Tls tls() {
        return tls;
    }

    /** {@return what the engine watches and reports about its loops; never null} */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /** {@return how {@link Conn#offload} runs blocking work; never null} */
    public Offload offload() {
        return offload;
    }

    // ------------------------------------------------------------------------ value semantics

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Options other
                && requestedLoops == other.requestedLoops
                && multicore == other.multicore
                && loops == other.loops
                && loadBalancing == other.loadBalancing
                && reuseAddr == other.reuseAddr
                && reusePort == other.reusePort
                && readBufferCap == other.readBufferCap
                && inboundBufferCap == other.inboundBufferCap
                && writeBufferCap == other.writeBufferCap
                && writeBufferHighWatermark == other.writeBufferHighWatermark
                && writeBufferLowWatermark == other.writeBufferLowWatermark
                && ticker == other.ticker
                && tcpNoDelay == other.tcpNoDelay
                && Objects.equals(tcpKeepAliveIdle, other.tcpKeepAliveIdle)
                && Objects.equals(tcpKeepAliveInterval, other.tcpKeepAliveInterval)
                && tcpKeepAliveCount == other.tcpKeepAliveCount
                && socketSendBuffer == other.socketSendBuffer
                && socketReceiveBuffer == other.socketReceiveBuffer
                && transport == other.transport
                && closeTimeout.equals(other.closeTimeout)
                && epoll.equals(other.epoll)
                && timeouts.equals(other.timeouts)
                && listenerOptions.equals(other.listenerOptions)
                && connectionOptions.equals(other.connectionOptions)
                && Objects.equals(tls, other.tls)
                && diagnostics.equals(other.diagnostics)
                && offload.equals(other.offload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestedLoops, multicore, loops, loadBalancing, reuseAddr, reusePort, readBufferCap,
                inboundBufferCap, writeBufferCap, writeBufferHighWatermark, writeBufferLowWatermark, ticker,
                tcpNoDelay, tcpKeepAliveIdle, tcpKeepAliveInterval, tcpKeepAliveCount, socketSendBuffer,
                socketReceiveBuffer, transport, closeTimeout, epoll, timeouts, listenerOptions,
                connectionOptions, tls, diagnostics, offload);
    }

    /** Every setting, for logs: {@code Options[loops=4 (multicore), loadBalancing=ROUND_ROBIN, ...]}. */
    @Override
    public String toString() {
        return "Options[loops=" + loops + (requestedLoops == 0 && multicore ? " (multicore)" : "")
                + ", loadBalancing=" + loadBalancing
                + ", reuseAddr=" + reuseAddr
                + ", reusePort=" + reusePort
                + ", readBufferCap=" + readBufferCap
                + ", inboundBufferCap=" + inboundBufferCap
                + ", writeBufferCap=" + writeBufferCap
                + ", writeBufferWatermarks=" + writeBufferLowWatermark + "/" + writeBufferHighWatermark
                + ", ticker=" + ticker
                + ", tcpNoDelay=" + tcpNoDelay
                + ", tcpKeepAlive=" + (tcpKeepAliveIdle == null ? "off"
                        : tcpKeepAliveIdle + "/" + tcpKeepAliveInterval + "/" + tcpKeepAliveCount)
                + ", socketBuffers=" + socketSendBuffer + "/" + socketReceiveBuffer
                + ", transport=" + transport
                + ", closeTimeout=" + closeTimeout
                + ", epoll=" + epoll
                + ", timeouts=" + timeouts
                + ", listenerOptions=" + listenerOptions
                + ", connectionOptions=" + connectionOptions
                + (tls == null ? "" : ", tls=" + tls)
                + ", diagnostics=" + diagnostics
                + ", offload=" + offload + "]";
    }

    private static void require(boolean ok, String option, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("option " + option + " " + rule + ", was " + value);
        }
    }

    private static void requireTyped(Map<SocketOption<?>, Object> options, String kind) {
        options.forEach((option, value) -> require(option.type().isInstance(value), kind + " " + option.name(),
                "must be a " + option.type().getSimpleName(), value));
    }

    private static void requireNonNull(Object value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("option " + option + " must not be null");
        }
    }

    // ---------------------------------------------------------------------------------- epoll

    /**
     * The settings only the epoll transport reads, set with {@link Options.Builder#epoll(Consumer)} and
     * read with {@link Options#epoll()}; other transports ignore them.
     *
     * <p>Immutable; safe to share between threads.
     */
    public static final class Epoll {
        private final boolean edgeTriggered;

        private Epoll(Builder b) {
            this.edgeTriggered = b.edgeTriggered;
        }

        /**
         * {@return whether sockets are registered edge-triggered (one epoll_ctl per connection,
         * none per write stall) instead of level-triggered} Reads keep the same per-event cap
         * either way, so one busy connection cannot starve the others.
         */
        public boolean edgeTriggered() {
            return edgeTriggered;
        }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Epoll other && edgeTriggered == other.edgeTriggered;
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(edgeTriggered);
        }

        @Override
        public String toString() {
            return "Epoll[edgeTriggered=" + edgeTriggered + "]";
        }

        /**
         * The epoll settings being built, handed out by {@link Options.Builder#epoll(Consumer)}
         * and checked by {@link Options.Builder#build()}. Not thread-safe, as its owner.
         */
        public static final class Builder {
            private boolean edgeTriggered;

            private Builder() {
            }

            private Builder(Epoll from) {
                this.edgeTriggered = from.edgeTriggered;
            }

            /**
             * Edge-triggered registration instead of level-triggered (default off).
             *
             * @param edgeTriggered true to register sockets edge-triggered, false for
             *     level-triggered
             * @return this builder, for chaining
             */
            public Builder edgeTriggered(boolean edgeTriggered) {
                this.edgeTriggered = edgeTriggered;
                return this;
            }
        }
    }

    // ---------------------------------------------------------------------------- diagnostics

    /**
     * What the engine watches and reports about its loops, set with
     * {@link Options.Builder#diagnostics(Consumer)} and read with {@link Options#diagnostics()}.
     *
     * <p>The blocked-loop watcher is one daemon thread per engine that looks at each loop a few
     * times per threshold; a loop whose current turn has run longer than
     * {@link #blockedLoopThreshold()} (a handler that blocks, typically) is logged at WARNING
     * with the loop thread's stack, once per blocked turn (the lines rate-limited), and reported
     * as the JFR event {@code io.jgnet.BlockedLoop}. A turn longer than
     * {@link #slowIterationThreshold()} is reported as the JFR event {@code io.jgnet.SlowIteration}
     * while a recording enables it; it is never logged.
     *
     * <p>Immutable; safe to share between threads.
     */
    public static final class Diagnostics {
        private final Duration blockedLoopThreshold;
        private final Duration slowIterationThreshold;

        private Diagnostics(Builder b) {
            requireNonNull(b.blockedLoopThreshold, "blockedLoopThreshold");
            require(!b.blockedLoopThreshold.isNegative(), "blockedLoopThreshold", "must not be negative",
                    b.blockedLoopThreshold);
            requireNonNull(b.slowIterationThreshold, "slowIterationThreshold");
            require(!b.slowIterationThreshold.isNegative(), "slowIterationThreshold", "must not be negative",
                    b.slowIterationThreshold);
            this.blockedLoopThreshold = b.blockedLoopThreshold;
            this.slowIterationThreshold = b.slowIterationThreshold;
        }

        /**
         * {@return how long one turn of a loop may run before the watcher reports the loop as
         * blocked, with its stack (default 2 s); zero means no watcher}
         */
        public Duration blockedLoopThreshold() {
            return blockedLoopThreshold;
        }

        /**
         * {@return how long one turn of a loop may run before it is reported as the JFR event
         * {@code io.jgnet.SlowIteration} (default 100 ms)}
         */
        public Duration slowIterationThreshold() {
            return slowIterationThreshold;
        }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Diagnostics other
                    && blockedLoopThreshold.equals(other.blockedLoopThreshold)
                    && slowIterationThreshold.equals(other.slowIterationThreshold);
        }

        @Override
        public int hashCode() {
            return Objects.hash(blockedLoopThreshold, slowIterationThreshold);
        }

        @Override
        public String toString() {
            return "Diagnostics[blockedLoopThreshold=" + blockedLoopThreshold
                    + ", slowIterationThreshold=" + slowIterationThreshold + "]";
        }

        /**
         * The diagnostics settings being built, handed out by
         * {@link Options.Builder#diagnostics(Consumer)} and checked by {@link Options.Builder#build()}.
         * Not thread-safe, as its owner.
         */
        public static final class Builder {
            private Duration blockedLoopThreshold = Duration.ofSeconds(2);
            private Duration slowIterationThreshold = Duration.ofMillis(100);

            private Builder() {
            }

            private Builder(Diagnostics from) {
                this.blockedLoopThreshold = from.blockedLoopThreshold;
                this.slowIterationThreshold = from.slowIterationThreshold;
            }

            /**
             * How long one turn of a loop may run before the watcher logs it as blocked.
             *
             * @param threshold zero or more (default 2 s); zero turns the watcher off. {@code null}
             *     or negative makes {@link Options.Builder#build()} throw
             * @return this builder, for chaining
             */
            public Builder blockedLoopThreshold(Duration threshold) {
                this.blockedLoopThreshold = threshold;
                return this;
            }

            /**
             * How long one turn of a loop may run before it is reported as a slow iteration (JFR).
             *
             * @param threshold zero or more (default 100 ms). {@code null} or negative makes
             *     {@link Options.Builder#build()} throw
             * @return this builder, for chaining
             */
            public Builder slowIterationThreshold(Duration threshold) {
                this.slowIterationThreshold = threshold;
                return this;
            }
        }
    }

    // -------------------------------------------------------------------------------- builder

    /**
     * Collects option values; {@link #build()} checks them. Not thread-safe: use one builder
     * from one thread.
     */
    public static final class Builder {
        private int loops;
        private boolean multicore;
        private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
        private boolean reuseAddr = true;
        private boolean reusePort;
        private int readBufferCap = 64 * KIB;
        private int inboundBufferCap = 4 * MIB;
        private int writeBufferCap = 16 * MIB;
        private int writeBufferHighWatermark = 64 * KIB;
        private int writeBufferLowWatermark = 32 * KIB;
        private boolean ticker;
        private boolean tcpNoDelay = true;
        private Duration tcpKeepAliveIdle;
        private Duration tcpKeepAliveInterval = Duration.ofSeconds(15);
        private int tcpKeepAliveCount = 3;
        private int socketSendBuffer;
        private int socketReceiveBuffer;
        private TransportKind transport = TransportKind.AUTO;
        private Duration closeTimeout = Duration.ofSeconds(10);
        private final Epoll.Builder epoll;
        private final Timeouts.Builder timeouts;
        private final Map<SocketOption<?>, Object> listenerOptions = new LinkedHashMap<>();
        private final Map<SocketOption<?>, Object> connectionOptions = new LinkedHashMap<>();
        private Tls tls;
        private final Diagnostics.Builder diagnostics;
        private final Offload.Builder offload;

        private Builder() {
            this.epoll = new Epoll.Builder();
            this.timeouts = Timeouts.defaults().toBuilder();
            this.diagnostics = new Diagnostics.Builder();
            this.offload = new Offload.Builder();
        }

        private Builder(Options from) {
            this.loops = from.requestedLoops;
            this.multicore = from.multicore;
            this.loadBalancing = from.loadBalancing;
            this.reuseAddr = from.reuseAddr;
            this.reusePort = from.reusePort;
            this.readBufferCap = from.readBufferCap;
            this.inboundBufferCap = from.inboundBufferCap;
            this.writeBufferCap = from.writeBufferCap;
            this.writeBufferHighWatermark = from.writeBufferHighWatermark;
            this.writeBufferLowWatermark = from.writeBufferLowWatermark;
            this.ticker = from.ticker;
            this.tcpNoDelay = from.tcpNoDelay;
            this.tcpKeepAliveIdle = from.tcpKeepAliveIdle;
            this.tcpKeepAliveInterval = from.tcpKeepAliveInterval;
            this.tcpKeepAliveCount = from.tcpKeepAliveCount;
            this.socketSendBuffer = from.socketSendBuffer;
            this.socketReceiveBuffer = from.socketReceiveBuffer;
            this.transport = from.transport;
            this.closeTimeout = from.closeTimeout;
            this.epoll = new Epoll.Builder(from.epoll);
            this.timeouts = from.timeouts.toBuilder();
            this.listenerOptions.putAll(from.listenerOptions);
            this.connectionOptions.putAll(from.connectionOptions);
            this.tls = from.tls;
            this.diagnostics = new Diagnostics.Builder(from.diagnostics);
            this.offload = new Offload.Builder(from.offload);
        }

        /**
         * The number of event loops, at most 1024; 0 (the default) means 1, or one per core with
         * {@link #multicore}.
         *
         * @param loops the loop count, 0 to 1024, each loop being one platform thread; 0 lets
         *     {@link #multicore} decide. Checked by {@link #build()}
         * @return this builder, for chaining
         */
        public Builder loops(int loops) {
            this.loops = loops;
            return this;
        }

        /**
         * One loop per available core when {@link #loops(int)} is 0 (default off).
         *
         * @param multicore true for one loop per available core, false for a single loop; ignored
         *     when {@link #loops(int)} is set above 0
         * @return this builder, for chaining
         */
        public Builder multicore(boolean multicore) {
            this.multicore = multicore;
            return this;
        }

        /**
         * How a new connection picks its loop (default round-robin).
         *
         * @param loadBalancing the policy; {@code null} makes {@link #build()} throw
         * @return this builder, for chaining
         */
        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = loadBalancing;
            return this;
        }

        /**
         * SO_REUSEADDR on TCP listeners (default on), so a restarted server can bind its port while
         * old connections are still in TIME_WAIT. UDP listeners do not get it from here (on UDP it
         * would let a second engine take the port): ask for it with
         * {@link #listenerOption listenerOption(StandardSocketOptions.SO_REUSEADDR, true)}.
         *
         * @param reuseAddr whether listeners set SO_REUSEADDR
         * @return this builder, for chaining
         */
        public Builder reuseAddr(boolean reuseAddr) {
            this.reuseAddr = reuseAddr;
            return this;
        }

        /**
         * SO_REUSEPORT: one listener per loop (default off).
         *
         * @param reusePort true to give each loop its own listener that accepts for itself, false
         *     for one acceptor handing connections out (with one loop, the loop accepts for itself)
         * @return this builder, for chaining
         */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /**
         * The most bytes one read takes from a socket, 512 B to 1 GiB (default 64 KiB).
         *
         * @param bytes the size of each loop's shared read buffer in bytes, 512 to 2^30; checked
         *     by {@link #build()}
         * @return this builder, for chaining
         */
        public Builder readBufferCap(int bytes) {
            this.readBufferCap = bytes;
            return this;
        }

        /**
         * The most unconsumed inbound bytes per connection, from {@link #readBufferCap} to 1 GiB
         * (default 4 MiB).
         *
         * @param bytes the cap in bytes, from the read buffer cap to 2^30; a connection that
         *     leaves more unconsumed is closed with an error. Checked by {@link #build()}
         * @return this builder, for chaining
         */
        public Builder inboundBufferCap(int bytes) {
            this.inboundBufferCap = bytes;
            return this;
        }

        /**
         * The most outbound bytes waiting per connection, 1 B to 1 GiB (default 16 MiB).
         *
         * @param bytes the cap in bytes, 1 to 2^30; a connection whose pending output would pass
         *     it is closed with an error. Checked by {@link #build()}
         * @return this builder, for chaining
         */
        public Builder writeBufferCap(int bytes) {
            this.writeBufferCap = bytes;
            return this;
        }

        /**
         * The writability watermarks: {@code 0 <= low < high <= writeBufferCap} (default 32 KiB
         * low, 64 KiB high). Checked by {@link #build()}.
         *
         * @param low the pending output in bytes below which {@link Conn#isWritable()} turns true
         *     again
         * @param high the pending output in bytes above which {@link Conn#isWritable()} turns
         *     false
         * @return this builder, for chaining
         */
        public Builder writeBufferWatermarks(int low, int high) {
            this.writeBufferLowWatermark = low;
            this.writeBufferHighWatermark = high;
            return this;
        }

        /**
         * Whether {@link EventHandler#onTick()} runs (default off).
         *
         * @param ticker true to call {@link EventHandler#onTick()} and follow the delay it returns
         * @return this builder, for chaining
         */
        public Builder ticker(boolean ticker) {
            this.ticker = ticker;
            return this;
        }

        /**
         * TCP_NODELAY on new connections (default on).
         *
         * @param noDelay true to send small writes at once (Nagle's algorithm off), false to let
         *     the kernel coalesce them
         * @return this builder, for chaining
         */
        public Builder tcpNoDelay(boolean noDelay) {
            this.tcpNoDelay = noDelay;
            return this;
        }

        /**
         * TCP keep-alive on new connections: idle time and probe interval of at least 1 second,
         * 1 to 127 probes; {@code idle == null} turns it off (the default). Checked by
         * {@link #build()}.
         *
         * @param idle how long a connection stays silent before the first probe, at least 1
         *     second; {@code null} turns keep-alive off and the other two values are then ignored
         * @param interval the time between unanswered probes, at least 1 second; must not be null
         *     when {@code idle} is set
         * @param count how many unanswered probes drop the connection, 1 to 127
         * @return this builder, for chaining
         */
        public Builder tcpKeepAlive(Duration idle, Duration interval, int count) {
            this.tcpKeepAliveIdle = idle;
            this.tcpKeepAliveInterval = interval;
            this.tcpKeepAliveCount = count;
            return this;
        }

        /**
         * SO_SNDBUF and SO_RCVBUF on new sockets; 0 keeps the kernel's default (the default).
         * Checked by {@link #build()}.
         *
         * @param sendBytes the kernel send buffer in bytes, 0 or more; 0 keeps the kernel's default
         * @param receiveBytes the kernel receive buffer in bytes, 0 or more; 0 keeps the kernel's
         *     default
         * @return this builder, for chaining
         */
        public Builder socketBuffers(int sendBytes, int receiveBytes) {
            this.socketSendBuffer = sendBytes;
            this.socketReceiveBuffer = receiveBytes;
            return this;
        }

        /**
         * Which transport to use (default {@link TransportKind#AUTO}).
         *
         * @param transport the kernel interface the loops use; {@code null} makes
         *     {@link #build()} throw
         * @return this builder, for chaining
         */
        public Builder transport(TransportKind transport) {
            this.transport = transport;
            return this;
        }

        /**
         * How long a closing connection may take to send its pending output, zero or more
         * (default 10 s).
         *
         * @param closeTimeout the longest wait for pending output; past it the connection is
         *     closed with an error and the rest dropped. {@code null} or negative makes
         *     {@link #build()} throw
         * @return this builder, for chaining
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Changes the epoll-only settings, keeping those not touched:
         * {@code builder.epoll(epoll -> epoll.edgeTriggered(true))}. {@code settings} runs at
         * once, on the calling thread.
         *
         * @param settings changes the {@link Epoll.Builder} it is given; must not be null
         * @return this builder, for chaining
         * @throws IllegalArgumentException if {@code settings} is null
         */
        public Builder epoll(Consumer<? super Epoll.Builder> settings) {
            if (settings == null) {
                throw new IllegalArgumentException("epoll settings must not be null");
            }
            settings.accept(epoll);
            return this;
        }

        /**
         * Changes the timeouts of every connection and dial, keeping those not touched:
         * {@code builder.timeouts(t -> t.idle(Duration.ofSeconds(75)).read(Duration.ofSeconds(60)))}.
         * {@code settings} runs at once, on the calling thread; see {@link Timeouts}.
         *
         * @param settings changes the {@link Timeouts.Builder} it is given; must not be null
         * @return this builder, for chaining
         * @throws IllegalArgumentException if {@code settings} is null
         */
        public Builder timeouts(Consumer<? super Timeouts.Builder> settings) {
            if (settings == null) {
                throw new IllegalArgumentException("timeouts settings must not be null");
            }
            settings.accept(timeouts);
            return this;
        }

        /**
         * Changes how {@link Conn#offload} runs blocking work, keeping what is not touched:
         * {@code builder.offload(o -> o.executor(pool).maxPending(16))}. {@code settings} runs
         * at once, on the calling thread.
         *
         * @param settings changes the {@link Offload.Builder} it is given; must not be null
         * @return this builder, for chaining
         * @throws IllegalArgumentException if {@code settings} is null
         */
        public Builder offload(Consumer<? super Offload.Builder> settings) {
            if (settings == null) {
                throw new IllegalArgumentException("offload settings must not be null");
            }
            settings.accept(offload);
            return this;
        }

        /**
         * Changes what the engine watches and reports about its loops, keeping the settings not
         * touched: {@code builder.diagnostics(d -> d.blockedLoopThreshold(Duration.ofMillis(500)))}.
         * {@code settings} runs at once, on the calling thread.
         *
         * @param settings changes the {@link Diagnostics.Builder} it is given; must not be null
         * @return this builder, for chaining
         * @throws IllegalArgumentException if {@code settings} is null
         */
        public Builder diagnostics(Consumer<? super Diagnostics.Builder> settings) {
            if (settings == null) {
                throw new IllegalArgumentException("diagnostics settings must not be null");
            }
            settings.accept(diagnostics);
            return this;
        }

        /**
         * TLS for {@code tls://} listeners and dials (default none): listeners on
         * {@code tls://host:port} serve TLS with these settings next to plaintext {@code tcp://}
         * listeners of the same engine, and dials to {@code tls://} speak TLS with them.
         *
         * @param tls the settings, or null for none
         * @return this builder, for chaining
         */
        public Builder tls(Tls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * A socket option set on every listener before it binds, for example
         * {@code listenerOption(LinuxSocketOptions.TCP_FASTOPEN, 256)}, or
         * {@code listenerOption(StandardSocketOptions.SO_REUSEADDR, true)} to let several UDP
         * listeners share a port. Options the JDK defines ({@link java.net.StandardSocketOptions},
         * {@code jdk.net.ExtendedSocketOptions}) and {@link LinuxSocketOptions} are understood; a
         * transport that cannot set one fails the start with an
         * {@link UnsupportedOperationException} naming it.
         *
         * @param <T> the option's value type
         * @param option the option; must not be null
         * @param value its value, of the option's type (checked by {@link #build()}); {@code null}
         *     removes the option
         * @return this builder, for chaining
         */
        public <T> Builder listenerOption(SocketOption<T> option, T value) {
            put(listenerOptions, option, value);
            return this;
        }

        /**
         * A socket option set on every new connection, accepted, dialed or enrolled, after the
         * engine's own: {@code connectionOption(LinuxSocketOptions.TCP_USER_TIMEOUT, 30_000)}.
         * A dialed socket gets it before it connects. Understood as in {@link #listenerOption};
         * one a transport cannot set fails that connection (or dial) with an
         * {@link UnsupportedOperationException} naming it.
         *
         * @param <T> the option's value type
         * @param option the option; must not be null
         * @param value its value, of the option's type (checked by {@link #build()}); {@code null}
         *     removes the option
         * @return this builder, for chaining
         */
        public <T> Builder connectionOption(SocketOption<T> option, T value) {
            put(connectionOptions, option, value);
            return this;
        }

        private static void put(Map<SocketOption<?>, Object> options, SocketOption<?> option, Object value) {
            if (option == null) {
                throw new IllegalArgumentException("socket option must not be null");
            }
            if (value == null) {
                options.remove(option);
            } else {
                options.put(option, value);
            }
        }

        /**
         * Checks every value and returns the options.
         *
         * @return the options, immutable; the builder may be changed and built again afterwards
         * @throws IllegalArgumentException naming the first option whose value is invalid
         */
        public Options build() {
            return new Options(this);
        }
    }
}
