package io.jgnet.examples.redis;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A Redis-compatible server for strings: RESP2 (arrays of bulk strings and inline commands),
 * pipelining, and PING, ECHO, SET [EX|PX] [NX|XX], GET, MGET, MSET, DEL, EXISTS, INCR, DECR,
 * INCRBY, DECRBY, EXPIRE, TTL, PTTL, KEYS, DBSIZE, FLUSHDB, SELECT 0, QUIT, plus the HELLO,
 * CLIENT and COMMAND forms that clients send on connecting, and DEBUG SLEEP, which shows how
 * blocking work is offloaded with replies kept in order. redis-cli, redis-benchmark and
 * Jedis work against it. Serve it on stream addresses ({@code tcp://}, {@code unix://}).
 *
 * <pre>{@code
 * RedisServer redis = new RedisServer(RedisConfig.defaults());
 * Engine engine = Jgnet.start(redis, "tcp://127.0.0.1:6380", redis.options(Options.defaults()));
 * }</pre>
 *
 * <h2>How a request is served</h2>
 * {@code onTraffic} parses as many complete commands as the inbound bytes hold, straight from
 * the connection's read view, answers each into one reply buffer, consumes exactly what it
 * parsed and leaves a partial command buffered for the next read. If the replies pile up past
 * the connection's high watermark (a client pipelining big GETs without reading), the server
 * stops reading from that client until {@code onWritable}, so neither direction grows without
 * bound.
 *
 * <h2>Threading</h2>
 * One instance serves every loop of one engine (its expiry sweep assumes a single ticker).
 * Per-connection state lives in the connection's context and is touched only on its loop
 * thread; the keyspace is one concurrent map shared by all loops, each single-key command
 * atomic, multi-key commands atomic per key; expired keys are swept on the engine's ticker (one
 * loop thread), with bounded work per tick. Use {@link #options} so the ticker runs and the
 * buffer caps match this server's limits.
 */
public final class RedisServer implements EventHandler {
    private final RedisConfig config;
    private final Store store;
    private final Commands commands;
    private final AtomicLong connectionIds = new AtomicLong();

    /** A server with an empty keyspace whose expiry times follow a monotonic clock. */
    public RedisServer(RedisConfig config) {
        this(config, monotonicMillis());
    }

    /** A server whose expiry times are read from {@code clock} (milliseconds), so tests can move time. */
    RedisServer(RedisConfig config, LongSupplier clock) {
        this.config = config;
        this.store = new Store(clock);
        this.commands = new Commands(store);
    }

    /**
     * Starts a server with {@code config} on {@code address}, for example
     * {@code "tcp://127.0.0.1:6380"}, with {@code base} as {@link #options} adapts it; stop it
     * with {@link Engine#stop}. Any thread but a loop's.
     */
    public static Engine start(RedisConfig config, String address, Options base) throws IOException {
        RedisServer server = new RedisServer(config);
        return Jgnet.start(server, address, server.options(base));
    }

    /**
     * Serves {@code args[0]} (default {@code tcp://127.0.0.1:6380}) until the process is killed;
     * try {@code redis-cli -p 6380 ping}.
     */
    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "tcp://127.0.0.1:6380";
        start(RedisConfig.defaults(), address, Options.defaults()).awaitTermination();
    }

    /**
     * {@code base} with what this server needs: the ticker on (for the expiry sweep), an inbound
     * cap just above the largest request it accepts (its own limits fire first, with a reply;
     * the engine's cap is the backstop), and an outbound cap that holds a maximal reply.
     * {@code base}'s timeouts are kept: Redis's {@code timeout} (close a client idle that long,
     * 0 = never, the default) is {@code base.toBuilder().timeouts(t -> t.idle(...))}.
     */
    public Options options(Options base) {
        long inbound = Math.max(base.readBufferCap(), (long) config.maxRequestLength() + config.maxInlineLength());
        // One reply can be a maximal value on top of a high watermark of earlier replies; an
        // answer bigger than this (a huge MGET or KEYS) closes that client, as Redis's
        // client-output-buffer-limit would.
        long outbound = Math.max(base.writeBufferCap(), 2L * config.maxRequestLength());
        return base.toBuilder()
                .ticker(true)
                .inboundBufferCap((int) inbound)
                .writeBufferCap((int) outbound)
                .build();
    }

    @Override
    public Action onOpen(Conn conn) {
        conn.context(new Session(connectionIds.incrementAndGet(), config, conn));
        return Action.NONE;
    }

    @Override
    public Action onTraffic(Conn conn) {
        return serve(conn, (Session) conn.context());
    }

    @Override
    public Action onWritable(Conn conn) {
        Session session = (Session) conn.context();
        if (!session.paused) {
            return Action.NONE;
        }
        session.paused = false;
        conn.resumeReading();
        return serve(conn, session);
    }

    @Override
    public Action onHalfClose(Conn conn) {
        Session session = (Session) conn.context();
        if (session.paused) {
            // Commands are still buffered: answer them, then close (see serve).
            session.inputEnded = true;
            return Action.NONE;
        }
        return Action.CLOSE;
    }

    @Override
    public Duration onTick() {
        store.sweep(config.sweepBudget());
        return config.sweepInterval();
    }

    /** Answers every complete command buffered, unless paused; consumes exactly those. */
    private Action serve(Conn conn, Session session) {
        if (session.paused) {
            return Action.NONE;
        }
        ByteBuffer in = conn.peek(-1);
        int start = in.position();
        int at = start;
        Action action = Action.NONE;
        try {
            int length;
            while (action == Action.NONE && (length = session.parser.parse(in, at)) > 0) {
                at += length;
                action = commands.execute(session);
                if (action == Action.NONE && !conn.isWritable()) {
                    session.paused = true;
                    conn.suspendReading();
                    break;
                }
            }
        } catch (RedisError protocolError) {
            // Only the parser throws out of here: the stream is unreadable, so answer and close.
            session.out.error(protocolError.getMessage());
            action = Action.CLOSE;
        }
        conn.discard(at - start);
        session.out.flush();
        if (action == Action.NONE && session.inputEnded && !session.paused) {
            action = Action.CLOSE;
        }
        return action;
    }

    /** Milliseconds since this call, from {@link System#nanoTime()}: immune to wall-clock jumps, never negative. */
    private static LongSupplier monotonicMillis() {
        long origin = System.nanoTime();
        return () -> (System.nanoTime() - origin) / 1_000_000;
    }
}
