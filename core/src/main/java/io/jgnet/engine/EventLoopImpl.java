package io.jgnet.engine;

import io.jgnet.Action;
import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.EventLoop;
import io.jgnet.Options;
import io.jgnet.buffer.BufferPool;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
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
 * pending), dispatch it to the handler, run queued tasks and due timers, then flush every
 * connection that wrote, once each. Other threads wake it only when it is asleep in the poller.
 *
 * <p>Owned by its thread; methods of {@link EventLoop} are safe from any thread.
 */
final class EventLoopImpl implements EventLoop, IoEvents {
    private static final System.Logger LOG = System.getLogger("io.jgnet");
    /** Tasks run per iteration before I/O gets its turn again. */
    private static final int MAX_TASKS_PER_ITERATION = 4096;
    /** Idle pooled memory per loop; more than this is left to the GC. */
    private static final long MAX_POOLED_BYTES = 64L * 1024 * 1024;

    final EngineImpl engine;
    final Options options;
    final EventHandler handler;
    final BufferPool pool = new BufferPool(MAX_POOLED_BYTES);
    final ReadViews views = new ReadViews();
    final Poller poller;
    private final int index;
    private final Thread thread;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** True while the loop may be blocked in the poller: only then does a producer wake it. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;
    private final ArrayList<ConnImpl> flushList = new ArrayList<>();
    private final Set<ConnImpl> connecting = new HashSet<>();
    final List<Listener> listeners = new ArrayList<>();
    private ConnImpl head;
    private volatile int connectionCount;
    /** Accepted sockets handed to this loop and not yet adopted. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private boolean stopping;
    private long stopDeadline;
    private volatile boolean ended;

    EventLoopImpl(EngineImpl engine, int index, Transport transport, String threadName) throws IOException {
        this.engine = engine;
        this.options = engine.options;
        this.handler = engine.handler;
        this.index = index;
        this.poller = transport.openPoller(this, options);
        this.thread = new LoopThread(this::run, threadName);
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

    // -------------------------------------------------------------------------- duty cycle

    private void run() {
        try {
            while (!ended) {
                runOnce();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event loop " + index + " failed; closing its connections", t);
            engine.markCut();
        } finally {
            end();
        }
    }

    private void runOnce() throws IOException {
        long timeout = -1;
        Timer first = timers.peek();
        long now = System.nanoTime();
        if (first != null) {
            timeout = Math.max(0, first.deadlineNanos - now);
        }
        if (stopping) {
            long untilDeadline = Math.max(0, stopDeadline - now);
            timeout = timeout < 0 ? untilDeadline : Math.min(timeout, untilDeadline);
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
        sleeping.set(false);
        runTasks();
        runTimers();
        flushAll();
        if (stopping) {
            checkStop();
        }
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
            LOG.log(System.Logger.Level.WARNING, "task on event loop " + index + " failed", t);
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        Timer timer;
        while ((timer = timers.peek()) != null && timer.deadlineNanos - now <= 0) {
            timers.poll();
            if (!timer.isCancelled()) {
                runGuarded(timer.task);
            }
        }
    }

    private void flushAll() {
        // Index loop: flushing may close a connection whose onClose writes to another one.
        for (int i = 0; i < flushList.size(); i++) {
            ConnImpl conn = flushList.get(i);
            conn.inFlushList = false;
            conn.flushNow();
        }
        flushList.clear();
    }

    void needsFlush(ConnImpl conn) {
        if (!conn.inFlushList) {
            conn.inFlushList = true;
            flushList.add(conn);
        }
    }

    // ------------------------------------------------------------------------- I/O events

    @Override
    public void onAccept(Listener listener, Object accepted, SocketAddress remote) {
        EventLoopImpl target = listener.perLoop() ? this : engine.pick(remote);
        if (target == this) {
            adoptAccepted(accepted);
            return;
        }
        // Counted as the target's from now on, so that least-connections sees a burst of
        // accepts spread before the target loop has taken any of them.
        target.inFlight.incrementAndGet();
        if (!target.offer(() -> {
            target.inFlight.decrementAndGet();
            target.adoptAccepted(accepted);
        })) {
            target.inFlight.decrementAndGet();
            poller.discard(accepted);
        }
    }

    /** Connections owned or on their way to this loop: what least-connections balances. */
    int load() {
        return connectionCount + inFlight.get();
    }

