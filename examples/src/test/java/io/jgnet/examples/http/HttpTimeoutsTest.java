package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.ConnectionTimeoutException;
import io.jgnet.Options;
import io.jgnet.TestPeer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP server's head and keep-alive timeouts, on TestPeer's virtual clock: no waiting. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpTimeoutsTest {
    private static final HttpConfig CONFIG = HttpConfig.defaults();
    private static final Duration MS = Duration.ofMillis(1);
    private static final String GET = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n";

    private static TestPeer connect() throws Exception {
        return TestPeer.connect(HttpServer.handler(CONFIG), HttpServer.options(CONFIG, Options.defaults()));
    }

    @Test
    void aHeadTrickledPastTheHeadTimeoutGets408AndTheConnectionCloses() throws Exception {
        try (TestPeer peer = connect()) {
            peer.send(GET);
            assertThat(peer.receivedText()).startsWith("HTTP/1.1 200 OK\r\n");
            // The next head starts, then trickles: one byte every 10 s keeps the idle timeout away.
            peer.send("GET /plaintext HTTP/1.1\r\n");
            for (int i = 0; i < 5; i++) {
                peer.advance(Duration.ofSeconds(10));
                peer.send("X");
            }
            peer.advance(Duration.ofSeconds(10).minus(MS));
            assertThat(peer.isClosed()).as("60 s after the head's first byte, less 1 ms").isFalse();
            peer.advance(MS);
            assertThat(peer.receivedText()).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close\r\n");
            assertThat(peer.isClosed()).isTrue();
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeadTimeoutWithout408() throws Exception {
        try (TestPeer peer = connect()) {
            peer.advance(CONFIG.headTimeout());
            assertThat(peer.isClosed()).isTrue();
            assertThat(peer.receivedText()).isEmpty();
        }
    }

    @Test
    void aKeepAliveConnectionIsClosedAfterTheKeepAliveTimeoutNotTheHeadTimeout() throws Exception {
        try (TestPeer peer = connect()) {
            peer.send(GET);
            assertThat(peer.receivedText()).startsWith("HTTP/1.1 200 OK\r\n");
            peer.advance(CONFIG.headTimeout());
            assertThat(peer.isClosed()).as("between requests only the keep-alive timeout applies").isFalse();
            peer.send(GET);
            assertThat(peer.receivedText()).startsWith("HTTP/1.1 200 OK\r\n");
            peer.advance(CONFIG.keepAliveTimeout().minus(MS));
            assertThat(peer.isClosed()).isFalse();
            peer.advance(MS);
            assertThat(peer.isClosed()).isTrue();
            assertThat(peer.closeCause()).isInstanceOfSatisfying(ConnectionTimeoutException.class,
                    cause -> assertThat(cause.kind()).isEqualTo(ConnectionTimeoutException.Kind.IDLE));
        }
    }
}
