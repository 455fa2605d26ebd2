package io.jgnet.engine;

import io.jgnet.Action;
import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.ConnectionTimeoutException;
import io.jgnet.EventHandler;
import java.time.Duration;

/**
 * The one place a loop calls the user's handler. Each call carries out the handler's verdict
 * ({@link Action}); anything it throws, {@link Error}s included, closes the connection at fault
 * with the exception as cause and never reaches the loop.
 *
 * <p>A handler's exception is logged once, at WARNING, naming the connection and the cause,
 * unless the handler overrides {@link EventHandler#onClose}: a handler that receives the cause
 * there has taken charge of it. Lines are rate-limited per loop ({@link FailureLog}), so a client
 * that makes the handler throw on every request cannot flood the log.
 *
 * <p>Owned by one loop thread.
 */
final class HandlerCalls {
    private static final int OPEN = 0;
    private static final int TRAFFIC = 1;
    private static final int HALF_CLOSE = 2;
    private static final int WRITABLE = 3;

    private final EventHandler handler;
    private final LoopGroup engine;
    private final FailureLog log;
    private final boolean handlerTakesCloseCauses;

    HandlerCalls(EventHandler handler, LoopGroup engine, FailureLog log) {
        this.handler = handler;
        this.engine = engine;
        this.log = log;
        this.handlerTakesCloseCauses = overridesOnClose(handler);
    }

    /** Whether {@code handler}'s class (or a superclass other than the interface) declares onClose. */
    static boolean overridesOnClose(EventHandler handler) {
        try {
            return handler.getClass().getMethod("onClose", Conn.class, Throwable.class).getDeclaringClass()
                    != EventHandler.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    void open(Connection conn) {
        call(conn, OPEN);
    }

    void traffic(Connection conn) {
        call(conn, TRAFFIC);
    }

    void halfClose(Connection conn) {
        call(conn, HALF_CLOSE);
    }

    void writable(Connection conn) {
        call(conn, WRITABLE);
    }

    private void call(Connection conn, int callback) {
        Action action;
        try {
            action = switch (callback) {
                case OPEN -> handler.onOpen(conn);
                case TRAFFIC -> handler.onTraffic(conn);
                case HALF_CLOSE -> handler.onHalfClose(conn);
                default -> handler.onWritable(conn);
            };
        } catch (Throwable t) {
            if (!handlerTakesCloseCauses || !conn.hearsOnClose()) {
                log.handlerFailed(conn, t);
            }
            conn.handlerFailed(t);
            return;
        }
        if (action == Action.CLOSE) {
            conn.close();
        } else if (action == Action.SHUTDOWN) {
            engine.shutdownFromCallback();
        }
    }

    /**
     * One of the connection's timeouts expired: the handler's verdict. SHUTDOWN is carried out
     * here; a handler that throws closes the connection with its exception (null is returned).
     */
    Action timedOut(Connection conn, ConnectionTimeoutException timeout) {
        Action action;
        try {
            action = handler.onTimeout(conn, timeout);
        } catch (Throwable t) {
            if (!handlerTakesCloseCauses || !conn.hearsOnClose()) {
                log.handlerFailed(conn, t);
            }
            conn.handlerFailed(t);
            return null;
        }
        if (action == Action.SHUTDOWN) {
            engine.shutdownFromCallback();
        }
        return action;
    }

    /** The connection is closed: the last callback about it. */
    void closed(Connection conn, Throwable cause) {
        try {
            if (handler.onClose(conn, cause) == Action.SHUTDOWN) {
                engine.shutdownFromCallback();
            }
        } catch (Throwable t) {
            log.failed("onClose threw for ", conn, t);
        }
    }

    void callback(AsyncCallback callback, Conn conn, Throwable error) {
        if (callback == null) {
            return;
        }
        try {
            callback.onComplete(conn, error);
        } catch (Throwable t) {
            log.failed("async callback threw for ", conn, t);
        }
    }

    /** The ticker's next delay; a ticker that throws is tried again in a second. */
    Duration tick() {
        try {
            return handler.onTick();
        } catch (Throwable t) {
            log.failed("onTick threw; the ticker goes on in 1 s", null, t);
            return Duration.ofSeconds(1);
        }
    }
}
