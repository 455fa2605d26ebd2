package io.jgnet.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one connection of the load sends and how its responses are framed and checked. Requests
 * are built up front, so the load loop writes prebuilt bytes and spends its CPU on system calls.
 * Not thread-safe: one per connection, used by the load thread.
 */
interface Conversation {

    /** The next batch of requests, positioned to be written. */
    ByteBuffer nextBatch();

    /**
     * Scans the bytes between {@code in}'s position and limit, which continue the response stream
     * where the previous call stopped (a response may be split at any byte); leaves the position
     * at the limit and returns how many responses it completed, correct or not.
     *
     * @throws IOException if the stream cannot be framed any more
     */
    int consume(ByteBuffer in) throws IOException;

    /** Completed responses so far that were not the expected ones. */
    long mismatches();

    /** Connection {@code connection}'s conversation for {@code protocol}, {@code pipeline} requests per batch. */
    static Conversation of(String protocol, int connection, int pipeline, int size, String host) {
        return switch (protocol) {
            case "http" -> new HttpConversation(pipeline, host);
            case "echo" -> new Script(List.of(step(payload(size), null)), pipeline);
            case "frame-length" -> new Script(List.of(step(ByteBuffer.allocate(4 + size).putInt(size)
                    .put(payload(size)).array(), null)), pipeline);
            case "frame-line" -> {
                byte[] line = payload(size + 1);
                line[size] = '\n';
                yield new Script(List.of(step(line, null)), pipeline);
            }
            case "resp" -> new Script(respScript(connection), pipeline);
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol + "'");
        };
    }

    /** A request and the response it must get; a null reply means the request echoed. */
    record Step(byte[] request, byte[] reply) {
    }

    private static Step step(byte[] request, byte[] reply) {
        return new Step(request, reply == null ? request : reply);
    }

    /** {@code size} printable bytes without a newline, so a line codec sees one line. */
    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /**
     * PING, SET key:C:N value:C:N, GET key:C:N over 8 keys N of connection C, answered +PONG, +OK and
     * the value: no two connections share a key, so a reply meant for another one is caught.
     */
    static List<Step> respScript(int connection) {
        List<Step> script = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            String key = "key:" + connection + ":" + n;
            String value = "value:" + connection + ":" + n;
            script.add(new Step(resp("PING"), ascii("+PONG\r\n")));
            script.add(new Step(resp("SET", key, value), ascii("+OK\r\n")));
            script.add(new Step(resp("GET", key), ascii("$" + value.length() + "\r\n" + value + "\r\n")));
        }
        return script;
    }

    /** A command as a RESP array of bulk strings, the form clients send. */
    static byte[] resp(String... words) {
        StringBuilder s = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (String w : words) {
            s.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        return ascii(s.toString());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
