package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RESP2 (Redis): each connection sends a cyclic script of commands as RESP arrays, {@code
 * pipeline} per batch, and checks every reply against the one its command must get.
 *
 * <ul>
 *   <li>{@code ping}: PING, expects {@code +PONG}.</li>
 *   <li>{@code set}: SET key:C:N value:C:N, expects {@code +OK}.</li>
 *   <li>{@code get}: GET key:C:N, expects the value above or the null bulk string
 *       ({@code $-1}, nothing set yet).</li>
 *   <li>{@code mix}: PING, SET key:C:N value:C:N, GET key:C:N, over and over: +PONG, +OK, the
 *       value. The GET follows its SET on the same connection, so only the value is right.</li>
 * </ul>
 * C is the connection and N runs over {@link #KEYS_PER_CONNECTION} keys, so no two connections
 * share a key and a reply meant for another connection is caught.
 *
 * <p>The script repeats, and so do its batches: all of them are built up front (at most
 * script-length many per connection), and the load loop only writes them out.
 *
 * <p>Immutable; its conversations are single-threaded (see {@link LoadProtocol}).
 */
final class RespProtocol implements LoadProtocol {

    /** Keys each connection cycles through: a few, so the server's table is small and hot. */
    static final int KEYS_PER_CONNECTION = 8;

    /** The {@code --command} values. */
    enum Command {
        PING, SET, GET, MIX;

        static Command parse(String name) {
            for (Command c : values()) {
                if (c.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("--command must be ping, set, get or mix, got '" + name + "'");
        }
    }

    /** One command of the script and the encodings its reply may have. */
    record Step(byte[] request, List<byte[]> replies) {
    }

    private final int pipeline;
    private final Command command;

    RespProtocol(int pipeline, Command command) {
        this.pipeline = pipeline;
        this.command = command;
    }

    @Override
    public Conversation open(int connection) {
        List<Step> script = script(command, connection);
        ByteBuffer[] batches = batches(script, pipeline);
        RespReplyScanner scanner = new RespReplyScanner(script.stream().map(Step::replies).toList());
        int[] next = {0}; // the batch after this one, in turn
        return Conversation.of(() -> {
            ByteBuffer batch = batches[next[0]];
            next[0] = next[0] + 1 == batches.length ? 0 : next[0] + 1;
            return batch.rewind();
        }, scanner);
    }

    /** The commands connection {@code connection} sends, in order, over and over. */
    static List<Step> script(Command command, int connection) {
        List<Step> script = new ArrayList<>();
        if (command == Command.PING) {
            script.add(new Step(array("PING"), List.of(ascii("+PONG\r\n"))));
            return script;
        }
        for (int n = 0; n < KEYS_PER_CONNECTION; n++) {
            String key = "key:" + connection + ":" + n;
            String value = "value:" + connection + ":" + n;
            byte[] bulkValue = ascii("$" + value.length() + "\r\n" + value + "\r\n");
            switch (command) {
                case SET -> script.add(new Step(array("SET", key, value), List.of(ascii("+OK\r\n"))));
                case GET -> script.add(new Step(array("GET", key), List.of(bulkValue, ascii("$-1\r\n"))));
                case MIX -> {
                    script.add(new Step(array("PING"), List.of(ascii("+PONG\r\n"))));
                    script.add(new Step(array("SET", key, value), List.of(ascii("+OK\r\n"))));
                    script.add(new Step(array("GET", key), List.of(bulkValue)));
                }
                default -> throw new AssertionError(command);
            }
        }
        return script;
    }

    /**
     * The distinct batches: batch b holds script steps bP .. bP+P-1 (mod the script's length L),
     * and batch L/gcd(P, L) is batch 0 again.
     */
    static ByteBuffer[] batches(List<Step> script, int pipeline) {
        int length = script.size();
        int count = length / gcd(pipeline, length);
        ByteBuffer[] batches = new ByteBuffer[count];
        for (int b = 0; b < count; b++) {
            int bytes = 0;
            for (int j = 0; j < pipeline; j++) {
                bytes = Math.addExact(bytes, script.get((int) (((long) b * pipeline + j) % length)).request().length);
            }
            ByteBuffer batch = ByteBuffer.allocateDirect(bytes);
            for (int j = 0; j < pipeline; j++) {
                batch.put(script.get((int) (((long) b * pipeline + j) % length)).request());
            }
            batches[b] = batch.flip();
        }
        return batches;
    }

    /** A command as a RESP array of bulk strings, the form redis-cli and clients send. */
    static byte[] array(String... words) {
        StringBuilder s = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (String w : words) {
            s.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        return ascii(s.toString());
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
