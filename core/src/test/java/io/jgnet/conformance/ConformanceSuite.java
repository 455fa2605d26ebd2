package io.jgnet.conformance;

import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviours every transport must show, written once over real sockets and run per
 * transport by a one-line subclass ({@link NioConformanceTest}, later epoll and io_uring).
 *
 * <p>The tests live in one interface per area ({@link EchoBehaviours}, {@link CloseBehaviours},
 * ...) so that each file stays readable; this class mixes them together and owns the engines a
 * test starts, stopping them afterwards. Each test runs in its own thread under a timeout so that
 * a hang shows as a failure; inside, every wait ends on an event and is bounded by
 * {@link Peers#GUARD}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ConformanceSuite implements EchoBehaviours, AsyncBehaviours, CloseBehaviours, BackpressureBehaviours,
        StopBehaviours, LoadBalancingBehaviours, ListenerBehaviours, ClientBehaviours, MisuseBehaviours,
        FlowBehaviours, RelayBehaviours, FailureBehaviours,
        DescriptorLimitBehaviours, AsyncOwnershipBehaviours, FileBehaviours, DatagramBehaviours,
        SocketOptionBehaviours, TlsBehaviours, FaultBehaviours, StatsBehaviours, OffloadBehaviours,
        TimeoutBehaviours, DirectMemoryBehaviours, GracefulStopBehaviours, TlsWithFeaturesBehaviours,
        FeatureStatsBehaviours {

    private final List<Engine> engines = new CopyOnWriteArrayList<>();

    @Override
    public abstract TransportKind transport();

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

    @AfterEach
    void stopEngines() throws InterruptedException {
        for (Engine engine : engines) {
            engine.stop(Duration.ofSeconds(10));
        }
    }
}
