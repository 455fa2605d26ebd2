package io.jgnet.engine;

import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Options;
import io.jgnet.engine.MemoryTransport.MemoryPoller;
import io.jgnet.engine.MemoryTransport.MemorySocket;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * One connection served by a handler on a one-loop engine of the in-memory transport, with the
 * test as its peer: the engine behind {@link io.jgnet.TestPeer}. Every step runs on the loop
 * thread where a transport would report it, and returns once the loop has handled it.
 *
 * <p>Thread-safety: one test thread at a time.
 */
public final class EmbeddedConnection implements AutoCloseable {
    /** How long one step may take before the test is told the loop is stuck. */
    private static final Duration STEP_GUARD = Duration.ofSeconds(20);

    private final LoopGroup engine;
    private final ManualClock clock;
    private final MemoryPoller poller;
    private final MemorySocket socket;
    private final SocketConnection conn;

    private EmbeddedConnection(LoopGroup engine, ManualClock clock, MemoryPoller poller, MemorySocket socket) {
        this.engine = engine;
        this.clock = clock;
        this.poller = poller;
        this.socket = socket;
        this.conn = (SocketConnection) socket.attachment;
    }

    /** Starts the engine and opens one connection to {@code handler} (onOpen has run on return). */
    public static EmbeddedConnection open(EventHandler handler, Options options) throws IOException {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null: pass Options.defaults()");
        }
        MemoryTransport transport = new MemoryTransport();
        // Virtual time: timers run only when the test advances the clock.
        ManualClock clock = new ManualClock();
        // One loop that owns its listener (reusePort), so the connection stays where it is accepted.
        LoopGroup engine = LoopGroup.start(handler, options.toBuilder().loops(1).reusePort(true).build(),
                List.of("tcp://127.0.0.1:0"), transport, clock);
        MemoryPoller poller = transport.poller(0);
        try {
            MemorySocket socket = step(poller, () -> poller.listeners.get(0).connect());
            return new EmbeddedConnection(engine, clock, poller, socket);
        } catch (IOException | RuntimeException e) {
            try {
                engine.stop(Duration.ZERO);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /** The handler's side of the connection. */
    public Conn conn() {
        return conn;
    }

    /** The peer sends {@code bytes}: onTraffic runs (unless reading is suspended), output is flushed. */
    public void send(byte[] bytes) throws IOException {
        byte[] copy = bytes.clone();
        step(poller, () -> {
            socket.peerSends(copy);
            return null;
        });
    }

    /** The peer shuts down its output (a half-close): onHalfClose runs once the handler reads to it. */
    public void shutdownOutput() throws IOException {
        step(poller, () -> {
            socket.peerEnds();
            return null;
        });
    }

    /** The peer resets the connection: it closes with an IOException as cause. */
    public void reset() throws IOException {
        step(poller, () -> {
            socket.peerResets();
            return null;
        });
    }

    /** The peer stops reading: what the handler writes from now on waits in the connection. */
    public void stopReading() throws IOException {
        step(poller, () -> {
            socket.window = 0;
            return null;
        });
    }

    /** The peer reads again, as much as comes: waiting output is sent, onWritable may follow. */
    public void resumeReading() throws IOException {
        step(poller, () -> {
            socket.drain(MemorySocket.UNLIMITED);
            return null;
        });
    }

    /** The bytes the handler sent since the last call (what the peer would have read). */
    public byte[] received() throws IOException {
        return step(poller, () -> {
            byte[] fresh = socket.sent.toByteArray();
            socket.sent.reset();
            return fresh;
        });
    }

    /** Whether the handler shut down its output and it was sent (the peer would read end of stream). */
    public boolean outputShutDown() throws IOException {
        return step(poller, () -> socket.outputShut);
    }

    /** Lets the loop run one more iteration: queued tasks, due timers, flushes. */
    public void runPending() throws IOException {
        step(poller, () -> null);
    }

    public boolean isClosed() {
        return conn.output() == SocketConnection.Output.CLOSED;
    }

    /** Why the connection closed ({@code null} for a clean close or while it is open). */
    public Throwable closeCause() {
        return conn.closeCause();
    }

    /** Moves the virtual clock {@code by} forward on the loop, running the timers due meanwhile in order. */
    public void advance(Duration by) throws IOException {
        long nanos = by.toNanos();
        step(poller, () -> {
            Loop loop = engine.loop(0);
            loop.advanceClock(clock, clock.nanoTime() + nanos);
            return null;
        });
    }

    /** Stops the engine: the connection closes (onClose runs) if it has not. */
    @Override
    public void close() throws InterruptedException {
        engine.stop(Duration.ofSeconds(1));
    }

    private static <T> T step(MemoryPoller poller, java.util.function.Supplier<T> step) throws IOException {
        try {
            return MemoryTransport.onLoop(poller, step);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("the step failed on the loop: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the loop did not run the step within " + STEP_GUARD.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
