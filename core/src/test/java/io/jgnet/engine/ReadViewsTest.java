package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Read views are made once per buffer a transport reads into, however the reads alternate. */
class ReadViewsTest {
    private final ReadViews views = new ReadViews();

    @Test
    void readsAlternatingBetweenBuffersReuseEachBuffersViews() {
        ByteBuffer first = ByteBuffer.allocateDirect(64).put(0, (byte) 1);
        ByteBuffer second = ByteBuffer.allocateDirect(64).put(0, (byte) 2);

        ByteBuffer fromFirst = views.view(first, 0, 8);
        views.recycle();
        ByteBuffer fromSecond = views.view(second, 0, 8);
        views.recycle();
        ByteBuffer fromFirstAgain = views.view(first, 0, 8);

        assertThat(fromFirstAgain).isSameAs(fromFirst);
        assertThat(fromSecond).isNotSameAs(fromFirst);
        assertThat(fromFirstAgain.get(0)).isEqualTo((byte) 1);
        assertThat(fromSecond.remaining()).as("emptied after its callback").isZero();
    }

    @Test
    void pastTheSourceLimitViewsStillShowTheRightBytes() {
        for (int i = 0; i < ReadViews.MAX_SOURCES + 4; i++) {
            ByteBuffer data = ByteBuffer.allocate(4).put(0, (byte) i);
            assertThat(views.view(data, 0, 1).get(0)).isEqualTo((byte) i);
            views.recycle();
        }
    }
}
