package io.jgnet.examples.redis;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jgnet.examples.FuzzReads;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the RESP parser (arrays of bulk strings and inline commands), fed
 * as {@code RedisServer.serve} feeds it: parse from the first unconsumed byte, consume each
 * complete command, and on 0 wait for more bytes after the same first byte (the parser resumes).
 *
 * <p>Invariants: only commands or a protocol {@link RedisError} come out; a command consumes at
 * least one byte and its arguments lie inside it; a wait holds no more than one command of
 * {@code maxRequestLength} plus a header line; and the stream cut into reads gives the same
 * commands, argument for argument, and the same verdict as the stream in one read.
 *
 * <p>Seeds: {@code src/test/resources/io/jgnet/examples/redis/RespParserFuzzTestInputs/}. See
 * {@code io.jgnet.codec.CodecFuzzTest} in core for how the fuzz tests run.
 */
class RespParserFuzzTest {
    /** Small limits, so that short inputs reach them. */
    private static final RedisConfig SMALL = new RedisConfig(100, 200, 16, 32, Duration.ofMillis(100), 10);
    private static final int MAX_WAITING = SMALL.maxRequestLength() + SMALL.maxInlineLength() + 2;

    // libFuzzer's dictionary syntax: \xNN for bytes outside printable ASCII.
    @FuzzTest
    @DictionaryEntries({"\\x0D\\x0A", "*1\\x0D\\x0A", "*2\\x0D\\x0A", "$3\\x0D\\x0A", "$0\\x0D\\x0A", "$-1",
            "*-1\\x0D\\x0A", "*0\\x0D\\x0A", "PING", "SET k v", "GET", "\\x0A", "-", "99999999999999999999"})
    void commands(byte[] data) {
        FuzzReads reads = new FuzzReads(data);
        Outcome whole = parseAll(reads.inOneRead());
        Outcome cut = parseAll(reads);
        check(cut.commands().equals(whole.commands()), "commands differ when the stream is cut into reads: "
                + cut.commands() + " against " + whole.commands() + " in one read");
        check(cut.error() == whole.error(), "a stream cut into reads ends in error " + cut.error()
                + ", the same stream in one read in " + whole.error());
    }

    /** Each command as its arguments' [start, end) offsets in the wire, and whether a protocol error ended it. */
    private record Outcome(List<List<Integer>> commands, boolean error) {
    }

    private static Outcome parseAll(FuzzReads reads) {
        Request request = new Request();
        RespParser parser = new RespParser(SMALL, request);
        ByteBuffer inbound = reads.buffer();
        List<List<Integer>> commands = new ArrayList<>();
        int at = 0;
        try {
            while (reads.hasMore()) {
                reads.next(inbound);
                ByteBuffer in = inbound.duplicate().flip();
                int length;
                while ((length = parser.parse(in, at)) > 0) {
                    check(at + length <= in.limit(), "a command of " + length + " bytes at " + at + " of " + in.limit());
                    List<Integer> arguments = new ArrayList<>();
                    for (int i = 0; i < request.count(); i++) {
                        int start = request.index(i);
                        int end = start + request.length(i);
                        check(start >= at && end <= at + length && start <= end,
                                "argument [" + start + ", " + end + ") outside its command [" + at + ", " + (at + length) + ")");
                        arguments.add(start);
                        arguments.add(end);
                    }
                    commands.add(arguments);
                    at += length;
                }
                check(in.limit() - at <= MAX_WAITING, (in.limit() - at) + " bytes wait for a command, more than "
                        + MAX_WAITING);
            }
        } catch (RedisError protocolError) {
            check(protocolError.getMessage() != null && !protocolError.getMessage().isEmpty(), "an empty error");
            return new Outcome(commands, true);
        }
        return new Outcome(commands, false);
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
