package io.jgnet.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The file behaviours on io_uring with files sent by IORING_OP_SPLICE through a pipe instead of
 * sendfile(2) ({@code -Djgnet.iouring.fileSending=splice}, read when a loop opens its ring);
 * skipped where io_uring is unavailable. On a kernel without the opcode the loop falls back to
 * sendfile(2) and these pass through that.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringSpliceFileConformanceTest implements FileBehaviours {
    private static final String PROPERTY = "jgnet.iouring.fileSending";
    private final List<Engine> engines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void spliceFiles() {
        assumeTrue(IoUringTransport.isAvailable(), () -> "io_uring unavailable: " + IoUringTransport.unavailableReason());
        System.setProperty(PROPERTY, "splice");
    }

    @AfterEach
    void stopEngines() throws InterruptedException {
        try {
            for (Engine engine : engines) {
                engine.stop(Duration.ofSeconds(10));
            }
        } finally {
            System.clearProperty(PROPERTY);
        }
    }

    @Override
    public TransportKind transport() {
        return TransportKind.IO_URING;
    }

    @Override
    public Engine serve(EventHandler handler, Options options, String... addresses) throws IOException {
        Engine engine = Jgnet.start(handler, List.of(addresses), options);
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
}
