package io.jgnet;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything an engine can be tuned with, as one immutable value. Build it with
 * {@link #builder()}; {@link Builder#build()} checks every value and names the option at fault.
 * {@code Options.defaults()} suits most servers.
 *
 * <p>Immutable; safe to share between threads and engines.
 *
 * @param loops                     the number of event loops (resolved: at least 1)
 * @param loadBalancing             how a new connection picks its loop
 * @param reuseAddr                 SO_REUSEADDR on listeners
 * @param reusePort                 SO_REUSEPORT: each loop gets its own listener and accepts for
 *                                  itself instead of one acceptor handing connections out
 * @param readBufferCap             the most bytes one read takes from a socket (the size of
 *                                  each loop's shared read buffer)
 * @param inboundBufferCap          the most inbound bytes a connection may leave unconsumed;
 *                                  beyond it the connection is closed with an error
 * @param writeBufferCap            the most outbound bytes a connection may have waiting;
 *                                  beyond it the connection is closed with an error
 * @param writeBufferHighWatermark  above this many waiting bytes {@link Conn#isWritable()} turns false
 * @param writeBufferLowWatermark   below this many it turns true again
 * @param ticker                    whether {@link EventHandler#onTick()} runs
 * @param tcpNoDelay                TCP_NODELAY on new TCP connections
 * @param tcpKeepAliveIdle          keep-alive idle time on new TCP connections, {@code null} for off
 * @param tcpKeepAliveInterval      keep-alive probe interval
 * @param tcpKeepAliveCount         keep-alive probes before the connection is dropped
 * @param socketSendBuffer          SO_SNDBUF in bytes, 0 for the kernel's default
 * @param socketReceiveBuffer       SO_RCVBUF in bytes, 0 for the kernel's default
 * @param transport                 which kernel interface to use
 * @param closeTimeout              how long a closing connection may take to send what it wrote
 * @param edgeTriggered             epoll only: register sockets edge-triggered (one epoll_ctl per
 *                                  connection, none per write stall), with the same per-event
 *                                  read cap, so one busy connection cannot starve the others;
 *                                  other transports ignore it
 */
public record Options(
        int loops,
        LoadBalancing loadBalancing,
        boolean reuseAddr,
        boolean reusePort,
        int readBufferCap,
        int inboundBufferCap,
        int writeBufferCap,
        int writeBufferHighWatermark,
        int writeBufferLowWatermark,
        boolean ticker,
        boolean tcpNoDelay,
        Duration tcpKeepAliveIdle,
        Duration tcpKeepAliveInterval,
        int tcpKeepAliveCount,
        int socketSendBuffer,
        int socketReceiveBuffer,
        TransportKind transport,
        Duration closeTimeout,
        boolean edgeTriggered) {

    /**
     * The defaults: one loop, round-robin, nodelay on, keep-alive off, transport auto.
     *
     * @return the default options
     */
    public static Options defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to change a few.
     *
     * @return a new builder with these values
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.loops = loops;
        b.multicore = false;
        b.loadBalancing = loadBalancing;
        b.reuseAddr = reuseAddr;
        b.reusePort = reusePort;
        b.readBufferCap = readBufferCap;
        b.inboundBufferCap = inboundBufferCap;
        b.writeBufferCap = writeBufferCap;
        b.writeBufferHighWatermark = writeBufferHighWatermark;
        b.writeBufferLowWatermark = writeBufferLowWatermark;
        b.ticker = ticker;
        b.tcpNoDelay = tcpNoDelay;
        b.tcpKeepAliveIdle = tcpKeepAliveIdle;
        b.tcpKeepAliveInterval = tcpKeepAliveInterval;
        b.tcpKeepAliveCount = tcpKeepAliveCount;
        b.socketSendBuffer = socketSendBuffer;
        b.socketReceiveBuffer = socketReceiveBuffer;
        b.transport = transport;
        b.closeTimeout = closeTimeout;
        b.edgeTriggered = edgeTriggered;
        return b;
    }

    /**
     * Collects option values; {@link #build()} validates them. Not thread-safe: use one builder
     * from one thread.
     */
    public static final class Builder {
        private static final int KIB = 1024;
        private static final int MIB = 1024 * KIB;
        /** Below this a read buffer costs more syscalls than it saves memory. */
        private static final int MIN_READ_BUFFER = 512;
        /** A direct buffer larger than this is a configuration mistake, not a need. */
        private static final int MAX_BUFFER = 1 << 30;

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
        private boolean edgeTriggered;

        private Builder() {
        }

        /**
         * The number of event loops; 0 (the default) means 1, or one per core with {@link #multicore}.
         *
         * @param loops the loop count, 0 for the default
         * @return this builder
         */
        public Builder loops(int loops) {
            this.loops = loops;
            return this;
        }

        /**
         * One loop per available core when {@link #loops(int)} is 0.
         *
         * @param multicore whether 0 loops means one per core
         * @return this builder
         */
        public Builder multicore(boolean multicore) {
            this.multicore = multicore;
            return this;
        }

        /**
         * How a new connection picks its loop (default round-robin).
         *
         * @param loadBalancing the policy
         * @return this builder
         */
        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = loadBalancing;
            return this;
        }

        /**
         * SO_REUSEADDR on listeners (default on).
         *
         * @param reuseAddr whether to set it
         * @return this builder
         */
        public Builder reuseAddr(boolean reuseAddr) {
            this.reuseAddr = reuseAddr;
            return this;
        }

        /**
         * SO_REUSEPORT: one listener per loop (default off).
         *
         * @param reusePort whether to set it
         * @return this builder
         */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /**
         * The most bytes one read takes from a socket (default 64 KiB).
         *
         * @param bytes the cap, 512 B to 1 GiB
         * @return this builder
         */
        public Builder readBufferCap(int bytes) {
            this.readBufferCap = bytes;
            return this;
        }

        /**
         * The most unconsumed inbound bytes per connection (default 4 MiB).
         *
         * @param bytes the cap, at least the read buffer cap
         * @return this builder
         */
        public Builder inboundBufferCap(int bytes) {
            this.inboundBufferCap = bytes;
            return this;
        }

        /**
         * The most outbound bytes waiting per connection (default 16 MiB).
         *
         * @param bytes the cap; more pending output closes the connection
         * @return this builder
         */
        public Builder writeBufferCap(int bytes) {
            this.writeBufferCap = bytes;
            return this;
        }

        /**
         * The writability watermarks (default 32 KiB low, 64 KiB high).
         *
         * @param low  below this many pending bytes the connection is writable again
         * @param high above this many it is not
         * @return this builder
         */
        public Builder writeBufferWatermarks(int low, int high) {
            this.writeBufferLowWatermark = low;
            this.writeBufferHighWatermark = high;
            return this;
        }

        /**
         * Whether {@link EventHandler#onTick()} runs (default off).
         *
         * @param ticker whether to tick
         * @return this builder
         */
        public Builder ticker(boolean ticker) {
            this.ticker = ticker;
            return this;
        }

        /**
         * TCP_NODELAY on new connections (default on).
         *
         * @param noDelay whether to set it
         * @return this builder
         */
        public Builder tcpNoDelay(boolean noDelay) {
            this.tcpNoDelay = noDelay;
            return this;
        }

        /**
         * TCP keep-alive on new connections; {@code idle == null} turns it off (the default).
         *
         * @param idle     idle time before the first probe, or {@code null} for off
         * @param interval time between probes
         * @param count    unanswered probes before the connection is dropped
         * @return this builder
         */
        public Builder tcpKeepAlive(Duration idle, Duration interval, int count) {
            this.tcpKeepAliveIdle = idle;
            this.tcpKeepAliveInterval = interval;
            this.tcpKeepAliveCount = count;
            return this;
        }

        /**
         * SO_SNDBUF and SO_RCVBUF on new sockets; 0 keeps the kernel's default.
         *
         * @param sendBytes    SO_SNDBUF, or 0
         * @param receiveBytes SO_RCVBUF, or 0
         * @return this builder
         */
        public Builder socketBuffers(int sendBytes, int receiveBytes) {
            this.socketSendBuffer = sendBytes;
            this.socketReceiveBuffer = receiveBytes;
            return this;
        }

        /**
         * Which transport to use (default {@link TransportKind#AUTO}).
         *
         * @param transport the transport kind
         * @return this builder
         */
        public Builder transport(TransportKind transport) {
            this.transport = transport;
            return this;
        }

        /**
         * How long a closing connection may take to send its pending output (default 10 s).
         *
         * @param closeTimeout the longest a close waits
         * @return this builder
         */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * epoll only: edge-triggered registration instead of level-triggered (default off).
         *
         * @param edgeTriggered whether to register edge-triggered
         * @return this builder
         */
        public Builder edgeTriggered(boolean edgeTriggered) {
            this.edgeTriggered = edgeTriggered;
            return this;
        }

        /**
         * Checks every value and returns the options.
         *
         * @return the options, immutable
         * @throws IllegalArgumentException naming the first option whose value is invalid
         */
        public Options build() {
            require(loops >= 0, "loops", "must be >= 0", loops);
            require(loops <= 1024, "loops", "must be <= 1024", loops);
            requireNonNull(loadBalancing, "loadBalancing");
            requireNonNull(transport, "transport");
            require(readBufferCap >= MIN_READ_BUFFER && readBufferCap <= MAX_BUFFER,
                    "readBufferCap", "must be between " + MIN_READ_BUFFER + " and " + MAX_BUFFER, readBufferCap);
            require(inboundBufferCap >= readBufferCap && inboundBufferCap <= MAX_BUFFER,
                    "inboundBufferCap", "must be between readBufferCap (" + readBufferCap + ") and " + MAX_BUFFER,
                    inboundBufferCap);
            require(writeBufferCap > 0 && writeBufferCap <= MAX_BUFFER,
                    "writeBufferCap", "must be between 1 and " + MAX_BUFFER, writeBufferCap);
            require(writeBufferLowWatermark >= 0, "writeBufferLowWatermark", "must be >= 0", writeBufferLowWatermark);
            require(writeBufferHighWatermark > writeBufferLowWatermark, "writeBufferHighWatermark",
                    "must be greater than the low watermark (" + writeBufferLowWatermark + ")", writeBufferHighWatermark);
            require(writeBufferHighWatermark <= writeBufferCap, "writeBufferHighWatermark",
                    "must be <= writeBufferCap (" + writeBufferCap + ")", writeBufferHighWatermark);
            if (tcpKeepAliveIdle != null) {
                require(!tcpKeepAliveIdle.isNegative() && tcpKeepAliveIdle.toSeconds() >= 1,
                        "tcpKeepAliveIdle", "must be at least 1 second", tcpKeepAliveIdle);
                requireNonNull(tcpKeepAliveInterval, "tcpKeepAliveInterval");
                require(tcpKeepAliveInterval.toSeconds() >= 1, "tcpKeepAliveInterval",
                        "must be at least 1 second", tcpKeepAliveInterval);
                require(tcpKeepAliveCount >= 1 && tcpKeepAliveCount <= 127, "tcpKeepAliveCount",
                        "must be between 1 and 127", tcpKeepAliveCount);
            }
            require(socketSendBuffer >= 0, "socketSendBuffer", "must be >= 0", socketSendBuffer);
            require(socketReceiveBuffer >= 0, "socketReceiveBuffer", "must be >= 0", socketReceiveBuffer);
            requireNonNull(closeTimeout, "closeTimeout");
            require(!closeTimeout.isNegative(), "closeTimeout", "must not be negative", closeTimeout);
            int resolvedLoops = loops > 0 ? loops : multicore ? Runtime.getRuntime().availableProcessors() : 1;
            return new Options(resolvedLoops, loadBalancing, reuseAddr, reusePort, readBufferCap,
                    inboundBufferCap, writeBufferCap, writeBufferHighWatermark, writeBufferLowWatermark,
                    ticker, tcpNoDelay, tcpKeepAliveIdle, tcpKeepAliveInterval, tcpKeepAliveCount,
                    socketSendBuffer, socketReceiveBuffer, transport, closeTimeout, edgeTriggered);
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
    }

    /** Rejects values the builder would reject, for records built directly. */
    public Options {
        Objects.requireNonNull(loadBalancing, "loadBalancing");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (loops < 1) {
            throw new IllegalArgumentException("option loops must be >= 1, was " + loops);
        }
    }
}
