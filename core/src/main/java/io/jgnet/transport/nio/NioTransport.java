package io.jgnet.transport.nio;

import io.jgnet.Options;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Transport;
import java.io.IOException;

/**
 * The portable transport: a java.nio {@link java.nio.channels.Selector} per loop. Always
 * available; the fallback when the Linux transports are not. Stateless and thread-safe.
 */
public final class NioTransport implements Transport {
    /** The one instance. */
    public static final NioTransport INSTANCE = new NioTransport();

    private NioTransport() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public Poller openPoller(IoEvents events, Options options) throws IOException {
        return new NioPoller(events, options.readBufferCap());
    }
}
