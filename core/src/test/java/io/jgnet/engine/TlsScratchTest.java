package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.buffer.BufferPool;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A read's ciphertext reaches the SSLEngine on the heap, byte for byte, without growing the scratch past its cap. */
class TlsScratchTest {
    private final TlsScratch scratch = new TlsScratch(new BufferPool(1 << 20));

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length + 8).position(3).put(bytes).flip().position(3);
    }

    @Test
    void offHeapBytesAreCopiedToTheHeapAndConsumedFromTheRead() {
        byte[] bytes = new byte[5000];
        new Random(13).nextBytes(bytes);
        ByteBuffer read = direct(bytes);

        ByteBuffer copy = scratch.onHeap(read);

        assertThat(copy.isDirect()).isFalse();
        assertThat(read.hasRemaining()).as("the read is consumed").isFalse();
        byte[] seen = new byte[copy.remaining()];
        copy.get(copy.position(), seen);
        assertThat(seen).isEqualTo(bytes);
    }

    @Test
    void theScratchIsReusedAndGrowsToALargerRead() {
        ByteBuffer first = scratch.onHeap(direct(new byte[100]));
        ByteBuffer again = scratch.onHeap(direct(new byte[200]));
        assertThat(again).isSameAs(first);
        assertThat(again.remaining()).isEqualTo(200);

        byte[] large = new byte[TlsScratch.CIPHER_COPY_MAX];
        large[large.length - 1] = 7;
        ByteBuffer grown = scratch.onHeap(direct(large));
        assertThat(grown.remaining()).isEqualTo(large.length);
        assertThat(grown.get(grown.limit() - 1)).isEqualTo((byte) 7);
    }

    @Test
    void heapReadsAndReadsPastTheCapAreDecryptedWhereTheyAre() {
        ByteBuffer heap = ByteBuffer.wrap(new byte[300]);
        assertThat(scratch.onHeap(heap)).isSameAs(heap);
        assertThat(heap.remaining()).isEqualTo(300);

        ByteBuffer huge = direct(new byte[TlsScratch.CIPHER_COPY_MAX + 1]);
        assertThat(scratch.onHeap(huge)).isSameAs(huge);
        assertThat(huge.remaining()).isEqualTo(TlsScratch.CIPHER_COPY_MAX + 1);
    }
}
