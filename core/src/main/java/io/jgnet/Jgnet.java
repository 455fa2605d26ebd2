package io.jgnet;

import io.jgnet.engine.LoopGroup;
import java.io.IOException;
import java.util.List;

/**
 * Entry points: serve addresses with a handler, or start a client engine that dials.
 *
 * <pre>{@code
 * Jgnet.run(new EventHandler() {
 *     public Action onTraffic(Conn c) {
 *         c.write(c.next(-1));
 *         return Action.NONE;
 *     }
 * }, "tcp://127.0.0.1:9000", Options.defaults());
 * }</pre>
 *
 * <p>All methods are safe from any thread but a loop thread.
 */
public final class Jgnet {
    private Jgnet() {
    }

    /**
     * Serves {@code address} and blocks until the engine stops (by {@link Engine#stop} from
     * another thread, or a callback returning {@link Action#SHUTDOWN}).
     *
     * @throws IllegalArgumentException for a bad address
     * @throws IOException              if the address cannot be bound
     */
    public static void run(EventHandler handler, String address, Options options)
            throws IOException, InterruptedException {
        start(handler, options, address).awaitTermination();
    }

    /**
     * Serves several addresses (stream and datagram, mixed) with one handler and blocks until the
     * engine stops, as gnet's {@code Rotate}.
     */
    public static void rotate(EventHandler handler, List<String> addresses, Options options)
            throws IOException, InterruptedException {
        start(handler, options, addresses.toArray(String[]::new)).awaitTermination();
    }

    /**
     * Binds every address, calls {@link EventHandler#onBoot}, starts the loops, and returns the
     * running engine without blocking. Stop it with {@link Engine#stop}.
     *
     * @throws IllegalArgumentException for a bad address or a null handler or options
     * @throws IOException              if an address cannot be bound (nothing is left running)
     */
    public static Engine start(EventHandler handler, Options options, String... addresses) throws IOException {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("give at least one address to serve; for dialing only use Jgnet.client");
        }
        return LoopGroup.start(handler, options, List.of(addresses));
    }

    /**
     * Starts an engine with loops and no listeners, to {@link Engine#dial} or
     * {@link Engine#enroll} connections that the same handler model serves.
     */
    public static Engine client(EventHandler handler, Options options) throws IOException {
        return LoopGroup.start(handler, options, List.of());
    }
}
