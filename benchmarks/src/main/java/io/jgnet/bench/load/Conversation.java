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
        // Printable bytes without a newline, so that a line codec sees one line.
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return switch (protocol) {
            case "http" -> new HttpConversation(pipeline, host);
            case "resp" -> new Script(respScript(connection), pipeline);
            case "echo" -> echo(payload, pipeline);
            case "frame-length" -> echo(ByteBuffer.allocate(4 + size).putInt(size).put(payload).array(), pipeline);
            case "frame-line" -> echo(ByteBuffer.allocate(size + 1).put(payload).put((byte) '\n').array(), pipeline);
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol + "'");
        };
    }

    private static Conversation echo(byte[] request, int pipeline) {
        return new Script(List.of(new Step(request, request)), pipeline);
    }

    /** A request and the response it must get. */
    record Step(byte[] request, byte[] reply) {
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
