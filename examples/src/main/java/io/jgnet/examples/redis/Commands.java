package io.jgnet.examples.redis;

import static io.jgnet.examples.redis.RespWriter.ascii;

import io.jgnet.Action;
import java.util.List;

/**
 * Runs one parsed request against the {@link Store} and writes its reply, with Redis's replies
 * and error texts. Holds no per-connection state (that is the {@link Session}), so one instance
 * serves every loop; safe from any thread.
 */
final class Commands {
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    /** HELLO's reply up to the connection id, as a RESP2 flat map (Jedis reads it as one). */
    private static final byte[] HELLO_HEAD = ascii("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.0.0\r\n"
            + "$5\r\nproto\r\n:2\r\n$2\r\nid\r\n");
    private static final byte[] HELLO_TAIL = ascii("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
            + "$7\r\nmodules\r\n*0\r\n");
    private static final byte[] NX = ascii("NX");
    private static final byte[] XX = ascii("XX");
    private static final byte[] EX = ascii("EX");
    private static final byte[] PX = ascii("PX");
    private static final byte[] ASYNC = ascii("ASYNC");
    private static final byte[] SYNC = ascii("SYNC");
    private static final byte[] SETNAME = ascii("SETNAME");
    private static final byte[] GETNAME = ascii("GETNAME");
    private static final byte[] SETINFO = ascii("SETINFO");
    private static final byte[] LIB_NAME = ascii("LIB-NAME");
    private static final byte[] LIB_VER = ascii("LIB-VER");
    private static final byte[] ID = ascii("ID");
    private static final byte[] COUNT = ascii("COUNT");
    private static final byte[] DOCS = ascii("DOCS");
    private static final byte[] INFO = ascii("INFO");
    private static final byte[] LIST = ascii("LIST");
    private static final byte[] SLEEP = ascii("SLEEP");
    /** A sleep holds a thread and a slot of the connection's ordered replies: keep it short. */
    private static final int MAX_SLEEP_SECONDS = 60;
    /** Redis quotes at most this much of a client's words in an error message. */
    private static final int QUOTE_LIMIT = 128;

    private final Store store;

    Commands(Store store) {
        this.store = store;
    }

    /**
     * Runs the session's current request and writes the reply. Returns {@link Action#CLOSE}
     * after QUIT, else {@link Action#NONE}; an error is a reply, never thrown.
     */
    Action execute(Session session) {
        Request request = session.request;
        if (request.count() == 0) {
            return Action.NONE; // an empty line or *0: Redis answers nothing
        }
        Command command = Command.find(request);
        try {
            if (command == null) {
                throw unknownCommand(request);
            }
            if (!command.acceptsArgumentCount(request.count())) {
                throw RedisError.wrongArity(command);
            }
            return run(command, session);
        } catch (RedisError error) {
            session.out.error(error.getMessage());
            return Action.NONE;
        }
    }

    private Action run(Command command, Session session) {
        Request r = session.request;
        RespWriter out = session.out;
        int n = r.count();
        switch (command) {
            case PING -> {
                if (n > 2) {
                    throw RedisError.wrongArity(command);
                }
                if (n == 1) {
                    out.raw(PONG);
                } else {
                    out.bulk(r.buffer(), r.index(1), r.length(1));
                }
            }
            case ECHO -> out.bulk(r.buffer(), r.index(1), r.length(1));
            case QUIT -> {
                out.raw(OK);
                return Action.CLOSE;
            }
            case SELECT -> {
                if (r.integer(1) != 0) {
                    throw new RedisError("ERR DB index is out of range"); // one database, as a cluster node has
                }
                out.raw(OK);
            }
            case HELLO -> hello(session);
            case CLIENT -> client(session);
            case COMMAND -> command(session);
            case GET -> out.bulk(store.get(r.key(1, session.probe)));
            case SET -> set(session);
            case MGET -> {
                out.array(n - 1);
                for (int i = 1; i < n; i++) {
                    out.bulk(store.get(r.key(i, session.probe)));
                }
            }
            case MSET -> {
                if (n % 2 == 0) {
                    throw RedisError.wrongArity(command);
                }
                for (int i = 1; i < n; i += 2) {
                    store.set(r.key(i, session.probe), r.copy(i + 1), Store.NEVER, Store.Condition.ALWAYS);
                }
                out.raw(OK);
            }
            case DEL, EXISTS -> {
                long found = 0;
                for (int i = 1; i < n; i++) {
                    Key key = r.key(i, session.probe);
                    if (command == Command.DEL ? store.delete(key) : store.exists(key)) {
                        found++;
                    }
                }
                out.integer(found);
            }
            case INCR -> out.integer(store.incrementBy(r.key(1, session.probe), 1));
            case DECR -> out.integer(store.incrementBy(r.key(1, session.probe), -1));
            case INCRBY -> out.integer(store.incrementBy(r.key(1, session.probe), r.integer(2)));
            case DECRBY -> {
                long delta = r.integer(2);
                if (delta == Long.MIN_VALUE) {
                    throw new RedisError("ERR decrement would overflow");
                }
                out.integer(store.incrementBy(r.key(1, session.probe), -delta));
            }
            case EXPIRE -> expire(session);
            case TTL, PTTL -> {
                long millis = store.millisToLive(r.key(1, session.probe));
                // Redis rounds TTL to the nearest second; -1 and -2 are answers, not times.
                out.integer(millis < 0 || command == Command.PTTL ? millis : (millis + 500) / 1000);
            }
            case KEYS -> {
                List<byte[]> keys = store.keys(r.copy(1));
                out.array(keys.size());
                for (byte[] key : keys) {
                    out.bulk(key);
                }
            }
            case DBSIZE -> out.integer(store.size());
            case DEBUG -> debug(session);
            case FLUSHDB -> {
                if (n > 2 || n == 2 && !r.is(1, ASYNC) && !r.is(1, SYNC)) {
                    throw RedisError.SYNTAX;
                }
                store.clear();
                out.raw(OK);
            }
        }
        return Action.NONE;
    }

