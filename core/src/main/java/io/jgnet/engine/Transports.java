package io.jgnet.engine;

import io.jgnet.transport.Transport;
import io.jgnet.TransportKind;
import io.jgnet.transport.epoll.EpollTransport;
import io.jgnet.transport.nio.NioTransport;

/**
 * Chooses the transport for an engine: the one asked for, or for {@link TransportKind#AUTO} the
 * best available (io_uring, then epoll, then nio), saying once in the log what it chose and why.
 * Thread-safe.
 */
final class Transports {
    private static final System.Logger LOG = System.getLogger("io.jgnet");
    private static volatile boolean autoChoiceLogged;

    private Transports() {
    }

    static Transport choose(TransportKind kind) {
        return switch (kind) {
            case NIO -> NioTransport.INSTANCE;
            case EPOLL -> {
                if (!EpollTransport.isAvailable()) {
                    throw new UnsupportedOperationException("transport epoll is not available: "
                            + EpollTransport.unavailableReason());
                }
                yield EpollTransport.INSTANCE;
            }
            case IO_URING -> throw new UnsupportedOperationException(
                    "transport io_uring is not available in this build of jgnet yet; use epoll, nio or auto");
            case AUTO -> {
                Transport chosen = EpollTransport.isAvailable() ? EpollTransport.INSTANCE : NioTransport.INSTANCE;
                if (!autoChoiceLogged) {
                    autoChoiceLogged = true;
                    LOG.log(System.Logger.Level.INFO, chosen == NioTransport.INSTANCE
                            ? "jgnet transport: nio (epoll unavailable: " + EpollTransport.unavailableReason() + ")"
                            : "jgnet transport: epoll (io_uring is not built yet)");
                }
                yield chosen;
            }
        };
    }
}
