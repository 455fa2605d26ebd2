package io.jgnet.conformance;

import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.transport.iouring.IoUringTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Harness} of the conformance suites: owns the engines a test starts and stops them
 * afterwards. Each test runs in its own thread under a timeout so that a hang shows as a
 * failure; inside, every wait ends on an event and is bounded by {@link Peers#GUARD}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class SuiteEngines implements Harness {

    private final List<Engine> engines = new CopyOnWriteArrayList<>();

    @Override
    public abstract TransportKind transport();

    @Override
    public Engine serve(EventHandler handler, Options options, String... addresses) throws IOException {
        Engine engine = start(handler, options, addresses);
        engines.add(engine);
        return engine;
    }

    @Override
    public Engine client(EventHandler handler, Options options) throws IOException {
        Engine engine = Jgnet.client(handler, options);
        engines.add(engine);
        return engine;
    }

    @Override
    public void track(Engine engine) {
        engines.add(engine);
    }

    /** Skips, with the reason, where the transport under test is unavailable (io_uring on an old or locked-down kernel). */
    @BeforeEach
    void requireTransport() {
        if (transport() == TransportKind.IO_URING) {
            Assumptions.assumeTrue(IoUringTransport.isAvailable(),
                    () -> "io_uring unavailable: " + IoUringTransport.unavailableReason());
        }
    }

    /** A test abandoned at its timeout never reached its server JVM's close: kill it here. */
    @AfterEach
    void killServerJvms() {
        ServerJvm.killAll();
    }

    @AfterEach
    void stopEngines() throws InterruptedException {
        for (Engine engine : engines) {
            engine.stop(Duration.ofSeconds(10));
        }
    }
}
