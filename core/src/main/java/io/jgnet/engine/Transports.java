package io.jgnet.engine;

import io.jgnet.TransportKind;
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
            case EPOLL, IO_URING -> throw new UnsupportedOperationException("transport "
                    + kind.name().toLowerCase() + " is not available in this build of jgnet yet; use nio or auto");
            case AUTO -> {
                if (!autoChoiceLogged) {
                    autoChoiceLogged = true;
                    LOG.log(System.Logger.Level.INFO, "jgnet transport: nio (the epoll and io_uring transports are not built yet)");
                }
                yield NioTransport.INSTANCE;
            }
        };
    }
}
