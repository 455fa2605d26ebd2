package io.jgnet.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * An {@link ElasticBuffer} behaves like a plain byte queue (the model: a {@code byte[]} rebuilt on
 * every step), never holds more than the size class of the most bytes it has held, and hands every
 * buffer it stops using back to its pool.
 */
class ElasticBufferTest {
    /** Larger than a few size classes, so random appends cross 1 KiB, 2 KiB and 4 KiB. */
    private static final int MAX_CHUNK = 2_500;
    /** Fixed so that every run tries the same sequences; change it to explore new ones. */
    private static final String SEED = "20251124";

    // ------------------------------------------------------------------ model-based property

    @Property(tries = 500, seed = SEED)
    void behavesLikeAByteQueueAndKeepsEveryBufferAccountedFor(@ForAll("operations") List<Op> operations) {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        byte[] model = new byte[0];
        int peak = 0;
        for (Op op : operations) {
            long allocatedBefore = pool.allocatedBuffers();
            long heldBefore = pool.pooledBytes() + buffer.capacity();

            model = op.apply(buffer, model, pool);
            peak = Math.max(peak, model.length);

            assertThat(buffer.size()).as("size after %s", op).isEqualTo(model.length);
            assertThat(buffer.isEmpty()).as("isEmpty after %s", op).isEqualTo(model.length == 0);
            assertThat(contents(buffer)).as("contents after %s", op).isEqualTo(model);
            assertThat(buffer.capacity()).as("capacity after %s (peak %d)", op, peak)
                    .isLessThanOrEqualTo(BufferPool.classSize(peak));
            // Every byte of memory is either held by the buffer or idle in the (unbounded) pool:
            // the total moves only when the pool had to allocate, and then by the new buffer.
            long allocated = pool.allocatedBuffers() - allocatedBefore;
            long held = pool.pooledBytes() + buffer.capacity();
            assertThat(allocated).as("allocations during %s", op).isBetween(0L, 1L);
            assertThat(held - heldBefore).as("memory gained during %s", op)
                    .isEqualTo(allocated == 1 ? buffer.capacity() : 0);
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> permille = Arbitraries.integers().between(0, 1000);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(4, chunk().map(c -> (Op) new AppendArray(c.data, c.from, c.to))),
                Tuple.of(2, chunk().map(c -> (Op) new AppendHeap(c.data, c.from, c.to))),
                Tuple.of(2, chunk().map(c -> (Op) new AppendDirect(c.data, c.from, c.to))),
                Tuple.of(3, permille.map(Consume::new)),
                Tuple.of(2, permille.map(ReadThenConsume::new)),
                Tuple.of(2, Combinators.combine(permille, permille).as(Slice::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 3_000), permille)
                        .as(CopyTo::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 5_000).map(ConsumeTooMuch::new)),
                Tuple.of(2, Arbitraries.just(new ReleaseIfEmpty())));
        return op.list().ofMaxSize(60);
    }

    /** Some bytes and the range {@code [from, to)} of them to append. */
    private record Chunk(byte[] data, int from, int to) {
    }

    private static Arbitrary<Chunk> chunk() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_CHUNK).flatMap(data -> {
            Arbitrary<Integer> index = Arbitraries.integers().between(0, data.length);
            return Combinators.combine(index, index)
                    .as((a, b) -> new Chunk(data, Math.min(a, b), Math.max(a, b)));
        });
    }

    /** One step, applied to the buffer and to the model; returns the model after it. */
    sealed interface Op {
        byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool);
    }

    record AppendArray(byte[] data, int from, int to) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            buffer.append(data, from, to - from);
            return concat(model, Arrays.copyOfRange(data, from, to));
        }

        @Override
        public String toString() {
            return "AppendArray[" + from + ", " + to + ") of " + data.length;
        }
    }

    record AppendHeap(byte[] data, int from, int to) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            ByteBuffer src = ByteBuffer.wrap(data).limit(to).position(from);
            buffer.append(src);
            assertThat(src.hasRemaining()).as("append consumes its source").isFalse();
            return concat(model, Arrays.copyOfRange(data, from, to));
        }

        @Override
        public String toString() {
            return "AppendHeap[" + from + ", " + to + ") of " + data.length;
        }
    }

    record AppendDirect(byte[] data, int from, int to) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            ByteBuffer src = ByteBuffer.allocateDirect(data.length).put(data).limit(to).position(from);
            buffer.append(src);
            assertThat(src.hasRemaining()).as("append consumes its source").isFalse();
            return concat(model, Arrays.copyOfRange(data, from, to));
        }

        @Override
        public String toString() {
            return "AppendDirect[" + from + ", " + to + ") of " + data.length;
        }
    }

    record Consume(int permille) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            int n = share(model.length, permille);
            buffer.consume(n);
            return Arrays.copyOfRange(model, n, model.length);
        }
    }

    /** The transport's pattern: read from {@link ElasticBuffer#readable()}, then consume what was read. */
    record ReadThenConsume(int permille) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            int n = share(model.length, permille);
            ByteBuffer readable = buffer.readable();
            assertThat(readable.remaining()).isEqualTo(model.length);
            byte[] read = new byte[n];
            readable.get(read);
            assertThat(read).isEqualTo(Arrays.copyOf(model, n));
            buffer.consume(n);
            return Arrays.copyOfRange(model, n, model.length);
        }
    }

    record Slice(int offsetPermille, int lengthPermille) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            int offset = share(model.length, offsetPermille);
            int length = share(model.length - offset, lengthPermille);
            ByteBuffer slice = buffer.slice(offset, length);
            assertThat(slice.remaining()).isEqualTo(length);
            assertThat(bytesOf(slice)).isEqualTo(Arrays.copyOfRange(model, offset, offset + length));
            return model;
        }
    }

    record CopyTo(int capacity, int positionPermille) implements Op {
        private static final byte UNTOUCHED = (byte) 0xA5;

        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            byte[] backing = new byte[capacity];
            Arrays.fill(backing, UNTOUCHED);
            int position = share(capacity, positionPermille);
            ByteBuffer dst = ByteBuffer.wrap(backing).position(position);
            int expected = Math.min(capacity - position, model.length);

            assertThat(buffer.copyTo(dst)).isEqualTo(expected);

            assertThat(dst.position()).isEqualTo(position + expected);
            byte[] want = new byte[capacity];
            Arrays.fill(want, UNTOUCHED);
            System.arraycopy(model, 0, want, position, expected);
            assertThat(backing).isEqualTo(want);
            return model;
        }
    }

    record ConsumeTooMuch(int excess) implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            assertThatThrownBy(() -> buffer.consume(model.length + excess))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> buffer.consume(-excess)).isInstanceOf(IndexOutOfBoundsException.class);
            return model;
        }
    }

    record ReleaseIfEmpty() implements Op {
        @Override
        public byte[] apply(ElasticBuffer buffer, byte[] model, BufferPool pool) {
            long pooled = pool.pooledBytes();
            int capacity = buffer.capacity();
            buffer.releaseIfEmpty();
            if (model.length == 0) {
                assertThat(buffer.capacity()).as("an empty buffer holds no memory").isZero();
                assertThat(pool.pooledBytes()).as("its memory is back in the pool").isEqualTo(pooled + capacity);
            } else {
                assertThat(buffer.capacity()).as("a non-empty buffer keeps its memory").isEqualTo(capacity);
                assertThat(pool.pooledBytes()).isEqualTo(pooled);
            }
            return model;
        }
    }

    // ------------------------------------------------------------------------ examples

    @Test
    void compactionSlidesOverlappingBytesDownIntact() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        buffer.append(sequence(0, 1000), 0, 1000);
        buffer.consume(100);
        // 900 readable bytes at [100, 1000); 100 more fit only if they slide to [0, 900), which
        // overlaps where they are now.
        buffer.append(sequence(1000, 100), 0, 100);

        assertThat(buffer.capacity()).as("compacted, not grown").isEqualTo(BufferPool.MIN_CLASS);
        assertThat(pool.allocatedBuffers()).isEqualTo(1);
        assertThat(contents(buffer)).isEqualTo(sequence(100, 1000));
    }

    @Test
    void compactionMovesATailThatDoesNotOverlapEither() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        buffer.append(sequence(0, 1000), 0, 1000);
        buffer.consume(900);
        buffer.append(sequence(1000, 500), 0, 500);

        assertThat(buffer.capacity()).isEqualTo(BufferPool.MIN_CLASS);
        assertThat(contents(buffer)).isEqualTo(sequence(900, 600));
    }

    @Test
    void aSteadyAppendConsumePatternNeverGrowsPastTheClassOfItsPeak() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        // A handler that always leaves 300 bytes of a partial frame behind while 500 arrive and
        // 500 are consumed: at most 800 bytes are ever held, so one 1 KiB buffer must do.
        int written = 0;
        int read = 0;
        buffer.append(sequence(written, 300), 0, 300);
        written += 300;
        for (int round = 0; round < 10_000; round++) {
            buffer.append(sequence(written, 500), 0, 500);
            written += 500;
            assertThat(buffer.capacity()).isEqualTo(BufferPool.MIN_CLASS);
            assertThat(bytesOf(buffer.slice(0, 500))).isEqualTo(sequence(read, 500));
            buffer.consume(500);
            read += 500;
        }
        assertThat(pool.allocatedBuffers()).isEqualTo(1);
        assertThat(contents(buffer)).isEqualTo(sequence(read, 300));
    }

    @Test
    void growingGivesTheSmallerBufferBackAndCopiesTheReadableBytes() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        buffer.append(sequence(0, 1000), 0, 1000);
        buffer.consume(10);
        buffer.append(sequence(1000, 1000), 0, 1000);

        assertThat(buffer.capacity()).isEqualTo(2048);
        assertThat(pool.pooledBytes()).isEqualTo(BufferPool.MIN_CLASS);
        assertThat(contents(buffer)).isEqualTo(sequence(10, 1990));
    }

    @Test
    void releaseIfEmptyGivesTheMemoryBackForTheNextAppendToReuse() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        buffer.append(sequence(0, 100), 0, 100);
        buffer.consume(100);
        buffer.releaseIfEmpty();

        assertThat(buffer.capacity()).isZero();
        assertThat(pool.pooledBytes()).isEqualTo(BufferPool.MIN_CLASS);

        buffer.append(sequence(7, 10), 0, 10);
        assertThat(pool.allocatedBuffers()).isEqualTo(1);
        assertThat(pool.pooledBytes()).isZero();
        assertThat(contents(buffer)).isEqualTo(sequence(7, 10));
    }

    @Test
    void releaseIfEmptyKeepsTheMemoryWhileBytesRemain() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        buffer.append(sequence(0, 100), 0, 100);
        buffer.consume(99);
        buffer.releaseIfEmpty();

        assertThat(buffer.capacity()).isEqualTo(BufferPool.MIN_CLASS);
        assertThat(pool.pooledBytes()).isZero();
        assertThat(contents(buffer)).isEqualTo(sequence(99, 1));
    }

    @Test
    void releaseDropsUnreadBytesAndGivesTheMemoryBack() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        buffer.append(sequence(0, 100), 0, 100);
        buffer.release();

        assertThat(buffer.size()).isZero();
        assertThat(buffer.capacity()).isZero();
        assertThat(pool.pooledBytes()).isEqualTo(BufferPool.MIN_CLASS);
    }

    @Test
    void aFillAsLargeAsTheLastTakesItsClassAtOnceInsteadOfGrowingThroughEachOne() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        fillInChunks(buffer, 16, 1028); // a batch of sixteen 1 KiB frames with their headers
        buffer.release();
        long allocated = pool.allocatedBuffers();
        long pooled = pool.pooledBytes();
        int batchClass = BufferPool.classSize(16 * 1028);

        buffer.append(sequence(0, 4), 0, 4);
        assertThat(buffer.capacity()).as("the first append takes what the last fill needed").isEqualTo(batchClass);
        fillInChunks(buffer, 15, 1028);
        assertThat(buffer.capacity()).as("no growth").isEqualTo(batchClass);
        assertThat(pool.allocatedBuffers()).isEqualTo(allocated);
        assertThat(pool.pooledBytes()).as("one buffer taken, none given back on the way").isEqualTo(pooled - batchClass);
    }

    @Test
    void theSizeHintFollowsASmallerLoadDownAfterOneFill() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        fillInChunks(buffer, 16, 1028);
        buffer.release();
        buffer.append(sequence(0, 10), 0, 10); // the hint's class, though 10 bytes are needed
        buffer.release();

        buffer.append(sequence(0, 10), 0, 10);
        assertThat(buffer.capacity()).isEqualTo(BufferPool.MIN_CLASS);
    }

    @Test
    void aBurstLargerThanTheHintLimitLeavesTheNextFillToGrowAsBefore() {
        BufferPool pool = new BufferPool(Long.MAX_VALUE);
        ElasticBuffer buffer = new ElasticBuffer(pool);
        fillInChunks(buffer, 4, 1024 * 1024);
        buffer.release();

        buffer.append(sequence(0, 10), 0, 10);
        assertThat(buffer.capacity()).isEqualTo(ElasticBuffer.MAX_SIZE_HINT);
    }

    private static void fillInChunks(ElasticBuffer buffer, int chunks, int chunkSize) {
        for (int i = 0; i < chunks; i++) {
            buffer.append(sequence(i * chunkSize, chunkSize), 0, chunkSize);
        }
    }

    @Test
    void consumingMoreThanTheSizeThrowsAndChangesNothing() {
        ElasticBuffer buffer = new ElasticBuffer(new BufferPool(Long.MAX_VALUE));
        buffer.append(sequence(0, 10), 0, 10);

        assertThatThrownBy(() -> buffer.consume(11))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("11");
        assertThatThrownBy(() -> buffer.consume(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(contents(buffer)).isEqualTo(sequence(0, 10));
    }

    @Test
    void aBufferThatHoldsNoMemoryReadsAsEmpty() {
        ElasticBuffer buffer = new ElasticBuffer(new BufferPool(Long.MAX_VALUE));
        buffer.append(sequence(0, 10), 0, 10);
        buffer.consume(10);
        buffer.releaseIfEmpty();
        ByteBuffer dst = ByteBuffer.allocate(8);

        assertThat(buffer.copyTo(dst)).isZero();
        assertThat(dst.position()).isZero();
        assertThat(buffer.readable().remaining()).isZero();
        assertThat(buffer.slice(0, 0).remaining()).isZero();
        assertThat(new ElasticBuffer(new BufferPool(0)).copyTo(dst)).isZero();
    }

    @Test
    void sliceRejectsARangeOutsideTheReadableBytes() {
        ElasticBuffer buffer = new ElasticBuffer(new BufferPool(Long.MAX_VALUE));
        buffer.append(sequence(0, 10), 0, 10);
        buffer.consume(4);

        assertThatThrownBy(() -> buffer.slice(0, 7)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.slice(5, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.slice(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ElasticBuffer(new BufferPool(0)).slice(0, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(bytesOf(buffer.slice(5, 1))).isEqualTo(sequence(9, 1));
    }

    // ------------------------------------------------------------------------- helpers

    /** The readable bytes, read through {@link ElasticBuffer#readable()}. */
    private static byte[] contents(ElasticBuffer buffer) {
        return bytesOf(buffer.readable());
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(buffer.position(), bytes);
        return bytes;
    }

    /**
     * Bytes {@code start} to {@code start + length} of a pattern that does not repeat every 256
     * bytes, so a byte moved to the wrong place shows.
     */
    private static byte[] sequence(int start, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            int k = start + i;
            bytes[i] = (byte) (k * 7 + (k >>> 8));
        }
        return bytes;
    }

    private static int share(int whole, int permille) {
        return (int) ((long) whole * permille / 1000);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
