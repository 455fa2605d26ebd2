package io.jgnet.examples.redis;

/**
 * An error reply, thrown where it is found and written by whoever answers the request. It
 * carries no stack trace: it is a reply, not a bug, and the common ones are shared instances so
 * that a client sending bad numbers in a loop allocates nothing.
 *
 * <p>A protocol error ({@link #closesConnection()}) means the byte stream can no longer be
 * trusted: the server sends it and closes that connection, as Redis does.
 */
final class RedisError extends RuntimeException {
    static final RedisError NOT_AN_INTEGER = new RedisError("ERR value is not an integer or out of range");
    static final RedisError SYNTAX = new RedisError("ERR syntax error");
    static final RedisError OVERFLOW = new RedisError("ERR increment or decrement would overflow");

    private final boolean closesConnection;

    private RedisError(String reply, boolean closesConnection) {
        super(reply, null, false, false);
        this.closesConnection = closesConnection;
    }

    /** An error reply after which the connection goes on; {@code reply} is the text after the '-'. */
    RedisError(String reply) {
        this(reply, false);
    }

    /** Malformed or oversized input: "ERR Protocol error: {@code what}", then the connection closes. */
    static RedisError protocol(String what) {
        return new RedisError("ERR Protocol error: " + what, true);
    }

    static RedisError wrongArity(Command command) {
        return new RedisError("ERR wrong number of arguments for '" + command.lowerName + "' command");
    }

    boolean closesConnection() {
        return closesConnection;
    }
}
