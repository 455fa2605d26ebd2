package io.jgnet.transport.iouring;

import io.jgnet.Options;
import io.jgnet.linux.IoUringAvailability;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Transport;
import java.io.IOException;

/**
 * Linux io_uring called through the Foreign Function and Memory API: each loop submits its
 * sends, receives, accepts and closes and waits for their completions in one
 * {@code io_uring_enter} per iteration. Available when {@link IoUringAvailability} says so: the
 * kernel lets this process set up a ring with the features and opcodes the transport uses
 * (containers often deny io_uring). Stateless and thread-safe.
 */
public final class IoUringTransport implements Transport {
    /** The one instance. */
    public static final IoUringTransport INSTANCE = new IoUringTransport();

    private IoUringTransport() {
    }

    /**
     * Whether io_uring can be used here.
     *
     * @return true when a ring can be set up with what the transport needs
     */
    public static boolean isAvailable() {
        return IoUringAvailability.isAvailable();
    }

    /**
     * Why io_uring cannot be used here.
     *
     * @return the reason, or {@code null} if it can be used
     */
    public static String unavailableReason() {
        return IoUringAvailability.unavailableReason();
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public Poller openPoller(IoEvents events, Options options) throws IOException {
        return new IoUringPoller(events, options);
    }
}
