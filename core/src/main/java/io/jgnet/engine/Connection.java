package io.jgnet.engine;

import io.jgnet.Conn;

/**
 * What {@link HandlerCalls} needs of a connection beyond {@link Conn}: how to end it when the
 * handler fails. Implemented by {@link SocketConnection} and {@link DatagramReply}. Loop thread.
 */
interface Connection extends Conn {

    /** The handler threw {@code cause} in a callback about this connection. */
    void handlerFailed(Throwable cause);

    /** Whether the handler will hear of this connection's end through onClose. */
    boolean hearsOnClose();
}
