package io.jgnet.codec;

import io.jgnet.Codec;
import io.jgnet.CodecException;
import java.nio.ByteBuffer;

/**
 * Feeds a wire image to a codec the way a connection does (append a read, decode every complete
 * frame, keep the rest) and fails on any broken invariant: a throwable other than
 * {@link CodecException}; a frame that consumed nothing (a loop that would never end), lies
 * outside what was consumed or is longer than {@code maxFrame}; a "need more" that moved the
 * position or left more than {@code maxWaiting} bytes buffered; an input buffer whose limit or
 * bytes changed.
 */
final class CodecDriver {
    private final Codec codec;
    private final int maxWaiting;
    private final int maxFrame;

    CodecDriver(Codec codec, int maxWaiting, int maxFrame) {
        this.codec = codec;
        this.maxWaiting = maxWaiting;
        this.maxFrame = maxFrame;
    }

    /** Returns the number of frames decoded before the end of the wire or the codec's error. */
    int feed(byte[] wire, FuzzInput.Cuts cuts) {
        ByteBuffer inbound = ByteBuffer.allocate(wire.length);
        ByteBuffer view = inbound.duplicate();
        int frames = 0;
        int offset = 0;
        try {
            while (offset < wire.length) {
                int read = cuts.next(wire.length - offset);
                inbound.put(wire, offset, read);
                offset += read;
                inbound.flip();
                frames += decodeBuffered(inbound, view);
                inbound.compact();
            }
        } catch (CodecException expected) {
            check(expected.getMessage() != null && expected.getMessage().contains("codec"),
                    "a codec error names its codec: " + expected.getMessage());
        }
        return frames;
    }

    private int decodeBuffered(ByteBuffer inbound, ByteBuffer view) {
        int frames = 0;
        while (true) {
            int start = inbound.position();
            int limit = inbound.limit();
            int checksum = checksum(inbound, start, limit);
            view.limit(view.capacity()).position(0);
            ByteBuffer frame = codec.decode(inbound, view);
            check(inbound.limit() == limit, "decode changed the input's limit");
            check(checksum(inbound, start, limit) == checksum, "decode changed the input's bytes");
            if (frame == null) {
                check(inbound.position() == start, "a decode that needs more moved the position");
                check(limit - start <= maxWaiting,
                        (limit - start) + " bytes wait for a frame, more than the limit allows (" + maxWaiting + ")");
                return frames;
            }
            int end = inbound.position();
            check(end > start && end <= limit, "a frame consumed [" + start + ", " + end + ") of [" + start + ", " + limit + ")");
            if (frame == view) {
                check(frame.position() >= start && frame.limit() <= end && frame.position() <= frame.limit(),
                        "the frame [" + frame.position() + ", " + frame.limit() + ") lies outside what was consumed");
            }
            check(frame.remaining() <= maxFrame, "a frame of " + frame.remaining() + " bytes, more than " + maxFrame);
            frames++;
        }
    }

    private static int checksum(ByteBuffer buffer, int from, int to) {
        int sum = 1;
        for (int i = from; i < to; i++) {
            sum = 31 * sum + buffer.get(i);
        }
        return sum;
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
