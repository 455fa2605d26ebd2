package io.jgnet;

import java.time.Duration;
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
    }

    /** The defaults: one loop, round-robin, nodelay on, keep-alive off, transport auto. */
    public static Options defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change a few. The loop count is carried as it was asked
     * for, so {@code Options.defaults().toBuilder().multicore(true)} gives one loop per core.
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ------------------------------------------------------------------------------ accessors

    /**
     * The number of event loops, resolved: as set with {@link Builder#loops(int)}, else one per
     * available core with {@link Builder#multicore(boolean)}, else 1.
     */
    public int loops() {
        return loops;
    }

    /** How a new connection picks its loop. */
    public LoadBalancing loadBalancing() {
        return loadBalancing;
    }

    /** SO_REUSEADDR on listeners. */
    public boolean reuseAddr() {
        return reuseAddr;
    }

    /**
     * SO_REUSEPORT: each loop gets its own listener and accepts for itself instead of one
     * acceptor handing connections out.
     */
    public boolean reusePort() {
        return reusePort;
    }

    /** The most bytes one read takes from a socket (the size of each loop's shared read buffer). */
    public int readBufferCap() {
        return readBufferCap;
    }

    /**
     * The most inbound bytes a connection may leave unconsumed; beyond it the connection is
     * closed with an error.
     */
    public int inboundBufferCap() {
        return inboundBufferCap;
    }

    /**
     * The most outbound bytes a connection may have waiting; beyond it the connection is closed
     * with an error.
     */
    public int writeBufferCap() {
        return writeBufferCap;
    }

    /** Above this many waiting bytes {@link Conn#isWritable()} turns false. */
    public int writeBufferHighWatermark() {
        return writeBufferHighWatermark;
    }

    /** Below this many waiting bytes {@link Conn#isWritable()} turns true again. */
    public int writeBufferLowWatermark() {
        return writeBufferLowWatermark;
    }

    /** Whether {@link EventHandler#onTick()} runs. */
    public boolean ticker() {
        return ticker;
    }

    /** TCP_NODELAY on new TCP connections. */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** Keep-alive idle time on new TCP connections, {@code null} for keep-alive off. */
    public Duration tcpKeepAliveIdle() {
        return tcpKeepAliveIdle;
    }

    /** Keep-alive probe interval (used when {@link #tcpKeepAliveIdle()} is set). */
    public Duration tcpKeepAliveInterval() {
        return tcpKeepAliveInterval;
    }

    /** Keep-alive probes before the connection is dropped (used when keep-alive is on). */
    public int tcpKeepAliveCount() {
        return tcpKeepAliveCount;
    }

    /** SO_SNDBUF in bytes on new sockets, 0 for the kernel's default. */
    public int socketSendBuffer() {
        return socketSendBuffer;
    }

    /** SO_RCVBUF in bytes on new sockets, 0 for the kernel's default. */
    public int socketReceiveBuffer() {
        return socketReceiveBuffer;
    }

    /** Which kernel interface the loops use. */
    public TransportKind transport() {
        return transport;
    }

    /** How long a closing connection may take to send what it wrote. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** The settings only the epoll transport reads; other transports ignore them. */
    public Epoll epoll() {
        return epoll;
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
                && epoll.equals(other.epoll);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestedLoops, multicore, loops, loadBalancing, reuseAddr, reusePort, readBufferCap,
                inboundBufferCap, writeBufferCap, writeBufferHighWatermark, writeBufferLowWatermark, ticker,
                tcpNoDelay, tcpKeepAliveIdle, tcpKeepAliveInterval, tcpKeepAliveCount, socketSendBuffer,
                socketReceiveBuffer, transport, closeTimeout, epoll);
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
                + ", epoll=" + epoll + "]";
    }

    private static void require(boolean ok, String option, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("option " + option + " " + rule + ", was " + value);
        }
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
         * Whether sockets are registered edge-triggered (one epoll_ctl per connection, none per
         * write stall) instead of level-triggered. Reads keep the same per-event cap either way,
         * so one busy connection cannot starve the others.
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

            /** Edge-triggered registration instead of level-triggered (default off). */
            public Builder edgeTriggered(boolean edgeTriggered) {
                this.edgeTriggered = edgeTriggered;
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

        private Builder() {
            this.epoll = new Epoll.Builder();
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
        }

        /**
         * The number of event loops, at most 1024; 0 (the default) means 1, or one per core with
         * {@link #multicore}.
         */
        public Builder loops(int loops) {
            this.loops = loops;
            return this;
        }

        /** One loop per available core when {@link #loops(int)} is 0 (default off). */
        public Builder multicore(boolean multicore) {
            this.multicore = multicore;
            return this;
        }

        /** How a new connection picks its loop (default round-robin). */
        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = loadBalancing;
            return this;
        }

        /** SO_REUSEADDR on listeners (default on). */
        public Builder reuseAddr(boolean reuseAddr) {
            this.reuseAddr = reuseAddr;
            return this;
        }

        /** SO_REUSEPORT: one listener per loop (default off). */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /** The most bytes one read takes from a socket, 512 B to 1 GiB (default 64 KiB). */
        public Builder readBufferCap(int bytes) {
            this.readBufferCap = bytes;
            return this;
        }

        /**
         * The most unconsumed inbound bytes per connection, from {@link #readBufferCap} to 1 GiB
         * (default 4 MiB).
         */
        public Builder inboundBufferCap(int bytes) {
            this.inboundBufferCap = bytes;
            return this;
        }

        /** The most outbound bytes waiting per connection, 1 B to 1 GiB (default 16 MiB). */
        public Builder writeBufferCap(int bytes) {
            this.writeBufferCap = bytes;
            return this;
        }

        /**
         * The writability watermarks: {@code 0 <= low < high <= writeBufferCap} (default 32 KiB
         * low, 64 KiB high).
         */
        public Builder writeBufferWatermarks(int low, int high) {
            this.writeBufferLowWatermark = low;
            this.writeBufferHighWatermark = high;
            return this;
        }

        /** Whether {@link EventHandler#onTick()} runs (default off). */
        public Builder ticker(boolean ticker) {
            this.ticker = ticker;
            return this;
        }

        /** TCP_NODELAY on new connections (default on). */
        public Builder tcpNoDelay(boolean noDelay) {
            this.tcpNoDelay = noDelay;
            return this;
        }

        /**
         * TCP keep-alive on new connections: idle time and probe interval of at least 1 second,
         * 1 to 127 probes; {@code idle == null} turns it off (the default).
         */
        public Builder tcpKeepAlive(Duration idle, Duration interval, int count) {
            this.tcpKeepAliveIdle = idle;
            this.tcpKeepAliveInterval = interval;
            this.tcpKeepAliveCount = count;
            return this;
        }

        /** SO_SNDBUF and SO_RCVBUF on new sockets; 0 keeps the kernel's default (the default). */
        public Builder socketBuffers(int sendBytes, int receiveBytes) {
            this.socketSendBuffer = sendBytes;
            this.socketReceiveBuffer = receiveBytes;
            return this;
        }

        /** Which transport to use (default {@link TransportKind#AUTO}). */
        public Builder transport(TransportKind transport) {
            this.transport = transport;
            return this;
        }

        /**
         * How long a closing connection may take to send its pending output, zero or more
         * (default 10 s).
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
         * Checks every value and returns the options.
         *
         * @throws IllegalArgumentException naming the first option whose value is invalid
         */
        public Options build() {
            return new Options(this);
        }
    }
}
