package io.jgnet;

import java.nio.ByteBuffer;

/**
 * An {@link EventHandler} that speaks in frames: subclass it with a {@link Codec} and implement
 * {@link #onFrame}; every other callback is the ordinary one and may be overridden as usual.
 *
 * <pre>{@code
 * new FrameHandler(Codec.line(8192, true)) {
 *     public Action onFrame(Conn conn, ByteBuffer line) {
 *         send(conn, line);   // echo the line back, framed
 *         return Action.NONE;
 *     }
 * }
 * }</pre>
 *
 * <p>One {@code onTraffic} delivers every complete frame already buffered, in order; bytes of
 * an incomplete frame stay buffered until more arrive. A {@link CodecException} from the codec
 * closes that connection, with the exception as {@code onClose}'s cause.
 *
 * <h2>Threading and ownership</h2>
 * {@link #onFrame} runs on the connection's loop thread. The frame is a view of inbound bytes,
 * reused for the next frame and valid until {@code onFrame} returns; its position is where the
 * frame starts in that view, not necessarily 0. To hand a frame to a worker, copy it first
 * (for example with {@link #copy}) and answer with {@link #sendAsync}. Do not use the read
 * side of the connection inside {@code onFrame}. Instances are shared by all connections, so keep
 * per-connection state in {@link Conn#context}.
 */
public abstract class FrameHandler implements EventHandler {
    private final Codec codec;

    /**
     * A handler that frames traffic with {@code codec}.
     *
     * @param codec cuts inbound bytes into frames and frames what {@link #send} writes
     */
    protected FrameHandler(Codec codec) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null");
        }
        this.codec = codec;
    }

    /**
     * This handler's codec.
     *
     * @return the codec given to the constructor
     */
    public final Codec codec() {
        return codec;
    }

    /**
     * One complete frame arrived. Returning anything but {@link Action#NONE} stops delivering
     * the frames buffered behind this one (they are dropped if the connection closes).
     *
     * @param conn  the connection the frame came on
     * @param frame a view of the frame, valid until this returns
     * @return what to do with the connection: {@link Action#NONE} to go on
     */
    public abstract Action onFrame(Conn conn, ByteBuffer frame);

    /** Decodes every buffered frame and hands each to {@link #onFrame}. */
    @Override
    public final Action onTraffic(Conn conn) {
        ByteBuffer in = conn.peek(-1);
        ByteBuffer frame = frameView(conn, in);
        int start = in.position();
        Action action = Action.NONE;
        try {
            ByteBuffer decoded;
            while (action == Action.NONE && (decoded = codec.decode(in, frame)) != null) {
                action = onFrame(conn, decoded);
            }
        } finally {
            conn.discard(in.position() - start);
        }
        return action;
    }

    /**
     * A second view of {@code in}'s bytes for the codec to narrow to each frame in turn, so that
     * framing allocates nothing. A second peek gives one from the loop's reusable views, which
     * the loop also empties after the callback, so a frame kept too long reads nothing; a
     * duplicate serves if the connection's views do not line up.
     */
    private static ByteBuffer frameView(Conn conn, ByteBuffer in) {
        ByteBuffer view = conn.peek(-1);
        if (view == in || view.position() != in.position() || view.limit() != in.limit()) {
            return in.duplicate();
        }
        return view;
    }

    /**
     * Writes {@code payload} framed by the codec. Loop thread, as {@link Conn#write}.
     *
     * @param conn    the connection to write to
     * @param payload the bytes to frame and send, from position to limit, consumed
     */
    public final void send(Conn conn, ByteBuffer payload) {
        codec.encode(payload, conn);
    }

    /**
     * Writes {@code payload} framed by the codec from any thread, then calls {@code callback}
     * (which may be {@code null}) on the loop, as {@link Conn#asyncWrite}. jgnet owns
     * {@code payload} until the callback runs.
     *
     * @param conn     the connection to write to
     * @param payload  the bytes to frame and send, from position to limit
     * @param callback called on the loop once the frame is queued, or {@code null}
     */
    public final void sendAsync(Conn conn, ByteBuffer payload, AsyncCallback callback) {
        conn.execute(() -> {
            Throwable error = null;
            try {
                codec.encode(payload, conn);
            } catch (RuntimeException e) {
                error = e;
            }
            if (callback != null) {
                callback.onComplete(conn, error);
            }
        });
    }

    /**
     * A heap copy of {@code frame}'s remaining bytes, safe to keep and hand to other threads.
     *
     * @param frame the bytes to copy, from position to limit (its position is left alone)
     * @return the copy, from 0 to its limit
     */
    public static ByteBuffer copy(ByteBuffer frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
        copy.put(frame.duplicate());
        return copy.flip();
    }
}
