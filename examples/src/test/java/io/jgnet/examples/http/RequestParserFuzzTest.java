package io.jgnet.examples.http;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jgnet.examples.FuzzReads;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the HTTP request parser (heads, Content-Length and chunked bodies,
 * pipelining), fed as {@code HttpServer.serve} feeds it: parse from the first unconsumed byte,
 * consume each complete request, wait for more on {@code NEED_MORE}, stop at a rejection.
 *
 * <p>Invariants: a parse ends in a request, a wait, or one of the statuses the server knows how
 * to answer; a complete request consumes at least one byte, lies within what is buffered, and
 * can be copied out ({@code toRequest}) with a body within the limit; a wait holds no more than
 * {@link HttpConfig#maxRequestBytes()}; and the stream cut into reads gives the same requests
 * and the same verdict as the stream in one read.
 *
 * <p>Seeds: {@code src/test/resources/io/jgnet/examples/http/RequestParserFuzzTestInputs/}. See
 * {@code io.jgnet.codec.CodecFuzzTest} in core for how the fuzz tests run.
 */
class RequestParserFuzzTest {
    private static final HttpConfig SMALL = new HttpConfig(256, 512);
    private static final Set<Integer> STATUSES = Set.of(400, 413, 431, 501, 505);

    // libFuzzer's dictionary syntax: \xNN for bytes outside printable ASCII.
    @FuzzTest
    @DictionaryEntries({"\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "GET / HTTP/1.1", "POST /", " HTTP/1.0", "Host: a",
            "Content-Length: ", "Transfer-Encoding: chunked", "Connection: close", "Connection: keep-alive",
            "Expect: 100-continue", "0\\x0D\\x0A\\x0D\\x0A", ";ext=1", "HEAD ", "?q=1", "*"})
    void requests(byte[] data) {
        FuzzReads reads = new FuzzReads(data);
        Outcome whole = parseAll(reads.inOneRead());
        Outcome cut = parseAll(reads);
        check(cut.ends().equals(whole.ends()), "requests differ when the stream is cut into reads: " + cut.ends()
                + " against " + whole.ends() + " in one read");
        check((cut.status() == 0) == (whole.status() == 0), "a stream cut into reads ends in " + cut.status()
                + ", the same stream in one read in " + whole.status());
    }

    /** The requests' end offsets, then 0 (waiting for more or done) or the rejection status. */
    private record Outcome(List<Integer> ends, int status) {
    }

    /** Parses the wire as {@code reads} delivers it. */
    private static Outcome parseAll(FuzzReads reads) {
        RequestParser parser = new RequestParser(SMALL);
        ByteBuffer inbound = reads.buffer();
        List<Integer> ends = new ArrayList<>();
        int from = 0;
        while (reads.hasMore()) {
            reads.next(inbound);
            ByteBuffer in = inbound.duplicate().flip();
            while (from < in.limit()) {
                int verdict = parser.parse(in, from);
                check(in.position() == 0 && in.limit() == inbound.position(), "parse moved the buffer's bounds");
                if (verdict == RequestParser.NEED_MORE) {
                    check(in.limit() - from <= SMALL.maxRequestBytes(), (in.limit() - from)
                            + " bytes wait for a request, more than maxRequestBytes " + SMALL.maxRequestBytes());
                    if (parser.wantsContinue()) {
                        parser.continueSent(true);
                    }
                    break;
                }
                parser.continueSent(false);
                if (verdict != RequestParser.COMPLETE) {
                    check(STATUSES.contains(verdict), "parse returned " + verdict);
                    return new Outcome(ends, verdict);
                }
                int end = parser.end();
                check(end > from && end <= in.limit(), "a request at " + from + " ends at " + end + " of " + in.limit());
                HttpRequest request = parser.toRequest(in);
                check(request.body().length <= SMALL.maxBodyBytes(), "a body of " + request.body().length + " bytes");
                parser.keepAlive();
                ends.add(end);
                from = end;
            }
        }
        return new Outcome(ends, 0);
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