    /**
     * {@code DEBUG SLEEP seconds}: waits that long, then answers OK. Redis blocks its whole server
     * for it; here it is offloaded ({@link io.jgnet.Conn#offload}), so the loop goes on serving
     * everyone, and this connection's later replies still wait their turn behind the OK.
     */
    private void debug(Session session) {
        Request r = session.request;
        if (!r.is(1, SLEEP) || r.count() != 3) {
            throw new RedisError("ERR DEBUG subcommand must be SLEEP seconds; this server knows no other");
        }
        double seconds;
        try {
            seconds = Double.parseDouble(new String(r.copy(2), java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new RedisError("ERR value is not a valid float");
        }
        if (!(seconds >= 0 && seconds <= MAX_SLEEP_SECONDS)) {
            throw new RedisError("ERR DEBUG SLEEP takes 0 to " + MAX_SLEEP_SECONDS + " seconds");
        }
        long nanos = (long) (seconds * 1e9);
        session.out.offload(() -> {
            Thread.sleep(java.time.Duration.ofNanos(nanos));
            return OK;
        });
    }

    /** SET key value [EX seconds | PX milliseconds] [NX | XX] */
    private void set(Session session) {
        Request r = session.request;
        Store.Condition condition = Store.Condition.ALWAYS;
        int expiryArg = -1;
        boolean seconds = false;
        // Options first, as Redis does: a syntax error wins over a bad number.
        for (int i = 3; i < r.count(); i++) {
            boolean hasValue = i + 1 < r.count();
            if (r.is(i, NX) && condition != Store.Condition.IF_PRESENT) {
                condition = Store.Condition.IF_ABSENT;
            } else if (r.is(i, XX) && condition != Store.Condition.IF_ABSENT) {
                condition = Store.Condition.IF_PRESENT;
            } else if (r.is(i, EX) && (expiryArg < 0 || seconds) && hasValue) {
                seconds = true;
                expiryArg = ++i;
            } else if (r.is(i, PX) && (expiryArg < 0 || !seconds) && hasValue) {
                expiryArg = ++i;
            } else {
                throw RedisError.SYNTAX;
            }
        }
        long expiresAt = Store.NEVER;
        if (expiryArg >= 0) {
            long amount = r.integer(expiryArg);
            if (amount <= 0 || seconds && amount > Long.MAX_VALUE / 1000) {
                throw invalidExpireTime("set");
            }
            expiresAt = deadline(seconds ? amount * 1000 : amount, "set");
        }
        boolean stored = store.set(r.key(1, session.probe), r.copy(2), expiresAt, condition);
        if (stored) {
            session.out.raw(OK);
        } else {
            session.out.nullBulk();
        }
    }

    /** EXPIRE key seconds: a time not in the future deletes the key, as in Redis. */
    private void expire(Session session) {
        Request r = session.request;
        if (r.count() > 3) {
            // Redis 7's NX, XX, GT and LT are not implemented.
            throw new RedisError("ERR Unsupported option " + r.text(3, QUOTE_LIMIT));
        }
        long seconds = r.integer(2);
        if (seconds > Long.MAX_VALUE / 1000 || seconds < Long.MIN_VALUE / 1000) {
            throw invalidExpireTime("expire");
        }
        long expiresAt = deadline(seconds * 1000, "expire");
        session.out.integer(store.expireAt(r.key(1, session.probe), expiresAt) ? 1 : 0);
    }

    /** HELLO [2 [SETNAME name]]: RESP2 only, so a client asking for RESP3 gets NOPROTO and falls back. */
    private void hello(Session session) {
        Request r = session.request;
        byte[] name = session.name;
        if (r.count() >= 2) {
            long version;
            try {
                version = r.integer(1);
            } catch (RedisError notAnInteger) {
                throw new RedisError("ERR Protocol version is not an integer or out of range");
            }
            if (version != 2) {
                throw new RedisError("NOPROTO unsupported protocol version");
            }
            for (int i = 2; i < r.count(); i++) {
                if (r.is(i, SETNAME) && i + 1 < r.count()) {
                    name = clientName(r, ++i);
                } else {
                    throw new RedisError("ERR Syntax error in HELLO option '" + r.text(i, QUOTE_LIMIT) + "'");
                }
            }
        }
        session.name = name;
        session.out.raw(HELLO_HEAD);
        session.out.integer(session.id);
        session.out.raw(HELLO_TAIL);
    }

    /** CLIENT SETNAME | GETNAME | SETINFO | ID: enough for clients that announce themselves. */
    private void client(Session session) {
        Request r = session.request;
        RespWriter out = session.out;
        if (r.is(1, SETNAME)) {
            requireWords(r, 3, "client|setname");
            session.name = clientName(r, 2);
            out.raw(OK);
        } else if (r.is(1, GETNAME)) {
            requireWords(r, 2, "client|getname");
            out.bulk(session.name);
        } else if (r.is(1, SETINFO)) {
            requireWords(r, 4, "client|setinfo");
            if (!r.is(2, LIB_NAME) && !r.is(2, LIB_VER)) {
                throw new RedisError("ERR Unrecognized option '" + r.text(2, QUOTE_LIMIT) + "'");
            }
            out.raw(OK); // accepted and forgotten: nothing here reports it
        } else if (r.is(1, ID)) {
            requireWords(r, 2, "client|id");
            out.integer(session.id);
        } else {
            throw unknownSubcommand(r, "CLIENT");
        }
    }

    /** COMMAND [COUNT | DOCS | INFO | LIST]: a minimal valid answer for clients that probe it. */
    private void command(Session session) {
        Request r = session.request;
        if (r.count() == 1 || r.is(1, DOCS) || r.is(1, INFO) || r.is(1, LIST)) {
            session.out.raw(EMPTY_ARRAY);
        } else if (r.is(1, COUNT)) {
            requireWords(r, 2, "command|count");
            session.out.integer(Command.count());
        } else {
            throw unknownSubcommand(r, "COMMAND");
        }
    }

    /** Now plus {@code millis} on the store's clock, or Redis's error if that overflows. */
    private long deadline(long millis, String command) {
        long now = store.now();
        if (millis > Long.MAX_VALUE - now) {
            throw invalidExpireTime(command);
        }
        return now + millis;
    }

    private static byte[] clientName(Request r, int i) {
        byte[] name = r.copy(i);
        for (byte b : name) {
            if (b < '!' || b > '~') {
                throw new RedisError("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        return name.length == 0 ? null : name;
    }

    private static void requireWords(Request r, int words, String fullName) {
        if (r.count() != words) {
            throw new RedisError("ERR wrong number of arguments for '" + fullName + "' command");
        }
    }

    private static RedisError invalidExpireTime(String command) {
        return new RedisError("ERR invalid expire time in '" + command + "' command");
    }

    private static RedisError unknownSubcommand(Request r, String command) {
        return new RedisError("ERR unknown subcommand '" + r.text(1, QUOTE_LIMIT) + "'. Try " + command + " HELP.");
    }

    /** Redis's text, quoting the first arguments up to about 128 characters. */
    private static RedisError unknownCommand(Request r) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < r.count() && args.length() < QUOTE_LIMIT; i++) {
            args.append('\'').append(r.text(i, QUOTE_LIMIT - args.length())).append("' ");
        }
        return new RedisError("ERR unknown command '" + r.text(0, QUOTE_LIMIT)
                + "', with args beginning with: " + args);
    }
}
