package io.jgnet;

import io.jgnet.engine.LoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry points: serve addresses with a handler, or start a client engine that dials. Every one
 * takes its arguments in the same order, as gnet's {@code Run(handler, addr, opts)}: the handler,
 * then the address or addresses, then the options; leaving the options out means
 * {@link Options#defaults()}.
 *
 * <pre>{@code
 * Jgnet.run(new EventHandler() {
 *     public Action onTraffic(Conn c) {
 *         c.write(c.next(-1));
 *         return Action.NONE;
 *     }
 * }, "tcp://127.0.0.1:9000");
 * }</pre>
 *
 * <p>Addresses are strings as in gnet, the scheme in any case: {@code tcp://host:port},
 * {@code tcp4://}, {@code tcp6://[::1]:port}, {@code udp://host:port}, {@code udp4://},
 * {@code udp6://} and {@code unix:///path/to.sock}; port 0 binds any free port (see
 * {@link Engine#listenAddresses()}).
 *
 * <h2>Threading and ownership</h2>
 * Every method may be called from any thread but an event loop thread (a loop cannot wait for an
 * engine to start or stop). The handler is shared by every loop of the engine and called from
 * their threads (see {@link EventHandler}); the engine owns every socket it binds, accepts or
 * dials, and closes them when it stops.
 *
 * <h2>Errors</h2>
 * A null handler, options or address, an empty address list and a malformed address are
 * {@link IllegalArgumentException}s saying what is wrong; a transport that cannot run here is an
 * {@link UnsupportedOperationException}; an address that cannot be bound is an
 * {@link IOException}. In every case nothing is left running.
 */
public final class Jgnet {
    private Jgnet() {
    }

    /**
     * {@link #run(EventHandler, String, Options)} with {@link Options#defaults()}.
     *
     * @param handler the callbacks, shared by every connection; must not be null
     * @param address the address to serve, for example {@code tcp://127.0.0.1:9000}
     * @throws IOException          if the address cannot be bound or an event loop's poller
     *                              cannot be opened (nothing is left running)
     * @throws InterruptedException if the calling thread is interrupted while it waits for the
     *                              engine to stop; the engine keeps running
     */
    public static void run(EventHandler handler, String address) throws IOException, InterruptedException {
        run(handler, address, Options.defaults());
    }

    /**
     * Serves {@code address} and blocks until the engine stops (by {@link Engine#stop} from
     * another thread, or a callback returning {@link Action#SHUTDOWN}). Throws as
     * {@link #start(EventHandler, String, Options)}.
     *
     * @param handler the callbacks, shared by every connection
     * @param address the address to serve, for example {@code tcp://127.0.0.1:9000}
     * @param options the engine's options, for example {@link Options#defaults()}
     * @throws IOException          if the address cannot be bound or an event loop's poller
     *                              cannot be opened (nothing is left running)
     * @throws InterruptedException if the calling thread is interrupted while it waits for the
     *                              engine to stop; the engine keeps running
     */
    public static void run(EventHandler handler, String address, Options options)
            throws IOException, InterruptedException {
        start(handler, address, options).awaitTermination();
    }

    /**
     * {@link #rotate(EventHandler, List, Options)} with {@link Options#defaults()}.
     *
     * @param handler   the callbacks, shared by every connection; must not be null
     * @param addresses the addresses to serve, at least one, bound in the order given
     * @throws IOException          if an address cannot be bound or an event loop's poller
     *                              cannot be opened (nothing is left running)
     * @throws InterruptedException if the calling thread is interrupted while it waits for the
     *                              engine to stop; the engine keeps running
     */
    public static void rotate(EventHandler handler, List<String> addresses) throws IOException, InterruptedException {
        rotate(handler, addresses, Options.defaults());
    }

    /**
     * Serves several addresses (stream and datagram, mixed) with one handler and blocks until the
     * engine stops, as gnet's {@code Rotate}. Throws as {@link #start(EventHandler, List, Options)}.
     *
     * @param handler   the callbacks, shared by every connection
     * @param addresses the addresses to serve, at least one, bound in the order given
     * @param options   the engine's options
     * @throws IOException          if an address cannot be bound or an event loop's poller
     *                              cannot be opened (nothing is left running)
     * @throws InterruptedException if the calling thread is interrupted while it waits for the
     *                              engine to stop; the engine keeps running
     */
    public static void rotate(EventHandler handler, List<String> addresses, Options options)
            throws IOException, InterruptedException {
        start(handler, addresses, options).awaitTermination();
    }

    /**
     * {@link #start(EventHandler, String, Options)} with {@link Options#defaults()}.
     *
     * @param handler the callbacks, shared by every connection; must not be null
     * @param address the address to serve, for example {@code tcp://127.0.0.1:9000}
     * @return the running engine; the caller stops it with {@link Engine#stop}
     * @throws IOException if the address cannot be bound or an event loop's poller cannot be
     *                     opened (nothing is left running)
     */
    public static Engine start(EventHandler handler, String address) throws IOException {
        return start(handler, address, Options.defaults());
    }

    /**
     * Binds {@code address}, calls {@link EventHandler#onBoot}, starts the loops, and returns the
     * running engine without blocking. Stop it with {@link Engine#stop}.
     *
     * @param handler the callbacks, shared by every connection
     * @param address the address to serve, for example {@code tcp://127.0.0.1:9000}
     * @param options the engine's options
     * @return the running engine
     * @throws IllegalArgumentException      for a null handler, options or address, or a bad address
     * @throws UnsupportedOperationException if the transport asked for cannot run here:
     *                                       {@link TransportKind#EPOLL} off Linux or without native
     *                                       access, {@link TransportKind#IO_URING} also where the
     *                                       kernel or a sandbox denies io_uring; the message says
     *                                       why (use {@link TransportKind#AUTO} to take the best
     *                                       available)
     * @throws IOException                   if the address cannot be bound or an event loop's poller
     *                                       cannot be opened (nothing is left running)
     */
    public static Engine start(EventHandler handler, String address, Options options) throws IOException {
        // Arrays.asList takes a null address, which the engine then names as a bad address.
        return start(handler, Arrays.asList(address), options);
    }

    /**
     * Like {@link #start(EventHandler, String, Options)} for several addresses (stream and
     * datagram, mixed) served by one handler, bound in the order given.
     *
     * @param handler   the callbacks, shared by every connection
     * @param addresses the addresses to serve, at least one; the list is copied, so changing it
     *                  afterwards has no effect
     * @param options   the engine's options
     * @return the running engine, serving every address; the caller stops it with
     *         {@link Engine#stop}
     * @throws IllegalArgumentException      for a null handler, options, list or address, an empty
     *                                       list, or a bad address
     * @throws UnsupportedOperationException as {@link #start(EventHandler, String, Options)}
     * @throws IOException                   if an address cannot be bound or an event loop's poller
     *                                       cannot be opened (nothing is left running)
     */
    public static Engine start(EventHandler handler, List<String> addresses, Options options) throws IOException {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException(
                    "give at least one address to serve, was " + addresses + "; for dialing only use Jgnet.client");
        }
        // Not List.copyOf: that throws a bare NullPointerException for a null address, which
        // the engine reports as a bad address instead.
        return LoopGroup.start(handler, options, new ArrayList<>(addresses));
    }

    /**
     * {@link #client(EventHandler, Options)} with {@link Options#defaults()}.
     *
     * @param handler the callbacks, shared by every connection; must not be null
     * @return the running engine, with no listener; the caller stops it with {@link Engine#stop}
     * @throws IOException if an event loop's poller cannot be opened
     */
    public static Engine client(EventHandler handler) throws IOException {
        return client(handler, Options.defaults());
    }

    /**
     * Starts an engine with loops and no listeners, to {@link Engine#dial} or
     * {@link Engine#enroll} connections that the same handler model serves. Throws as
     * {@link #start(EventHandler, String, Options)}.
     *
     * @param handler the callbacks, shared by every connection
     * @param options the engine's options
     * @return the running engine, with no listener; the caller stops it with {@link Engine#stop}
     * @throws IOException if an event loop's poller (an epoll instance or a Selector) cannot be
     *                     opened
     */
    public static Engine client(EventHandler handler, Options options) throws IOException {
        return LoopGroup.start(handler, options, List.of());
    }
}