    private void adoptAccepted(Object accepted) {
        if (stopping) {
            poller.discard(accepted);
            return;
        }
        ConnImpl conn = new ConnImpl(this, ConnImpl.Kind.STREAM, ConnImpl.State.OPEN);
        try {
            conn.socket = poller.adopt(accepted, conn);
            conn.applyOptions(options, conn.socket.remoteAddress() instanceof java.net.InetSocketAddress);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not take an accepted connection: " + e);
            if (conn.socket != null) {
                conn.socket.close();
            } else {
                poller.discard(accepted);
            }
            return;
        }
        open(conn);
    }

    @Override
    public void onDatagram(Listener listener, ByteBuffer datagram, SocketAddress sender) {
        new ConnImpl(this, ConnImpl.Kind.DATAGRAM_PEER, ConnImpl.State.OPEN, listener, sender).deliver(datagram);
    }

    @Override
    public void onRead(Object attachment, ByteBuffer data) {
        ((ConnImpl) attachment).deliver(data);
    }

    @Override
    public void onReadEnd(Object attachment) {
        ((ConnImpl) attachment).inputEnded();
    }

    @Override
    public void onHangUp(Object attachment) {
        ((ConnImpl) attachment).closeNow(null);
    }

    @Override
    public void onWritable(Object attachment) {
        ((ConnImpl) attachment).flushNow();
    }

    @Override
    public void onConnected(Object attachment) {
        ConnImpl conn = (ConnImpl) attachment;
        connecting.remove(conn);
        if (conn.state != ConnImpl.State.CONNECTING) {
            return;
        }
        conn.state = ConnImpl.State.OPEN;
        try {
            conn.applyOptions(options, conn.kind == ConnImpl.Kind.STREAM
                    && conn.socket.remoteAddress() instanceof java.net.InetSocketAddress);
        } catch (IOException e) {
            conn.closeNow(e);
            return;
        }
        open(conn);
    }

    @Override
    public void onError(Object attachment, IOException cause) {
        ConnImpl conn = (ConnImpl) attachment;
        connecting.remove(conn);
        conn.closeNow(cause);
    }

    // -------------------------------------------------------------- handler and life cycle

    private void open(ConnImpl conn) {
        link(conn);
        Action action;
        try {
            action = handler.onOpen(conn);
        } catch (Throwable t) {
            if (conn.openFuture != null) {
                conn.openFuture.complete(conn);
            }
            conn.closeNow(t);
            return;
        }
        if (conn.openFuture != null) {
            conn.openFuture.complete(conn);
        }
        conn.act(action);
    }

    /** Calls onTraffic and carries out its verdict; an exception closes the connection. */
    void traffic(ConnImpl conn) {
        Action action;
        try {
            action = handler.onTraffic(conn);
        } catch (Throwable t) {
            conn.closeNow(t);
            return;
        }
        conn.act(action);
    }

    /** Calls onHalfClose or onWritable and carries out the verdict; an exception closes the connection. */
    void notify(ConnImpl conn, boolean halfClose) {
        Action action;
        try {
            action = halfClose ? handler.onHalfClose(conn) : handler.onWritable(conn);
        } catch (Throwable t) {
            conn.closeNow(t);
            return;
        }
        conn.act(action);
    }

    /** A connection closed: unlink it and tell the handler. */
    void closed(ConnImpl conn, Throwable cause) {
        unlink(conn);
        try {
            if (handler.onClose(conn, cause) == Action.SHUTDOWN) {
                engine.shutdownFromCallback();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "onClose threw for " + conn, t);
        }
    }

