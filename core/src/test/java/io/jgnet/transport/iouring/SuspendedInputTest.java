package io.jgnet.transport.iouring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The bytes a socket keeps after a suspension: in order, in read-buffer chunks, and never past their bound. */
class SuspendedInputTest {

    @Test
    void keptBytesComeBackInOrderInChunksOfTheReadBuffer() throws IOException {
        SuspendedInput input = new SuspendedInput(10_000);
        byte[] all = new byte[9_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 7);
        }
        for (int from = 0; from < all.length; from += 1_500) {
            input.keep(ByteBuffer.wrap(all, from, 1_500));
        }
        assertThat(input.size()).isEqualTo(9_000);
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(4_096);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer chunk;
        int chunks = 0;
        while ((chunk = input.next(readBuffer)) != null) {
            assertThat(chunk).isSameAs(readBuffer);
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            out.writeBytes(bytes);
            chunks++;
        }
        assertThat(chunks).isEqualTo(3);
        assertThat(out.toByteArray()).isEqualTo(all);
        assertThat(input.holdsBytes()).isFalse();
    }

    @Test
    void bytesKeptWhileSomeWereHandedOverFollowTheRest() throws IOException {
        SuspendedInput input = new SuspendedInput(8_192);
        input.keep(ByteBuffer.wrap(filled(3_000, (byte) 1)));
        ByteBuffer readBuffer = ByteBuffer.allocate(1_000);
        assertThat(input.next(readBuffer).remaining()).isEqualTo(1_000);
        input.keep(ByteBuffer.wrap(filled(5_000, (byte) 2)));
        assertThat(input.size()).isEqualTo(7_000);
        int ones = 0;
        int twos = 0;
        ByteBuffer chunk;
        while ((chunk = input.next(readBuffer)) != null) {
            while (chunk.hasRemaining()) {
                byte b = chunk.get();
                if (b == 1) {
                    assertThat(twos).as("old bytes before new ones").isZero();
                    ones++;
                } else {
                    twos++;
                }
            }
        }
        assertThat(ones).isEqualTo(2_000);
        assertThat(twos).isEqualTo(5_000);
    }

    @Test
    void moreThanTheBoundIsRefusedWithACauseAndKeepsNothingMore() throws IOException {
        SuspendedInput input = new SuspendedInput(2_048);
        input.keep(ByteBuffer.wrap(new byte[2_000]));
        assertThatThrownBy(() -> input.keep(ByteBuffer.wrap(new byte[100])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("2100 bytes arrived after reading was suspended")
                .hasMessageContaining("2048");
        assertThat(input.size()).isEqualTo(2_000);
    }

    @Test
    void anEndOfStreamWaitsBehindTheBytesUntilTaken() throws IOException {
        SuspendedInput input = new SuspendedInput(100);
        input.keep(ByteBuffer.wrap(new byte[10]));
        input.endAfter();
        assertThat(input.endWaits()).isTrue();
        assertThat(input.takeEnd()).isTrue();
        assertThat(input.takeEnd()).isFalse();
        input.clear();
        assertThat(input.holdsBytes()).isFalse();
    }

    private static byte[] filled(int n, byte value) {
        byte[] bytes = new byte[n];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }
}
