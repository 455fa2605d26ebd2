package io.jgnet.examples;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.FrameHandler;
import java.nio.ByteBuffer;

/**
 * A length-field RPC echo: each request is a 4-byte big-endian length and a body of that many
 * bytes (at most {@link #MAX_FRAME}); the reply is framed the same way and carries the same body.
 * Pipelined requests are answered in order, all replies of one read in one write.
 */
final class RpcEchoServer extends FrameHandler {
    /** The largest request body accepted; a larger length closes that client. */
    static final int MAX_FRAME = 1 << 20;

    RpcEchoServer() {
        super(Codec.lengthField().lengthFieldLength(4).maxFrameLength(MAX_FRAME + 4).build());
    }

    @Override
    public Action onFrame(Conn conn, ByteBuffer request) {
        send(conn, request);
        return Action.NONE;
    }
}
