package io.jgnet.transport;

import io.jgnet.Options;
import java.io.IOException;

/**
 * A kind of transport (nio, epoll, io_uring): the factory for the pollers of an engine's loops.
 * Stateless and thread-safe.
 */
public interface Transport {

    /** The name users see: {@code "nio"}, {@code "epoll"}, {@code "io_uring"}. */
    String name();

    /**
     * Opens the poller of one loop. {@code events} receives everything the poller sees; it is
     * called only on the loop thread, from inside {@link Poller#poll}.
     */
    Poller openPoller(IoEvents events, Options options) throws IOException;
}
