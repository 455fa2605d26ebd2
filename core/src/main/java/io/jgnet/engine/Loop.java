package io.jgnet.engine;

import io.jgnet.transport.Transport;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Address;
import io.jgnet.Conn;
import io.jgnet.ConnectionTimeoutException;
import io.jgnet.EventLoop;
import io.jgnet.LoopStats;
import io.jgnet.Options;
import io.jgnet.Scheduled;
import io.jgnet.buffer.BufferPool;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop: a platform thread with its poller, connections, buffer pool, timers and a
 * lock-free queue of tasks from other threads.
 *
 * <p>Its duty cycle ({@link #runOnce}): wait for I/O (not at all if tasks or output are
 * pending), dispatch it (through {@link LoopEvents}) to the connections, run queued tasks and
 * due timers, then flush every connection that wrote, once each. Other threads wake it only
 * when it is asleep in the poller.
 *
 * <p>The loop cannot die half-way: a handler's failure closes its connection
 * ({@link HandlerCalls}), a failing task or timer is logged and skipped, and anything else that
 * escapes an iteration ends this loop after closing its connections and stops the whole engine
 * with that cause, so no engine lingers with a dead thread.
 *
 * <p>Owned by its thread; methods of {@link EventLoop} are safe from any thread.
 */
final class Loop implements EventLoop {
    /** Tasks run per iteration before I/O gets its turn again. */
    private static final int MAX_TASKS_PER_ITERATION = 4096;
    /** Idle pooled memory per loop; a buffer given back beyond this is freed at once. */
    static final long MAX_POOLED_BYTES = 64L * 1024 * 1024;
    /**
     * How often a loop whose pool holds idle buffers trims it: a buffer idle for a whole
     * interval is freed, so a spike's memory is back with the OS within two intervals.
     */
    static final long POOL_TRIM_INTERVAL_NANOS = 10_000_000_000L;

    private final LoopGroup engine;
    private final Options options;
    private final HandlerCalls handlers;
    private final FailureLog failures = new FailureLog();
    private final LoopCounters counters = new LoopCounters();
    private final long slowIterationNanos;
    private final BufferPool pool = new BufferPool(MAX_POOLED_BYTES);
    private final ReadViews views = new ReadViews();
    private TlsScratch tlsScratch;
    /**
     * The most memory a connection's held inbound bytes may take: the cap, passed by one read,
     * or on TLS by the plaintext of one read's records (a record is decrypted whole, so that can
     * be more than a read when readBufferCap is small).
     */
    private final int maxInboundHeld;
    /** The read side of every datagram reply: one is delivered at a time. */
    private final Inbound replyInbound;
    /** The pending trim of the pool, while it holds idle buffers. */
    private Timer poolTrim;
    private final Poller poller;
    private final AcceptBackoff acceptBackoff;
    private final int index;
    private final Thread thread;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True while the loop may be blocked in the poller: only then does a producer wake it. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Clock clock;
    private final TimerWheel timers;
    /** The clock's time when the last poll returned: what connections stamp their activity with. */
    private long now;
    private final ArrayList<SocketConnection> flushList = new ArrayList<>();
    private final Set<SocketConnection> connecting = new HashSet<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final ConnectionList connections = new ConnectionList();
    private volatile int connectionCount;
    /** Accepted sockets handed to this loop and not yet taken. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Read by other threads (enroll, datagram replies' isOpen), written by the loop. */
    private volatile boolean stopping;
    private long stopDeadline;
    private volatile boolean ended;

    Loop(LoopGroup engine, int index, Transport transport, String threadName) throws IOException {
        this.engine = engine;
        this.options = engine.options();
        this.index = index;
        this.handlers = new HandlerCalls(engine.handler(), engine, failures);
        this.maxInboundHeld = (int) Math.min((long) options.inboundBufferCap()
                + Math.max(options.readBufferCap(), TlsScratch.PLAIN), 1 << 30);
        this.replyInbound = new Inbound(this);
        this.poller = transport.openPoller(new LoopEvents(this, counters), options);
        this.acceptBackoff = new AcceptBackoff();
        this.slowIterationNanos = options.diagnostics().slowIterationThreshold().toNanos();
        this.thread = new LoopThread(this::run, threadName);
        this.clock = engine.clock();
        this.timers = new TimerWheel(clock, new TimerWheel.Owner() {
            @Override
            public boolean onOwnerThread() {
                return inEventLoop();
            }

            @Override
            public boolean offer(Runnable task) {
                return Loop.this.offer(task);
            }

            @Override
            public void timerFailed(Throwable failure) {
                failures.failed("timer failed on event loop ", index, failure);
            }
        });
        this.now = clock.nanoTime();
    }

    /** A marker type, so that blocking engine calls can refuse to run on any loop. */
    static final class LoopThread extends Thread {
        LoopThread(Runnable body, String name) {
            super(body, name);
        }
    }

    void start() {
        thread.start();
    }

    void join() throws InterruptedException {
        thread.join();
    }

    Thread thread() {
        return thread;
    }

    // ------------------------------------------------------------------------- what it owns

    LoopGroup engine() {
        return engine;
    }

    Options options() {
        return options;
    }

    HandlerCalls handlers() {
        return handlers;
    }

    BufferPool pool() {
        return pool;
    }

    int maxInboundHeld() {
        return maxInboundHeld;
    }

    ReadViews views() {
        return views;
    }

    /** This loop's TLS working memory, made for its first TLS connection. */
    TlsScratch tlsScratch() {
        if (tlsScratch == null) {
            tlsScratch = new TlsScratch(pool());
        }
        return tlsScratch;
    }

    Inbound replyInbound() {
        return replyInbound;
    }

    /** The loop's rate-limited failure log, for what fails off the handler's call stack. */
    FailureLog failures() {
        return failures;
    }

    Poller poller() {
        return poller;
    }

    LoopCounters counters() {
        return counters;
    }

    AcceptBackoff acceptBackoff() {
        return acceptBackoff;
    }

    /** Binds a listener owned by this loop; before the loop runs. */
    Listener listen(Address address, boolean perLoop) throws IOException {
        Listener listener = poller.listen(address, options, perLoop);
        listeners.add(listener);
        return listener;
    }

    /** Closes the listeners and the poller of a loop that never ran. */
    void abandon() {
        for (Listener listener : listeners) {
            listener.close();
        }
        try {
            poller.close();
        } catch (IOException e) {
            FailureLog.log(System.Logger.Level.DEBUG, "closing poller: " + e, null);
        }
    }

    // -------------------------------------------------------------------------- duty cycle

    private void run() {
        Throwable fatal = null;
        try {
            while (!ended) {
                runOnce();
            }
        } catch (Throwable t) {
            fatal = t;
        }
        try {
            end();
        } catch (Throwable t) {
            if (fatal == null) {
                fatal = t;
            }
        }
        if (fatal != null) {
            engine.loopFailed(this, fatal);
        }
    }

    private void runOnce() throws IOException {
        long systemNow = System.nanoTime();
        long busy = counters.iterationEnded(systemNow, timers.size(), pool.pooledBytes());
        if (busy > slowIterationNanos) {
            JgnetEvents.slowIteration(index, busy, slowIterationNanos);
        }
        if (poolTrim == null && pool.pooledBytes() > 0) {
            poolTrim = scheduleOnLoop(this::trimPool, POOL_TRIM_INTERVAL_NANOS);
        }
        long timeout = timers.nanosUntilNext(clock.nanoTime());
        if (stopping) {
            timeout = earliest(timeout, Math.max(0, stopDeadline - systemNow));
        }
        if (acceptBackoff.isPaused()) {
            timeout = earliest(timeout, acceptBackoff.nanosUntilRetry(systemNow));
        }
        if (!tasks.isEmpty() || !flushList.isEmpty()) {
            timeout = 0;
        } else if (timeout != 0) {
            sleeping.set(true);
            if (!tasks.isEmpty()) {
                timeout = 0;
            }
        }
        poller.poll(timeout);
        counters.working();
        sleeping.set(false);
        this.now = clock.nanoTime();
        runTasks();
        runTimers();
        flushAll();
        acceptBackoff.retryIfDue();
        if (stopping) {
            checkStop();
        }
    }

    /** Frees what stayed idle in the pool for a whole interval; rescheduled while it keeps idle buffers. */
    private void trimPool() {
        poolTrim = null;
        pool.trim();
    }

    private static long earliest(long timeout, long other) {
        return timeout < 0 ? other : Math.min(timeout, other);
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            runGuarded(task);
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            failures.failed("task failed on event loop ", index, t);
        }
    }

    private void runTimers() {
        timers.runDue(clock.nanoTime());
    }

    /**
     * The clock's time when this iteration's poll returned. Connections stamp reads and writes
     * with it (no clock read per event); it lags the clock by at most one iteration.
     */
    long now() {
        return now;
    }

    TimerWheel timers() {
        return timers;
    }

    /**
     * Tests' virtual time: moves a {@link ManualClock} to {@code target} in steps, running the
     * timers due at each step in deadline order, so that each sees the time it was due at, and
     * flushing after each step as an iteration of the loop would.
     */
    void advanceClock(ManualClock manual, long target) {
        long next;
        while ((next = timers.nextDeadline()) != -1 && next - target <= 0) {
            manual.advanceTo(next);
            now = manual.nanoTime();
            runTimers();
            flushAll();
        }
        manual.advanceTo(target);
        now = manual.nanoTime();
        runTimers();
    }

    private void flushAll() {
        // Index loop: flushing may close a connection whose onClose writes to another one.
        for (int i = 0; i < flushList.size(); i++) {
            SocketConnection conn = flushList.get(i);
            conn.inFlushList(false);
            try {
                conn.flushNow();
            } catch (Throwable t) {
                conn.closeNow(t);
            }
        }
        flushList.clear();
    }

    void needsFlush(SocketConnection conn) {
        if (!conn.inFlushList()) {
            conn.inFlushList(true);
            flushList.add(conn);
        }
    }

    // -------------------------------------------------------------------------- bring-up

    /** A listener of this loop accepted a socket: keep it, or hand it to the loop the balancer picks. */
    void accepted(Listener listener, Object accepted, SocketAddress remote) {
        acceptBackoff.accepted();
        Loop target = listener.perLoop() ? this : engine.pick(remote);
        boolean tls = listener.address().isTls();
        if (target == this) {
            take(accepted, tls);
            return;
        }
        // Counted as the target's from now on, so that least-connections sees a burst of
        // accepts spread before the target loop has taken any of them.
        target.inFlight.incrementAndGet();
        if (!target.offer(() -> {
            target.inFlight.decrementAndGet();
            target.take(accepted, tls);
        })) {
            target.inFlight.decrementAndGet();
            poller.discard(accepted);
        }
    }

    /** Connections owned or on their way to this loop: what least-connections balances. */
    int load() {
        return connectionCount + inFlight.get();
    }

    private void take(Object accepted, boolean tls) {
        if (stopping) {
            poller.discard(accepted);
            return;
        }
        SocketConnection conn = new SocketConnection(this, false, null);
        try {
            if (tls) {
                conn.secure(TlsLayer.server(conn, this, options.tls()));
            }
            conn.attach(poller.adopt(accepted, conn));
        } catch (IOException | RuntimeException e) {
            poller.discard(accepted);
            failures.failed("could not take an accepted connection: ", e, null);
            return;
        }
        bringUp(conn);
    }

    /**
     * The one way a socket becomes a served connection, whether accepted, dialed or enrolled:
     * the engine's socket options, a place in the loop's list, onOpen, then the dial's or
     * enroll's future.
     */
    void bringUp(SocketConnection conn) {
        try {
            conn.open(options);
        } catch (IOException | RuntimeException e) {
            conn.closeNow(e);
            return;
        }
        connections.add(conn);
        connectionCount = connections.size();
        engine.connectionOpened();
        JgnetEvents.opened(conn);
        handlers.open(conn);
        conn.opened();
    }

    /** A dial finished connecting. */
    void connected(SocketConnection conn) {
        connecting.remove(conn);
        if (conn.isConnecting()) {
            bringUp(conn);
        }
    }

    /** A dial failed, or a connection failed before it was open. */
    void connectFailed(SocketConnection conn, IOException cause) {
        connecting.remove(conn);
        conn.failed(cause);
    }

    /** A connection closed: unlist it, tell the handler, and let a paused listener try again. */
    void closed(SocketConnection conn, Throwable cause) {
        if (connections.remove(conn)) {
            connectionCount = connections.size();
            engine.connectionClosed();
            JgnetEvents.closed(conn, cause);
        }
        handlers.closed(conn, cause);
    }

    /** An accepted socket failed before it was open (its options could not be set): no onClose. */
    void notTaken(SocketConnection conn, Throwable cause) {
        failures.failed("could not take an accepted connection: ", cause, null);
    }

    void tick() {
        if (stopping) {
            return;
        }
        Duration delay = handlers.tick();
        if (delay != null && delay.isPositive()) {
            scheduleOnLoop(this::tick, delay.toNanos());
        }
    }

    // -------------------------------------------------------------------------- stopping

    /** Stops listening and starts closing every connection; the loop ends when they are gone. */
    void beginStop(long deadlineNanos) {
        if (stopping) {
            return;
        }
        stopping = true;
        stopDeadline = deadlineNanos;
        for (Listener listener : listeners) {
            listener.close();
        }
        listeners.clear();
        for (SocketConnection conn : new ArrayList<>(connecting)) {
            conn.closeNow(new IOException("engine stopped while connecting"));
        }
        connecting.clear();
        Duration remaining = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        for (SocketConnection conn : connections.snapshot()) {
            conn.beginClose(remaining);
        }
        checkStop();
    }

    private void checkStop() {
        if (connections.isEmpty() && tasks.isEmpty()) {
            ended = true;
        } else if (System.nanoTime() - stopDeadline >= 0) {
            for (SocketConnection conn : connections.snapshot()) {
                conn.cutAtStopDeadline();
            }
            runTasks();
            ended = true;
        }
    }

    /** Final cleanup on the loop thread: nothing may stay open or queued. */
    private void end() {
        ended = true;
        for (SocketConnection conn : connections.snapshot()) {
            conn.closeNow(new IOException("event loop " + index + " ended"));
        }
        for (SocketConnection conn : new ArrayList<>(connecting)) {
            conn.closeNow(new IOException("event loop " + index + " ended while connecting"));
        }
        for (Listener listener : listeners) {
            listener.close();
        }
        // Tasks that raced with the end still run, and see closed connections.
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runGuarded(task);
        }
        try {
            poller.close();
        } catch (IOException e) {
            FailureLog.log(System.Logger.Level.DEBUG, "closing poller of loop " + index + ": " + e, null);
        }
        // After the poller: no kernel still holds a region lent from the pool.
        pool.close();
    }

    /** Whether the engine's stop has reached this loop. Any thread. */
    boolean isStopping() {
        return stopping;
    }

    // ------------------------------------------------------------------ EventLoop (any thread)

    @Override
    public int index() {
        return index;
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        if (!offer(task)) {
            throw new RejectedExecutionException("event loop " + index + " has stopped");
        }
    }

    /** Queues {@code task}; false if the loop has ended and the task will never run. */
    boolean offer(Runnable task) {
        tasks.offer(task);
        if (ended && tasks.remove(task)) {
            return false;
        }
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            poller.wakeup();
        }
        return true;
    }

    @Override
    public Scheduled schedule(Runnable task, Duration delay) {
        if (task == null || delay == null) {
            throw new IllegalArgumentException("schedule needs a task and a delay, was " + task + ", " + delay);
        }
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        if (inEventLoop()) {
            return scheduleOnLoop(task, nanos);
        }
        // Measured from now, not from when the loop gets to it.
        long deadline = timers.deadlineAfter(nanos);
        Timer timer = new Timer(timers, task);
        execute(() -> {
            if (!timer.isDone()) {
                timers.arm(timer, deadline);
            }
        });
        return timer;
    }

    private static long saturatedNanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Engine code's timer on this loop: runs {@code task} after {@code delayNanos}; cancel to drop it. Loop thread. */
    Timer scheduleOnLoop(Runnable task, long delayNanos) {
        return timers.schedule(task, delayNanos);
    }

    @Override
    public int connectionCount() {
        return connectionCount;
    }

    /** What this loop has done and holds now, from its counters. Any thread; never waits for the loop. */
    LoopStats stats() {
        LoopCounters c = counters;
        return new LoopStats(index, connectionCount, c.get(LoopCounters.BYTES_IN), c.get(LoopCounters.BYTES_OUT),
                c.get(LoopCounters.MESSAGES_IN), c.get(LoopCounters.MESSAGES_OUT), c.get(LoopCounters.READS),
                c.get(LoopCounters.WRITES), poller.systemCalls(), c.get(LoopCounters.PENDING_OUTPUT),
                c.get(LoopCounters.POOLED_BYTES), tasks.size(),
                c.busyFraction(), (int) c.get(LoopCounters.TIMERS), c.get(LoopCounters.ITERATIONS));
    }

    @Override
    public CompletableFuture<Conn> dial(String address, Object context) {
        return dial(address, context, options.timeouts().connect());
    }

    @Override
    public CompletableFuture<Conn> dial(String address, Object context, Duration connectTimeout) {
        if (connectTimeout == null || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must be zero (none) or positive, was " + connectTimeout);
        }
        Address target = Address.parse(address);
        CompletableFuture<Conn> opened = new CompletableFuture<>();
        Runnable connect = () -> {
            if (stopping) {
                opened.completeExceptionally(new IllegalStateException("cannot dial " + address + ": the engine is stopping"));
                return;
            }
            SocketConnection conn = new SocketConnection(this, target.protocol() == Address.Protocol.DATAGRAM, context);
            Timer connectTimer = connectTimeout.isZero() ? null
                    : scheduleOnLoop(() -> connectTimedOut(conn, address, connectTimeout), connectTimeout.toNanos());
            // Failures reported later by the poller (refused, unreachable) carry no address.
            CompletableFuture<Conn> open = new CompletableFuture<>();
            open.whenComplete((done, failure) -> {
                if (connectTimer != null) {
                    connectTimer.cancel();
                }
                if (failure == null) {
                    opened.complete(done);
                } else {
                    opened.completeExceptionally(dialFailure(address, failure));
                }
            });
            conn.completeOpenWith(open);
            conn.dialed();
            try {
                if (target.isTls()) {
                    conn.secure(TlsLayer.client(conn, this, TlsLayer.clientSettings(options),
                            target.host(), ((InetSocketAddress) target.socketAddress()).getPort()));
                }
                conn.attach(poller.connect(target, options, conn));
                connecting.add(conn);
            } catch (IOException | RuntimeException e) {
                if (connectTimer != null) {
                    connectTimer.cancel();
                }
                opened.completeExceptionally(dialFailure(address, e));
            }
        };
        if (!offer(connect)) {
            opened.completeExceptionally(new IllegalStateException("cannot dial " + address + ": the engine has stopped"));
        }
        return opened;
    }

    /** A dial's connect timeout passed: if it is still connecting, it fails with the timeout as cause. */
    private void connectTimedOut(SocketConnection conn, String address, Duration timeout) {
        if (connecting.remove(conn) && conn.isConnecting()) {
            conn.closeNow(new ConnectionTimeoutException(ConnectionTimeoutException.Kind.CONNECT, timeout,
                    "no connection to " + address));
        }
    }

    private static ConnectException dialFailure(String address, Throwable cause) {
        ConnectException failure = new ConnectException("dial " + address + " failed: " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    @Override
    public CompletableFuture<Conn> enroll(NetworkChannel channel, Object context) {
        String refusal = poller.whyNotEnrollable(channel);
        if (refusal != null) {
            throw new IllegalArgumentException("cannot enroll " + channel + " on the " + engine.transport()
                    + " transport: " + refusal);
        }
        CompletableFuture<Conn> opened = new CompletableFuture<>();
        Runnable adopt = () -> {
            SocketConnection conn = new SocketConnection(this, channel instanceof DatagramChannel, context);
            conn.completeOpenWith(opened);
            try {
                conn.attach(poller.adopt(channel, conn));
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
                return;
            }
            bringUp(conn);
        };
        if (stopping || !offer(adopt)) {
            opened.completeExceptionally(new IllegalStateException("cannot enroll: the engine has stopped"));
        }
        return opened;
    }

    // ----------------------------------------------------------------------------- checks

    void checkThread(String operation) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException(operation + " must run on the connection's event loop thread ("
                    + thread.getName() + "), not on " + describe(Thread.currentThread())
                    + "; from other threads use asyncWrite, wake, close or execute");
        }
    }

    /** A thread's name, or for an unnamed (virtual) thread what it is. */
    static String describe(Thread thread) {
        if (!thread.getName().isEmpty()) {
            return thread.getName();
        }
        return (thread.isVirtual() ? "virtual thread #" : "unnamed thread #") + thread.threadId();
    }

    @Override
    public String toString() {
        return "EventLoop[" + index + ", " + connectionCount + " connections]";
    }
}
