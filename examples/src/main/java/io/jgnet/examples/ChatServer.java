package io.jgnet.examples;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A line-based chat server: each line a client sends goes to every other client, prefixed with
 * the sender's name; {@code /nick NAME} renames, {@code /who} lists, {@code /quit} leaves.
 *
 * <p>Shows a {@link FrameHandler} with the line codec, per-connection state in
 * {@link Conn#context}, and fan-out across loops with {@link FrameHandler#sendAsync} (the
 * members may live on other loop threads, so writes to them must be asynchronous).
 *
 * <p>One instance serves every loop of an engine: the member set is concurrent, a member's name
 * (its context) is set on its own loop and only read elsewhere.
 */
public final class ChatServer extends FrameHandler {
    /** The longest line accepted; a longer one closes that client with a CodecException. */
    static final int MAX_LINE = 4096;

    private final Set<Conn> members = ConcurrentHashMap.newKeySet();

    /** A chat room with no members yet. */
    public ChatServer() {
        super(Codec.line(MAX_LINE, true));
    }

    /** Serves {@code args[0]} (default {@code tcp://127.0.0.1:9001}) until the process is killed. */
    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "tcp://127.0.0.1:9001";
        Jgnet.run(new ChatServer(), address);
    }

    @Override
    public Action onOpen(Conn conn) {
        conn.context("guest-" + Integer.toHexString(System.identityHashCode(conn)));
        members.add(conn);
        send(conn, ascii("welcome, " + conn.context() + " (/nick NAME, /who, /quit)"));
        return Action.NONE;
    }

    @Override
    public Action onFrame(Conn conn, ByteBuffer frame) {
        String line = StandardCharsets.UTF_8.decode(frame).toString();
        if (line.startsWith("/nick ") && line.length() > 6) {
            String old = (String) conn.context();
            conn.context(line.substring(6).trim());
            broadcast(conn, old + " is now " + conn.context());
        } else if (line.equals("/who")) {
            StringBuilder names = new StringBuilder("online:");
            members.forEach(member -> names.append(' ').append(member.context()));
            send(conn, ascii(names.toString()));
        } else if (line.equals("/quit")) {
            send(conn, ascii("bye"));
            return Action.CLOSE;
        } else {
            broadcast(conn, conn.context() + ": " + line);
        }
        return Action.NONE;
    }

    @Override
    public Action onClose(Conn conn, Throwable cause) {
        if (members.remove(conn)) {
            broadcast(conn, conn.context() + " left");
        }
        return Action.NONE;
    }

    private void broadcast(Conn from, String text) {
        for (Conn member : members) {
            if (member != from) {
                sendAsync(member, ascii(text), null);
            }
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
