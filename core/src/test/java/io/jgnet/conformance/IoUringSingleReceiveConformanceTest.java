package io.jgnet.conformance;

import io.jgnet.TransportKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The receive behaviours on io_uring as a kernel without multishot receive (before 6.0) or its
 * byte budget (before 6.17) runs them: stream sockets one receive at a time, datagram listeners
 * by a poll and recvfrom ({@code -Djgnet.iouring.receive=single}, read when a loop opens its
 * ring, and passed on to a server in a JVM of its own by {@link ServerJvm}). Such kernels fall
 * back by themselves; this one never does, so without this class a regression in that path would
 * go unseen. Skipped where io_uring is unavailable.
 */
class IoUringSingleReceiveConformanceTest extends SuiteEngines implements EchoBehaviours, BackpressureBehaviours,
        CloseBehaviours, FlowBehaviours, RelayBehaviours, ClientBehaviours, SuspendedReadingBehaviours,
        DatagramBehaviours, DatagramSuspensionBehaviours {
    static final String PROPERTY = "jgnet.iouring.receive";

    @Override
    public TransportKind transport() {
        return TransportKind.IO_URING;
    }

    /** Runs after the suite's io_uring check, so a skipped test leaves the property unset. */
    @BeforeEach
    void receiveOneAtATime() {
        System.setProperty(PROPERTY, "single");
    }

    /** The property is read when a loop opens its ring: clearing it before the engines stop is safe. */
    @AfterEach
    void multishotAgain() {
        System.clearProperty(PROPERTY);
    }
}
