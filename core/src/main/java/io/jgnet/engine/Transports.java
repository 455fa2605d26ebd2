package io.jgnet.engine;

import io.jgnet.TransportKind;
import io.jgnet.transport.Transport;
import io.jgnet.transport.epoll.EpollTransport;
import io.jgnet.transport.iouring.IoUringTransport;
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
        // Asked only when needed: probing io_uring sets up a ring.
        return switch (kind) {
            case NIO -> NioTransport.INSTANCE;
            case EPOLL -> choose(kind, null, EpollTransport.unavailableReason());
            case IO_URING -> choose(kind, IoUringTransport.unavailableReason(), null);
            case AUTO -> {
                String ioUringDenied = IoUringTransport.unavailableReason();
                Transport chosen = choose(kind, ioUringDenied,
                        ioUringDenied == null ? null : EpollTransport.unavailableReason());
                if (!autoChoiceLogged) {
                    autoChoiceLogged = true;
                    LOG.log(System.Logger.Level.INFO, why(chosen, ioUringDenied, EpollTransport.unavailableReason()));
                }
                yield chosen;
            }
        };
    }

    /**
     * The choice, given why io_uring and epoll are unavailable ({@code null}: available).
     *
     * @throws UnsupportedOperationException when the transport asked for is unavailable, with the reason
     */
    static Transport choose(TransportKind kind, String ioUringDenied, String epollDenied) {
        return switch (kind) {
            case NIO -> NioTransport.INSTANCE;
            case EPOLL -> {
                if (epollDenied != null) {
                    throw new UnsupportedOperationException("transport epoll is not available: " + epollDenied);
                }
                yield EpollTransport.INSTANCE;
            }
            case IO_URING -> {
                if (ioUringDenied != null) {
                    throw new UnsupportedOperationException("transport io_uring is not available: " + ioUringDenied);
                }
                yield IoUringTransport.INSTANCE;
            }
            case AUTO -> ioUringDenied == null ? IoUringTransport.INSTANCE
                    : epollDenied == null ? EpollTransport.INSTANCE : NioTransport.INSTANCE;
        };
    }

    /** The one log line for an automatic choice: what was picked and why the better ones were not. */
    static String why(Transport chosen, String ioUringDenied, String epollDenied) {
        if (chosen == IoUringTransport.INSTANCE) {
            return "jgnet transport: io_uring (auto: available)";
        }
        if (chosen == EpollTransport.INSTANCE) {
            return "jgnet transport: epoll (auto: io_uring unavailable: " + ioUringDenied + ")";
        }
        return "jgnet transport: nio (auto: io_uring unavailable: " + ioUringDenied
                + "; epoll unavailable: " + epollDenied + ")";
    }
}
