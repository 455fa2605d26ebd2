package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Feeds a byte stream to a response scanner in chosen pieces, the way the load loop does: each
 * piece copied into one reused direct buffer, after a few stale bytes the scanner must skip.
 */
final class Feed {

    /** A scanner's consume method. */
    @FunctionalInterface
    interface Scan {
        int consume(ByteBuffer in) throws MalformedResponseException;
    }

    /** Bytes before each piece, so a scanner that ignored the buffer's position would be caught. */
    private static final int STALE = 3;

    private Feed() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Feeds {@code stream} cut at {@code cuts} (ascending offsets); returns the completed count. */
    static int inPieces(Scan scan, byte[] stream, int... cuts) throws MalformedResponseException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(stream.length + STALE);
        int completed = 0;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            buffer.clear();
            buffer.put(new byte[] {'$', '\n', '+'}); // would confuse a scanner that read them
            buffer.put(stream, from, to - from);
            buffer.flip().position(STALE);
            completed += scan.consume(buffer);
            if (buffer.hasRemaining()) {
                throw new AssertionError("consume left " + buffer.remaining() + " bytes unread");
            }
            from = to;
        }
        return completed;
    }

    /** Random cuts, from one to {@code maxPiece} bytes apart. */
    static int[] randomCuts(SplittableRandom random, int length, int maxPiece) {
        int[] cuts = new int[length];
        int count = 0;
        for (int at = random.nextInt(1, maxPiece + 1); at < length; at += random.nextInt(1, maxPiece + 1)) {
            cuts[count++] = at;
        }
        return java.util.Arrays.copyOf(cuts, count);
    }

    /** A cut after every byte. */
    static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(length - 1, 0)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }
}
