package io.jgnet.examples.redis;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RedisServer} on 127.0.0.1 and a free port, whose clock the test moves by hand, so
 * expiry is tested without waiting. Close it to stop the engine.
 */
final class TestRedis implements AutoCloseable {
    /** Far from 0, so that "expires at or before now" never meets the start of time. */
    private final AtomicLong millis = new AtomicLong(1_000_000);
    final RedisServer server;
    final Engine engine;

    private TestRedis(RedisConfig config, Options base) throws IOException {
        server = new RedisServer(config, millis::get);
        engine = Jgnet.start(server, "tcp://127.0.0.1:0", server.options(base));
    }

    /** The default limits, a fast sweep, two loops of the best transport. */
    static TestRedis start() throws IOException {
        return start(config(RedisConfig.defaults()));
    }

    static TestRedis start(RedisConfig config) throws IOException {
        return start(config, Options.builder().loops(2).build());
    }

    /** The default limits on two loops of {@code transport}. */
    static TestRedis start(TransportKind transport) throws IOException {
        return start(config(RedisConfig.defaults()), Options.builder().loops(2).transport(transport).build());
    }

    /** {@code config} on an engine built from {@code base} as {@link RedisServer#options} adjusts it. */
    static TestRedis start(RedisConfig config, Options base) throws IOException {
        return new TestRedis(config, base);
    }

    /** {@code base} with a sweep every 5 ms, so a test that waits for the sweep waits little. */
    static RedisConfig config(RedisConfig base) {
        return new RedisConfig(base.maxBulkLength(), base.maxRequestLength(), base.maxArrayLength(),
                base.maxInlineLength(), Duration.ofMillis(5), base.sweepBudget());
    }

    /** Moves the server's clock forward. */
    void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) engine.listenAddresses().getFirst();
    }

    int port() {
        return address().getPort();
    }

    @Override
    public void close() {
        try {
            engine.stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
