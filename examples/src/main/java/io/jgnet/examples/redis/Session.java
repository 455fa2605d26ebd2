package io.jgnet.examples.redis;

import io.jgnet.Conn;

/**
 * What the server keeps per connection (in {@link Conn#context()}): the parser and its request,
 * the reply writer, a reusable lookup key and the client's name.
 *
 * <p>Owned by the connection's loop thread; no field is touched from elsewhere.
 */
final class Session {
    final long id;
    final Request request = new Request();
    final RespParser parser;
    final RespWriter out;
    final Key probe = Key.newProbe();
    /** CLIENT SETNAME, or {@code null}. */
    byte[] name;
    /** Reading is suspended because replies wait to be sent; commands stay buffered meanwhile. */
    boolean paused;
    /** The peer half-closed while commands were still buffered: close once they are answered. */
    boolean inputEnded;

    Session(long id, RedisConfig config, Conn conn) {
        this.id = id;
        this.parser = new RespParser(config, request);
        this.out = new RespWriter(conn);
    }
}
