package io.jgnet.examples;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import java.nio.ByteBuffer;

/**
 * A length-field RPC echo: each request is a 4-byte big-endian length and a body of that many
 * bytes (at most {@link #MAX_FRAME}); the reply is framed the same way and carries the same body.
 * Pipelined requests are answered in order, all replies of one read in one write.
 *
 * <p>Stateless, so one instance may serve any number of engines and loops at once.
 */
public final class RpcEchoServer extends FrameHandler {
    /** The largest request body accepted; a larger length closes that client. */
    static final int MAX_FRAME = 1 << 20;

    /** The echo, framed by a 4-byte length field. */
    public RpcEchoServer() {
        super(Codec.lengthField().lengthFieldLength(4).maxFrameLength(MAX_FRAME + 4).build());
    }

    /** Serves {@code args[0]} (default {@code tcp://127.0.0.1:9002}) until the process is killed. */
    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "tcp://127.0.0.1:9002";
        Jgnet.run(new RpcEchoServer(), address);
    }

    @Override
    public Action onFrame(Conn conn, ByteBuffer request) {
        send(conn, request);
        return Action.NONE;
    }
}
