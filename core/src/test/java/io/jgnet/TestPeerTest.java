package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handlers unit-tested through {@link TestPeer}, as a user would, with no socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TestPeerTest {

    /** Echoes, greets on open, and fails on '!'. */
    static final class Echo implements EventHandler {
        final AtomicInteger writables = new AtomicInteger();

        @Override
        public Action onOpen(Conn conn) {
            conn.write("hi\n".getBytes());
            return Action.NONE;
        }

        @Override
        public Action onTraffic(Conn conn) {
            if (conn.peek(1).get(0) == '!') {
                throw new IllegalArgumentException("no shouting");
            }
            conn.write(conn.next(-1));
            return Action.NONE;
        }

        @Override
        public Action onWritable(Conn conn) {
            writables.incrementAndGet();
            return Action.NONE;
        }
    }

    @Test
    void nullOptionsAreRefusedByNameNotWithABareNullPointerException() {
        assertThatThrownBy(() -> TestPeer.connect(new EventHandler() {
        }, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options");
    }

    @Test
    void aHandlerIsDrivenByTheTestAsThePeer() throws Exception {
        try (TestPeer peer = TestPeer.connect(new Echo(), Options.defaults())) {
            assertThat(peer.receivedText()).isEqualTo("hi\n");
            peer.send("hello");
            assertThat(peer.receivedText()).isEqualTo("hello");
            assertThat(peer.isClosed()).isFalse();
            peer.shutdownOutput();
            assertThat(peer.isClosed()).as("the default onHalfClose closes").isTrue();
            assertThat(peer.closeCause()).isNull();
        }
    }

    @Test
    void aHandlerExceptionIsTheCloseCause() throws Exception {
        try (TestPeer peer = TestPeer.connect(new Echo(), Options.defaults())) {
            peer.send("!");
            assertThat(peer.isClosed()).isTrue();
            assertThat(peer.closeCause()).isInstanceOf(IllegalArgumentException.class).hasMessage("no shouting");
        }
    }

    @Test
    void aSlowPeerMakesTheConnectionUnwritableUntilItReadsAgain() throws Exception {
        Echo echo = new Echo();
        try (TestPeer peer = TestPeer.connect(echo, Options.builder().writeBufferWatermarks(8 * 1024, 16 * 1024).build())) {
            peer.received();
            peer.stopReading();
            peer.send(new byte[20 * 1024]);
            assertThat(peer.received()).isEmpty();
            assertThat(peer.conn().isWritable()).isFalse();
            peer.resumeReading();
            assertThat(peer.received()).hasSize(20 * 1024);
            assertThat(echo.writables).hasValue(1);
            assertThat(peer.conn().isWritable()).isTrue();
        }
    }

    @Test
    void aCloseThatCannotDrainEndsAtTheCloseTimeout() throws Exception {
        EventHandler closer = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.CLOSE;
            }
        };
        try (TestPeer peer = TestPeer.connect(closer, Options.builder().closeTimeout(Duration.ofMillis(50)).build())) {
            peer.stopReading();
            peer.send("unsent");
            assertThat(peer.isClosed()).isFalse();
            peer.advance(Duration.ofMillis(49));
            assertThat(peer.isClosed()).as("closed before its close timeout").isFalse();
            peer.advance(Duration.ofMillis(1));
            assertThat(peer.isClosed()).isTrue();
            assertThat(peer.closeCause()).isInstanceOf(IOException.class).hasMessageContaining("close timed out");
        }
    }

    /** The in-memory kernel once counted a reading peer's output down from 2^31 - 1 bytes and then stalled. */
    @Test
    void aPeerThatKeepsReadingTakesMoreThan2GibOverTheConnectionsLife() throws Exception {
        byte[] chunk = new byte[8 << 20];
        EventHandler firehose = new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.next(-1);
                conn.write(chunk);
                return Action.NONE;
            }
        };
        long beyondAnIntWindow = (long) Integer.MAX_VALUE + chunk.length;
        try (TestPeer peer = TestPeer.connect(firehose, Options.defaults())) {
            for (long taken = 0; taken < beyondAnIntWindow; taken += chunk.length) {
                peer.send("more");
                assertThat(peer.received().length).as("output after %d bytes", taken).isEqualTo(chunk.length);
            }
            assertThat(peer.conn().isWritable()).isTrue();
            assertThat(peer.isClosed()).isFalse();
        }
    }
}