    void callback(AsyncCallback callback, Conn conn, Throwable error) {
        if (callback == null) {
            return;
        }
        try {
            callback.onComplete(conn, error);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "async callback threw for " + conn, t);
        }
    }

    private void link(ConnImpl conn) {
        conn.next = head;
        if (head != null) {
            head.prev = conn;
        }
        head = conn;
        connectionCount++;
        engine.connectionOpened();
    }

    private void unlink(ConnImpl conn) {
        if (conn.prev != null) {
            conn.prev.next = conn.next;
        } else if (head == conn) {
            head = conn.next;
        } else {
            return;
        }
        if (conn.next != null) {
            conn.next.prev = conn.prev;
        }
        conn.prev = null;
        conn.next = null;
        connectionCount--;
        engine.connectionClosed();
    }

    void tick() {
        if (stopping) {
            return;
        }
        Duration delay;
        try {
            delay = handler.onTick();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "onTick threw; the ticker goes on in 1 s", t);
            delay = Duration.ofSeconds(1);
        }
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
        for (ConnImpl conn : new ArrayList<>(connecting)) {
            conn.closeNow(new IOException("engine stopped while connecting"));
        }
        connecting.clear();
        Duration remaining = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        for (ConnImpl conn = head; conn != null; ) {
            ConnImpl next = conn.next;
            conn.beginClose(remaining);
            conn = next;
        }
        checkStop();
    }

    private void checkStop() {
        if (head == null && tasks.isEmpty()) {
            ended = true;
        } else if (System.nanoTime() - stopDeadline >= 0) {
            for (ConnImpl conn = head; conn != null; ) {
                ConnImpl next = conn.next;
                engine.markCut();
                conn.closeNow(new IOException("engine stopped before the output was sent"));
                conn = next;
            }
            runTasks();
            ended = true;
        }
    }

    /** Final cleanup on the loop thread: nothing may stay open or queued. */
    private void end() {
        ended = true;
        for (ConnImpl conn = head; conn != null; ) {
            ConnImpl next = conn.next;
            conn.closeNow(new IOException("event loop " + index + " ended"));
            conn = next;
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
            LOG.log(System.Logger.Level.DEBUG, "closing poller of loop " + index + ": " + e);
        }
    }

    /** Whether the engine's stop has reached this loop. Loop thread. */
    boolean isStopping() {
        return stopping;
    }

    boolean hasEnded() {
        return ended;
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
    public void schedule(Runnable task, Duration delay) {
        long nanos = delay.toNanos();
        execute(() -> scheduleOnLoop(task, nanos));
    }

    Timer scheduleOnLoop(Runnable task, long delayNanos) {
        Timer timer = new Timer(System.nanoTime() + delayNanos, timerSequence++, task);
        timers.add(timer);
        return timer;
    }

    @Override
    public int connectionCount() {
        return connectionCount;
    }

    @Override
    public CompletableFuture<Conn> dial(String address, Object context) {
        Address target = Address.parse(address);
        CompletableFuture<Conn> opened = new CompletableFuture<>();
        Runnable connect = () -> {
            if (stopping) {
                opened.completeExceptionally(new IllegalStateException("cannot dial " + address + ": the engine is stopping"));
                return;
            }
            ConnImpl conn = new ConnImpl(this, target.protocol() == Address.Protocol.DATAGRAM
                    ? ConnImpl.Kind.DATAGRAM : ConnImpl.Kind.STREAM, ConnImpl.State.CONNECTING);
            conn.context(context);
            // Failures reported later by the poller (refused, unreachable) carry no address.
            conn.openFuture = new CompletableFuture<>();
            conn.openFuture.whenComplete((open, failure) -> {
                if (failure == null) {
                    opened.complete(open);
                } else {
                    opened.completeExceptionally(dialFailure(address, failure));
                }
            });
            try {
                conn.socket = poller.connect(target, options, conn);
                connecting.add(conn);
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(dialFailure(address, e));
            }
        };
        if (!offer(connect)) {
            opened.completeExceptionally(new IllegalStateException("cannot dial " + address + ": the engine has stopped"));
        }
        return opened;
    }

    private static ConnectException dialFailure(String address, Throwable cause) {
        ConnectException failure = new ConnectException("dial " + address + " failed: " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    @Override
    public CompletableFuture<Conn> enroll(NetworkChannel channel, Object context) {
        if (!poller.canEnroll(channel)) {
            throw new IllegalArgumentException("cannot enroll " + channel + " on the " + engine.transport()
                    + " transport: " + poller.whyNotEnrollable(channel));
        }
        CompletableFuture<Conn> opened = new CompletableFuture<>();
        Runnable adopt = () -> {
            ConnImpl conn = new ConnImpl(this, channel instanceof DatagramChannel
                    ? ConnImpl.Kind.DATAGRAM : ConnImpl.Kind.STREAM, ConnImpl.State.OPEN);
            conn.context(context);
            conn.openFuture = opened;
            try {
                conn.socket = poller.adopt(channel, conn);
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
                return;
            }
            open(conn);
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
                    + thread.getName() + "), not on " + Thread.currentThread().getName()
                    + "; from other threads use asyncWrite, wake, close or execute");
        }
    }

    void log(System.Logger.Level level, String message) {
        LOG.log(level, message);
    }

    @Override
    public String toString() {
        return "EventLoop[" + index + ", " + connectionCount + " connections]";
    }
}
