package io.jgnet;

/**
 * Told when an operation handed to a connection from any thread has been carried out on the
 * connection's loop: {@link Conn#asyncWrite}, {@link Conn#wake}, {@link Conn#closeWithCallback}.
 *
 * <p>Invoked on the connection's event loop thread, so it must not block. (The one exception:
 * {@link Conn#closeWithCallback} after the engine has stopped runs it at once on the calling
 * thread.) An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface AsyncCallback {
    /**
     * Called once the operation is done, on the connection's loop.
     *
     * @param conn  the connection the operation was for
     * @param error {@code null} if the operation succeeded, else why it did not (for example a
     *              {@link IllegalStateException} naming the connection as closed)
     */
    void onComplete(Conn conn, Throwable error);
}
