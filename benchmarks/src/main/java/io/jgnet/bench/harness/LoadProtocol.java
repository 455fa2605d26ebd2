package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One protocol of {@link BenchLoad}: what a connection sends and how its responses are checked.
 * A protocol builds every request batch up front, so the load loop writes prebuilt bytes and
 * spends its CPU on syscalls rather than on encoding.
 *
 * <p>Threading: a protocol is built on the load thread and then only read; each
 * {@link Conversation} belongs to one connection and is used by the load thread alone.
 */
interface LoadProtocol {

    /** The {@code --protocol} names of the request/response protocols. */
    List<String> NAMES = List.of("echo", "http", "resp");

    /** The requests and the response checks of connection number {@code connection} (0-based). */
    Conversation open(int connection);

    /** Frames one connection's response stream and checks each response. */
    interface ResponseScanner {

        /**
         * Scans the bytes between {@code in}'s position and limit, which continue the response
         * stream where the previous call stopped: a response may be split at any byte, and one
         * call may hold several. Leaves the position at the limit.
         *
         * @return how many responses this call completed, correct or not
         * @throws MalformedResponseException if the stream cannot be framed any more; the
         *                                    connection is then useless
         */
        int consume(ByteBuffer in) throws MalformedResponseException;

        /** Completed responses so far that were not the expected ones. */
        long mismatches();
    }

    /**
     * One connection's side of the protocol. The load loop alternates: write
     * {@link #nextBatch()} (pipeline requests), feed every byte read to {@link #consume} until
     * it has reported that many complete responses, then ask for the next batch.
     */
    interface Conversation extends ResponseScanner {

        /**
         * The next batch of requests, position 0, limit at its end. The buffer is owned by the
         * conversation and reused for later batches; the caller only advances its position while
         * writing it out and must be done with it before asking for the next one.
         */
        ByteBuffer nextBatch();

        /** A conversation that sends what {@code batches} gives and leaves checking to {@code scanner}. */
        static Conversation of(Supplier<ByteBuffer> batches, ResponseScanner scanner) {
            return new Conversation() {
                @Override
                public ByteBuffer nextBatch() {
                    return batches.get();
                }

                @Override
                public int consume(ByteBuffer in) throws MalformedResponseException {
                    return scanner.consume(in);
                }

                @Override
                public long mismatches() {
                    return scanner.mismatches();
                }
            };
        }
    }

    /**
     * The protocol named {@code name} ({@link #NAMES}), with {@code pipeline} requests per batch.
     *
     * @param flags the load generator's flags; each protocol reads the ones it needs
     * @throws IllegalArgumentException for an unknown name or a bad protocol flag
     */
    static LoadProtocol of(String name, int pipeline, Map<String, String> flags) {
        return switch (name) {
            case "echo" -> new EchoProtocol(pipeline, Flags.positive(flags, "size"));
            case "http" -> new HttpProtocol(pipeline, flags.get("host") + ":" + flags.get("port"));
            case "resp" -> new RespProtocol(pipeline, RespProtocol.Command.parse(flags.get("command")));
            default -> throw new IllegalArgumentException("unknown protocol '" + name + "'");
        };
    }
}
