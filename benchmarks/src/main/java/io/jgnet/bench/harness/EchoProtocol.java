package io.jgnet.bench.harness;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Echo: each request is {@code size} random bytes, and its response must be the same bytes.
 * Every connection gets its own random bytes, so an echo delivered to the wrong connection is
 * caught; a batch is {@code pipeline} such requests back to back, the same batch every time.
 *
 * <p>Immutable; its conversations are single-threaded (see {@link LoadProtocol}).
 */
final class EchoProtocol implements LoadProtocol {

    /** Fixed so that runs send the same bytes and a failure can be replayed. */
    private static final long SEED = 42;

    private final int pipeline;
    private final int size;

    EchoProtocol(int pipeline, int size) {
        this.pipeline = pipeline;
        this.size = size;
    }

    @Override
    public Conversation open(int connection) {
        SplittableRandom random = new SplittableRandom(SEED + connection);
        ByteBuffer batch = ByteBuffer.allocateDirect(Math.multiplyExact(pipeline, size));
        while (batch.hasRemaining()) {
            batch.put((byte) random.nextInt(256));
        }
        return new EchoConversation(batch.flip(), size);
    }

    /** Checks the echoed stream against the batch it sent, one request's worth at a time. */
    static final class EchoConversation implements Conversation {
        private final ByteBuffer batch;
        /** A second view of the batch, so comparing never disturbs the position being written. */
        private final ByteBuffer expected;
        private final int size;
        /** Bytes of the current batch echoed so far. */
        private int received;
        private boolean currentWrong;
        private long mismatches;

        EchoConversation(ByteBuffer batch, int size) {
            this.batch = batch;
            this.expected = batch.duplicate();
            this.size = size;
        }

        @Override
        public ByteBuffer nextBatch() {
            return batch.rewind();
        }

        @Override
        public int consume(ByteBuffer in) {
            int completed = 0;
            int limit = in.limit();
            while (in.hasRemaining()) {
                int intoRequest = received % size;
                int chunk = Math.min(in.remaining(), size - intoRequest);
                // Compare the chunk in place: bounded views by limit and position, no slices.
                int chunkEnd = in.position() + chunk;
                in.limit(chunkEnd);
                expected.limit(received + chunk).position(received);
                if (in.mismatch(expected) >= 0) {
                    currentWrong = true;
                }
                in.limit(limit).position(chunkEnd);
                received += chunk;
                if (intoRequest + chunk == size) {
                    completed++;
                    if (currentWrong) {
                        mismatches++;
                        currentWrong = false;
                    }
                    if (received == batch.capacity()) {
                        received = 0; // the next batch is the same bytes again
                    }
                }
            }
            return completed;
        }

        @Override
        public long mismatches() {
            return mismatches;
        }
    }
}
