package io.jgnet.conformance;

/**
 * The behaviours every transport must show, written once over real sockets and run per
 * transport by a one-line subclass ({@link NioConformanceTest}, later epoll and io_uring).
 *
 * <p>The tests live in one interface per area ({@link EchoBehaviours}, {@link CloseBehaviours},
 * ...) so that each file stays readable; this class mixes them together, and {@link SuiteEngines}
 * owns the engines a test starts. {@link TlsConformanceSuite} runs some of them again over TLS.
 */
abstract class ConformanceSuite extends SuiteEngines implements EchoBehaviours, AsyncBehaviours, CloseBehaviours, BackpressureBehaviours,
        StopBehaviours, LoadBalancingBehaviours, ListenerBehaviours, ClientBehaviours, MisuseBehaviours,
        FlowBehaviours, RelayBehaviours, FailureBehaviours,
        DescriptorLimitBehaviours, AsyncOwnershipBehaviours, FileBehaviours, DatagramBehaviours,
        SocketOptionBehaviours, TlsBehaviours, FaultBehaviours, StatsBehaviours, OffloadBehaviours,
        TimeoutBehaviours, DirectMemoryBehaviours, GracefulStopBehaviours, TlsWithFeaturesBehaviours,
        FeatureStatsBehaviours, SuspendedReadingBehaviours, DatagramSuspensionBehaviours {
}
