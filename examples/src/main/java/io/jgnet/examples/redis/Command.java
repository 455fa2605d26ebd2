package io.jgnet.examples.redis;

import java.util.Locale;

/**
 * The commands the server knows, with Redis's arity: n means exactly n words (the name
 * included), -n means at least n.
 */
enum Command {
    PING(-1), ECHO(2), QUIT(-1), SELECT(2), HELLO(-1), CLIENT(-2), COMMAND(-1),
    GET(2), SET(-3), MGET(-2), MSET(-3), DEL(-2), EXISTS(-2),
    INCR(2), DECR(2), INCRBY(3), DECRBY(3),
    EXPIRE(-3), TTL(2), PTTL(2), KEYS(2), DBSIZE(1), FLUSHDB(-1), DEBUG(-2);

    private static final Command[] ALL = values();

    /** The name as clients may send it, in upper case, for a case-insensitive compare. */
    final byte[] upperName = name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The name as Redis writes it in error messages. */
    final String lowerName = name().toLowerCase(Locale.ROOT);
    private final int arity;

    Command(int arity) {
        this.arity = arity;
    }

    /** The command named by the request's first word, or {@code null}. Allocates nothing. */
    static Command find(Request request) {
        for (Command command : ALL) {
            if (request.is(0, command.upperName)) {
                return command;
            }
        }
        return null;
    }

    static int count() {
        return ALL.length;
    }

    boolean acceptsArgumentCount(int words) {
        return arity > 0 ? words == arity : words >= -arity;
    }
}
