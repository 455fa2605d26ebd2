package io.jgnet.transport.epoll;

import io.jgnet.Options;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Transport;
import io.jgnet.linux.Linux;
import java.io.IOException;

/**
 * Linux epoll called through the Foreign Function and Memory API: no Selector, no selected-key
 * sets, no JNI library. Available when {@link Linux#isAvailable()} says so. Stateless and
 * thread-safe.
 */
public final class EpollTransport implements Transport {
    /** The one instance. */
    public static final EpollTransport INSTANCE = new EpollTransport();

    private EpollTransport() {
    }

    /** Whether epoll can be used here. */
    public static boolean isAvailable() {
        return Linux.isAvailable();
    }

    /** Why epoll cannot be used here, or {@code null} if it can. */
    public static String unavailableReason() {
        return Linux.unavailableReason();
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public Poller openPoller(IoEvents events, Options options) throws IOException {
        return new EpollPoller(events, options.readBufferCap(), options.epoll().edgeTriggered());
    }
}
