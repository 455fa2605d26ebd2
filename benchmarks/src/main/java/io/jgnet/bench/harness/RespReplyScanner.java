package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Frames a stream of RESP2 replies, byte by byte, and compares each with the reply expected for
 * its place in the stream. Framing knows simple strings ({@code +}), errors ({@code -}),
 * integers ({@code :}) and bulk strings ({@code $}, including the null {@code $-1}); the load
 * generator sends nothing that answers with an array, so any other type byte ends the
 * connection.
 *
 * <p>Checking is a plain byte comparison with the expected encodings, done while framing: reply
 * number r must equal one of {@code expectedCycle.get(r % expectedCycle.size())}, byte for byte.
 * An error reply never equals an expected one, so it counts as a mismatch.
 *
 * <pre>
 * TYPE --'+' '-' ':'--> LINE --LF--> TYPE
 * TYPE --'$'--> BULK_LENGTH --LF, -1--> TYPE
 *                           --LF, n---> BULK_BODY --n + 2 bytes (data, CRLF)--> TYPE
 * </pre>
 *
 * <p>Not thread-safe: one scanner per connection, used by the load thread.
 */
final class RespReplyScanner implements LoadProtocol.ResponseScanner {

    /** A simple-string, error or integer line longer than this is not a reply to our commands. */
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_BULK_BYTES = 512 * 1024 * 1024;

    private enum State { TYPE, LINE, BULK_LENGTH, BULK_BODY }

    /** For each place in the cycle, the encodings (at most 31) a correct reply may have. */
    private final byte[][][] expected;
    private int place;
    /** Bit i set while the reply so far equals the first bytes of expected[place][i]. */
    private int matching;
    private int replyOffset;
    private State state = State.TYPE;
    private long bulkLength;
    private boolean negative;
    private int digits;
    private long bulkRemaining;
    private long mismatches;

    /**
     * @param expectedCycle for each reply in turn, cyclically, the encodings a correct one may
     *                      have (for instance {@code "+OK\r\n"}, or a bulk string or
     *                      {@code "$-1\r\n"})
     */
    RespReplyScanner(List<List<byte[]>> expectedCycle) {
        if (expectedCycle.isEmpty()) {
            throw new IllegalArgumentException("no expected replies");
        }
        expected = new byte[expectedCycle.size()][][];
        for (int i = 0; i < expected.length; i++) {
            List<byte[]> alternatives = expectedCycle.get(i);
            if (alternatives.isEmpty() || alternatives.size() > Integer.SIZE - 1) {
                throw new IllegalArgumentException("1 to 31 encodings per reply, got " + alternatives.size());
            }
            expected[i] = alternatives.stream().map(byte[]::clone).toArray(byte[][]::new);
        }
        startReply();
    }

    /**
     * Scans {@code in} from its position to its limit, leaving the position at the limit.
     *
     * @return the replies this call completed
     * @throws MalformedResponseException if the stream cannot be framed
     */
    @Override
    public int consume(ByteBuffer in) throws MalformedResponseException {
        int completed = 0;
        int pos = in.position();
        int limit = in.limit();
        while (pos < limit) {
            byte b = in.get(pos++);
            compare(b);
            if (step(b)) {
                completed++;
                finishReply();
            }
        }
        in.position(limit);
        return completed;
    }

    /** Completed replies so far that matched none of their expected encodings. */
    @Override
    public long mismatches() {
        return mismatches;
    }

    /** Advances the framing by one byte; true if that byte ended a reply. */
    private boolean step(byte b) throws MalformedResponseException {
        switch (state) {
            case TYPE -> {
                state = switch (b) {
                    case '+', '-', ':' -> State.LINE;
                    case '$' -> State.BULK_LENGTH;
                    default -> throw new MalformedResponseException("unexpected RESP type byte " + (b & 0xFF));
                };
                return false;
            }
            case LINE -> {
                if (b == '\n') {
                    return true;
                }
                if (replyOffset > MAX_LINE_BYTES) {
                    throw new MalformedResponseException("RESP line longer than " + MAX_LINE_BYTES + " bytes");
                }
                return false;
            }
            case BULK_LENGTH -> {
                return bulkLength(b);
            }
            case BULK_BODY -> {
                return --bulkRemaining == 0;
            }
            default -> throw new AssertionError(state);
        }
    }

    private boolean bulkLength(byte b) throws MalformedResponseException {
        if (b >= '0' && b <= '9') {
            bulkLength = bulkLength * 10 + (b - '0');
            digits++;
            if (bulkLength > MAX_BULK_BYTES) {
                throw new MalformedResponseException("bulk string longer than " + MAX_BULK_BYTES + " bytes");
            }
        } else if (b == '-' && digits == 0 && !negative) {
            negative = true;
        } else if (b == '\n') {
            if (digits == 0) {
                throw new MalformedResponseException("bulk string without a length");
            }
            if (negative) {
                if (bulkLength != 1) {
                    throw new MalformedResponseException("bulk string length -" + bulkLength);
                }
                return true; // $-1: the null bulk string, nothing follows
            }
            state = State.BULK_BODY;
            bulkRemaining = bulkLength + 2; // the data, then its CRLF
        } else if (b != '\r') {
            throw new MalformedResponseException("bad byte " + (b & 0xFF) + " in a bulk string length");
        }
        return false;
    }

    private void compare(byte b) {
        byte[][] alternatives = expected[place];
        for (int i = 0; i < alternatives.length; i++) {
            int bit = 1 << i;
            if ((matching & bit) != 0
                    && (replyOffset >= alternatives[i].length || alternatives[i][replyOffset] != b)) {
                matching &= ~bit;
            }
        }
        replyOffset++;
    }

    private void finishReply() {
        byte[][] alternatives = expected[place];
        boolean correct = false;
        for (int i = 0; i < alternatives.length; i++) {
            if ((matching & (1 << i)) != 0 && alternatives[i].length == replyOffset) {
                correct = true;
            }
        }
        if (!correct) {
            mismatches++;
        }
        place = place + 1 == expected.length ? 0 : place + 1;
        startReply();
    }

    private void startReply() {
        matching = (1 << expected[place].length) - 1;
        replyOffset = 0;
        state = State.TYPE;
        bulkLength = 0;
        negative = false;
        digits = 0;
    }
}
