package io.jgnet.engine;

import io.jgnet.transport.Transport;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Address;
import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.EventLoop;
import io.jgnet.LoopStats;
import io.jgnet.Options;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine behind {@link Engine}: a group of {@link Loop}s, an optional acceptor loop, the
 * listeners and the stop sequence.
 *
 * <p>Listeners are bound on the starting thread before any loop runs, so a bind failure is
 * reported by {@link #start} itself. Without reusePort one acceptor loop owns every stream
 * listener and hands each accepted socket to a loop picked by the load balancer (an engine of
 * one loop has no acceptor: that loop owns the listeners and keeps what it accepts); with
 * reusePort every loop binds its own listener and keeps what it accepts. A UDP listener lives on
 * loop 0, or on every loop with reusePort.
 *
 * <p>Thread-safe: the public methods may be called from any thread except where
 * {@link Engine} says otherwise.
 */
public final class LoopGroup implements Engine {

    final EventHandler handler;
    final Options options;
    private final Transport transport;
    private final Clock clock;
    private final List<Loop> loops = new ArrayList<>();
    private Loop acceptor;
    private final LoadBalancer<Loop> balancer;
    private final List<SocketAddress> listenAddresses = new ArrayList<>();
    /** Per listen address: the Conn of its datagram listener, or null for a stream listener. */
    private final List<Conn> datagramListeners = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean cut;
    /** How many connections the stop closed at its deadline before the peer had all their output. */
    private final AtomicInteger connectionsCut = new AtomicInteger();
    /** Null when the blocked-loop threshold is zero, or before the loops start. */
    private BlockedLoopWatcher watcher;
    /** Why a loop could not go on, if one failed; the engine then stops. */
    private volatile Throwable failure;

    private LoopGroup(EventHandler handler, Options options, Transport transport, Clock clock) throws IOException {
        this.handler = handler;
        this.options = options;
        this.transport = transport;
        this.clock = clock;
        try {
            for (int i = 0; i < options.loops(); i++) {
                loops.add(new Loop(this, i, transport, "jgnet-loop-" + i));
            }
        } catch (IOException | RuntimeException e) {
            // A later loop's poller failed to open (out of descriptors, say): the pollers opened
            // so far hold descriptors of their own and must not outlive the failed start.
            for (Loop opened : loops) {
                opened.abandon();
            }
            throw e;
        }
        this.balancer = LoadBalancer.of(options.loadBalancing(), loops, Loop::load);
    }

    /**
     * Binds every address, calls onBoot, and starts the loops. Returns once the engine serves.
     *
     * @throws IllegalArgumentException for a bad address
     * @throws IOException              if a listener cannot be bound; nothing is left running
     */
    public static LoopGroup start(EventHandler handler, Options options, List<String> addresses) throws IOException {
        return start(handler, options, addresses, null);
    }

    /** Like {@link #start(EventHandler, Options, List)} on {@code transport}, or the one the options choose if null. */
    static LoopGroup start(EventHandler handler, Options options, List<String> addresses, Transport transport)
            throws IOException {
        return start(handler, options, addresses, transport, Clock.SYSTEM);
    }

    /** Like {@link #start(EventHandler, Options, List, Transport)}, the loops' timers reading {@code clock}. */
    static LoopGroup start(EventHandler handler, Options options, List<String> addresses, Transport transport,
            Clock clock) throws IOException {
        if (Thread.currentThread() instanceof Loop.LoopThread) {
            throw new IllegalStateException("an engine cannot be started on an event loop thread ("
                    + Thread.currentThread().getName() + "): starting blocks, and the engine could not be stopped"
                    + " from there; start it from another thread, before or outside the callbacks");
        }
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        List<Address> parsed = new ArrayList<>();
        for (String address : addresses) {
            parsed.add(Address.parse(address));
        }
        LoopGroup engine = new LoopGroup(handler, options,
                transport != null ? transport : Transports.choose(options.transport()), clock);
        try {
            for (Address address : parsed) {
                engine.bind(address);
            }
        } catch (IOException | RuntimeException e) {
            engine.abandon();
            throw e;
        }
        Action boot;
        try {
            boot = handler.onBoot(engine);
        } catch (RuntimeException e) {
            engine.abandon();
            throw e;
        }
        JgnetEvents.load();
        // Before the loops (Thread.start publishes it to them): a loop may stop the engine at
        // once, and the stop ends the watcher.
        engine.watcher = BlockedLoopWatcher.start(engine.allLoops(),
                options.diagnostics().blockedLoopThreshold().toNanos());
        if (engine.acceptor != null) {
            engine.acceptor.start();
        }
        for (Loop loop : engine.loops) {
            loop.start();
        }
        if (options.ticker()) {
            engine.loops.get(0).execute(engine.loops.get(0)::tick);
        }
        if (boot == Action.SHUTDOWN) {
            engine.shutdownFromCallback();
        }
        return engine;
    }

    private void bind(Address address) throws IOException {
        if (address.isTls() && (options.tls() == null || !options.tls().hasCertificate())) {
            throw new IllegalArgumentException("cannot listen on " + address + ": a TLS listener needs a certificate,"
                    + " set with Options.builder().tls(Tls.builder().certificate(chain, key).build())");
        }
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        // SO_REUSEPORT cannot share a unix socket path, so unix listeners always use the acceptor.
        boolean perLoop = options.reusePort() && address.family() != Address.Family.UNIX;
        Address bindTo = address;
        SocketAddress first = null;
        Conn listenerConn = null;
        if (perLoop || datagram) {
            List<Loop> owners = perLoop ? loops : loops.subList(0, 1);
            for (Loop loop : owners) {
                Listener listener = listenOn(loop, bindTo, perLoop);
                if (first == null) {
                    first = listener.localAddress();
                    listenerConn = datagram ? new DatagramReply(loop, listener, null) : null;
                    // Port 0 picks a port once; the other loops must share that one.
                    bindTo = new Address(address.text(), address.protocol(), address.family(), first);
                }
            }
        } else if (loops.size() == 1) {
            // The only loop accepts for itself, as with reusePort: an acceptor would only add a
            // thread hop (a task and a wake-up) to every connection's bring-up.
            first = listenOn(loops.get(0), address, false).localAddress();
        } else {
            if (acceptor == null) {
                acceptor = new Loop(this, -1, transport, "jgnet-acceptor");
            }
            first = listenOn(acceptor, address, false).localAddress();
        }
        listenAddresses.add(first);
        datagramListeners.add(listenerConn);
    }

    private Listener listenOn(Loop loop, Address address, boolean perLoop) throws IOException {
        try {
            return loop.listen(address, perLoop);
        } catch (IOException e) {
            String message = "cannot listen on " + address + ": " + e.getMessage();
            // The address in use (EADDRINUSE) stays a BindException, as the JDK's and Netty's binds say.
            IOException failure = e instanceof BindException ? new BindException(message) : new IOException(message);
            failure.initCause(e);
            throw failure;
        }
    }

    /** Undoes a start that failed before any loop ran. */
    private void abandon() {
        for (Loop loop : allLoops()) {
            loop.abandon();
        }
        terminated.countDown();
    }

    private List<Loop> allLoops() {
        List<Loop> all = new ArrayList<>(loops);
        if (acceptor != null) {
            all.add(acceptor);
        }
        return all;
    }

    Loop pick(SocketAddress remote) {
        return balancer.pick(remote);
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    /** A connection was closed at the stop deadline with output the peer may not have: any loop thread. */
    void markCut() {
        cut = true;
        connectionsCut.incrementAndGet();
    }

    EventHandler handler() {
        return handler;
    }

    Options options() {
        return options;
    }

    /** Loop {@code index} (0 to loops - 1). */
    Loop loop(int index) {
        return loops.get(index);
    }

    /** The clock the loops' timers read. */
    Clock clock() {
        return clock;
    }

    /**
     * A loop could not go on (its poller failed, or an error escaped everything that contains
     * them): its connections are closed and its thread has ended; stop the others too, so that
     * the engine terminates instead of serving on with a dead loop.
     */
    void loopFailed(Loop loop, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        cut = true;
        FailureLog.log(System.Logger.Level.ERROR, "event loop " + loop.index() + " failed; stopping the engine", cause);
        shutdownFromCallback();
    }

    /** Why the engine stopped on its own, if a loop failed; null otherwise. */
    Throwable failure() {
        return failure;
    }

    /** Action.SHUTDOWN: stop on another thread, since a loop cannot wait for itself to end. */
    void shutdownFromCallback() {
        if (stopRequested.get()) {
            return;
        }
        Thread.ofPlatform().name("jgnet-shutdown").start(() -> {
            try {
                stop(options.closeTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // ------------------------------------------------------------------------------ Engine

    @Override
    public String transport() {
        return transport.name();
    }

    @Override
    public List<SocketAddress> listenAddresses() {
        return List.copyOf(listenAddresses);
    }

    @Override
    public Conn datagramListener(int index) {
        if (index < 0 || index >= datagramListeners.size()) {
            throw new IllegalArgumentException("no listener " + index + ": the engine listens on " + listenAddresses);
        }
        Conn conn = datagramListeners.get(index);
        if (conn == null) {
            throw new IllegalArgumentException("listener " + index + " (" + listenAddresses.get(index)
                    + ") is a stream listener, not a datagram one");
        }
        return conn;
    }

    @Override
    public List<EventLoop> eventLoops() {
        return List.copyOf(loops);
    }

    @Override
    public int connectionCount() {
        return connections.get();
    }

    @Override
    public List<LoopStats> stats() {
        List<LoopStats> stats = new ArrayList<>(loops.size());
        for (Loop loop : loops) {
            stats.add(loop.stats());
        }
        return List.copyOf(stats);
    }

    @Override
    public Conn dial(String address) throws IOException {
        return dial(address, null);
    }

    @Override
    public Conn dial(String address, Object context) throws IOException {
        refuseOnLoopThread("dial", "use conn.eventLoop().dial(...), which returns a future");
        return await(pick(null).dial(address, context), "dial " + address);
    }

    @Override
    public Conn enroll(NetworkChannel channel, Object context) throws IOException {
        refuseOnLoopThread("enroll", "use conn.eventLoop().enroll(...), which returns a future");
        SocketAddress remote = null;
        try {
            remote = channel instanceof java.nio.channels.SocketChannel socket ? socket.getRemoteAddress() : null;
        } catch (IOException e) {
            // Unknown peer: any loop will do.
        }
        return await(pick(remote instanceof InetSocketAddress ? remote : null).enroll(channel, context), "enroll " + channel);
    }

    private static Conn await(CompletableFuture<Conn> future, String what) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(what + " failed: " + cause, cause);
        }
    }

    private static void refuseOnLoopThread(String operation, String advice) {
        if (Thread.currentThread() instanceof Loop.LoopThread) {
            throw new IllegalStateException(operation + " blocks and cannot run on an event loop thread ("
                    + Thread.currentThread().getName() + "); " + advice);
        }
    }

    @Override
    public boolean stop(Duration timeout) throws InterruptedException {
        refuseOnLoopThread("stop", "return Action.SHUTDOWN from the callback instead, or call stop from another"
                + " thread (for example Thread.ofVirtual().start(...)) if the timeout matters");
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("stop timeout must be zero or positive, was " + timeout);
        }
        if (!stopRequested.compareAndSet(false, true)) {
            awaitTermination();
            return !cut;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Loop> all = allLoops();
        for (Loop loop : all) {
            loop.offer(() -> loop.beginStop(deadline));
        }
        for (Loop loop : all) {
            loop.join();
        }
        if (watcher != null) {
            watcher.stop();
        }
        if (connectionsCut.get() > 0) {
            FailureLog.log(System.Logger.Level.WARNING, "stop: " + connectionsCut.get() + " connection(s) closed at the"
                    + " deadline of " + timeout.toMillis() + " ms before the peer had all their output", null);
        }
        try {
            handler.onShutdown(this);
        } catch (Throwable t) {
            FailureLog.log(System.Logger.Level.WARNING, "onShutdown threw", t);
        } finally {
            terminated.countDown();
        }
        return !cut;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public String toString() {
        return "Engine[" + transport.name() + ", " + loops.size() + " loops, " + listenAddresses + "]";
    }
}
