package io.jgnet.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestLoadTest {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void keepsAtMostMaxPendingUnderWayAndGivesUpAtTheDeadline() throws Exception {
        // A TLS load against a listener that never accepts: no handshake ever starts, so every
        // connection started stays under way until the deadline.
        try (ServerSocketChannel silent = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 8)) {
            int wanted = RequestLoad.MAX_PENDING + 40;
            assertThatThrownBy(() -> new RequestLoad((InetSocketAddress) silent.getLocalAddress(), wanted, "echo", 1, 1,
                    new TlsLink.Shared(), false, NOWHERE, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300)))
                    .hasMessage("established only 0 of " + wanted + " connections before the deadline, "
                            + RequestLoad.MAX_PENDING + " under way");
        }
    }

    @Test
    void withoutTlsAConnectionIsOpenOnceConnected() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 64);
             RequestLoad load = new RequestLoad((InetSocketAddress) silent.getLocalAddress(), 10, "echo", 1, 1, null, false,
                     NOWHERE, System.nanoTime() + TimeUnit.SECONDS.toNanos(30))) {
            assertThat(load.connections()).isEqualTo(10);
        }
    }
}
