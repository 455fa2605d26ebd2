package io.jgnet.examples;

import io.jgnet.Action;
import io.jgnet.Codec;
import io.jgnet.Conn;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A line-based chat server: each line a client sends goes to every other client, prefixed with
 * the sender's name; {@code /nick NAME} renames, {@code /who} lists, {@code /quit} leaves.
 *
 * <p>Shows a {@link FrameHandler} with the line codec, per-connection state in
 * {@link Conn#context}, and fan-out across loops: the members may live on other loop threads,
 * so a line for a member goes into the member's mailbox, and one task on the member's loop
 * ({@link Conn#execute}) writes whatever the mailbox holds. However many lines arrive, a member
 * has at most one task queued, so its loop's queue stays short and a client that just connected
 * is served without waiting behind a flood of other people's lines.
 *
 * <p>Fan-out with backpressure: one line costs every member a write, so a member that does not
 * read would otherwise collect everybody's lines in memory. Each member counts the bytes waiting
 * for it (in its mailbox and in its output buffer); a line that would take a member past
 * {@value #MAX_PENDING} bytes drops that member instead: it leaves the room at once and its
 * connection is closed. The server's memory for chat output is so bounded by members times
 * {@value #MAX_PENDING}, however fast the others talk.
 *
 * <p>One instance serves every loop of an engine: the member set and mailboxes are concurrent,
 * a member's name is set on its own loop and only read elsewhere, and its counts are atomic.
 */
public final class ChatServer extends FrameHandler {
    /** The longest line accepted; a longer one closes that client with a CodecException. */
    static final int MAX_LINE = 4096;
    /** The most output a member may have waiting before it is dropped as too slow. */
    static final int MAX_PENDING = 256 * 1024;
    /** What a queued line costs beyond its bytes (its array and queue node), so tiny lines count too. */
    private static final int PER_LINE_OVERHEAD = 64;

    private final Set<Member> members = ConcurrentHashMap.newKeySet();

    /** A client in the room: its connection, its name, and the output on its way to it. */
    static final class Member {
        final Conn conn;
        volatile String name;
        /** Lines for this member, written by one task on its loop. */
        final Queue<byte[]> mailbox = new ConcurrentLinkedQueue<>();
        /** Whether that task is queued: set by the line that finds it idle, cleared by the task. */
        final AtomicBoolean drainQueued = new AtomicBoolean();
        /** The cost of the lines in the mailbox. */
        final AtomicLong queued = new AtomicLong();
        /** The member's output buffer as its loop last saw it. */
        volatile int buffered;

        Member(Conn conn, String name) {
            this.conn = conn;
            this.name = name;
        }
    }

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
        Member member = new Member(conn, "guest-" + Integer.toHexString(System.identityHashCode(conn)));
        conn.context(member);
        members.add(member);
        send(conn, ascii("welcome, " + member.name + " (/nick NAME, /who, /quit)"));
        return Action.NONE;
    }

    @Override
    public Action onFrame(Conn conn, ByteBuffer frame) {
        Member member = (Member) conn.context();
        String line = StandardCharsets.UTF_8.decode(frame).toString();
        if (line.startsWith("/nick ") && line.length() > 6) {
            String old = member.name;
            member.name = line.substring(6).trim();
            broadcast(member, old + " is now " + member.name);
        } else if (line.equals("/who")) {
            StringBuilder names = new StringBuilder("online:");
            members.forEach(other -> names.append(' ').append(other.name));
            send(conn, ascii(names.toString()));
        } else if (line.equals("/quit")) {
            send(conn, ascii("bye"));
            return Action.CLOSE;
        } else {
            broadcast(member, member.name + ": " + line);
        }
        return Action.NONE;
    }

    @Override
    public Action onWritable(Conn conn) {
        // The member caught up: its output fell below the low watermark.
        ((Member) conn.context()).buffered = conn.outboundBuffered();
        return Action.NONE;
    }

    @Override
    public Action onClose(Conn conn, Throwable cause) {
        Member member = (Member) conn.context();
        if (members.remove(member)) {
            broadcast(member, member.name + " left");
        }
        return Action.NONE;
    }

    private void broadcast(Member from, String text) {
        byte[] line = relayable(text);
        long cost = line.length + 1L + PER_LINE_OVERHEAD;
        for (Member member : members) {
            if (member == from) {
                continue;
            }
            if (member.queued.addAndGet(cost) + member.buffered > MAX_PENDING) {
                drop(member);
                continue;
            }
            member.mailbox.add(line);
            if (member.drainQueued.compareAndSet(false, true)) {
                try {
                    member.conn.execute(() -> drain(member));
                } catch (RejectedExecutionException stopping) {
                    // The engine is stopping: the member is about to be closed anyway.
                }
            }
        }
    }

    /**
     * The bytes of a relayed line, cut to what the line codec sends: the sender's name in front
     * makes a line of the longest length a member may send too long to relay whole. The cut falls
     * between characters.
     */
    static byte[] relayable(String text) {
        byte[] line = text.getBytes(StandardCharsets.UTF_8);
        if (line.length <= MAX_LINE) {
            return line;
        }
        int end = MAX_LINE;
        while (end > 0 && (line[end] & 0xC0) == 0x80) {
            end--; // a continuation byte: the character it belongs to starts before it
        }
        return java.util.Arrays.copyOf(line, end);
    }

    /** On the member's loop: writes every line in its mailbox, then notes how much output waits. */
    private void drain(Member member) {
        member.drainQueued.set(false);
        long written = 0;
        byte[] line;
        while ((line = member.mailbox.poll()) != null) {
            written += line.length + 1L + PER_LINE_OVERHEAD;
            if (member.conn.isOpen()) {
                send(member.conn, ByteBuffer.wrap(line));
            }
        }
        member.queued.addAndGet(-written);
        if (member.conn.isOpen()) {
            member.buffered = member.conn.outboundBuffered();
        }
    }

    /** A member that cannot keep up leaves at once (no more lines are queued for it) and is closed. */
    private void drop(Member member) {
        if (members.remove(member)) {
            member.conn.close();
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
