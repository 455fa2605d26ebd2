package io.jgnet;

/**
 * A {@link Codec} met bytes it cannot frame: a frame over its limit, a negative or absurd
 * length, a missing delimiter within the limit. Thrown from {@link Codec#decode}; when it escapes
 * a callback, the engine closes that connection only and hands this exception to
 * {@link EventHandler#onClose} as the cause. The message names the codec and the limit.
 *
 * <p>Immutable; safe to share.
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A codec error.
     *
     * @param message names the codec and what was wrong
     */
    public CodecException(String message) {
        super(message);
    }
}
