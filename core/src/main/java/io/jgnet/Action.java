package io.jgnet;

/**
 * What the engine should do after a handler callback returns.
 *
 * <p>An immutable enum: safe to share between threads.
 */
public enum Action {
    /** Carry on. */
    NONE,
    /** Close this connection once the output already written has been sent. */
    CLOSE,
    /**
     * Stop the whole engine gracefully, as {@link Engine#stop} would with
     * {@link Options#closeTimeout()}; the stop runs on a thread of its own, so the callback
     * returns at once.
     */
    SHUTDOWN
}
