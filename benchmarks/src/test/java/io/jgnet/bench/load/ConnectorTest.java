package io.jgnet.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectorTest {

    @Test
    void keepsAtMostMaxPendingUnderWayAndGivesUpAtTheDeadlineClosingAll() throws Exception {
        // A listener that never accepts and never echoes: no probe is ever answered, so every
        // connection started stays pending until the deadline.
        try (ServerSocketChannel silent = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 8);
             Selector selector = Selector.open()) {
            int wanted = Connector.MAX_PENDING + 40;

            assertThatThrownBy(() -> Connector.open(selector, (InetSocketAddress) silent.getLocalAddress(), wanted, true, null,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300)))
                    .hasMessage("established only 0 of " + wanted + " connections before the deadline");

            assertThat(selector.keys()).hasSize(Connector.MAX_PENDING)
                    .allSatisfy(key -> assertThat(key.channel().isOpen()).isFalse());
        }
    }

    @Test
    void withoutAProbeAConnectionCountsOnceConnected() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 64);
             Selector selector = Selector.open()) {
            var keys = Connector.open(selector, (InetSocketAddress) silent.getLocalAddress(), 10, false, null,
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            assertThat(keys).hasSize(10).allSatisfy(key -> {
                assertThat(key.interestOps()).isZero();
                assertThat(((java.nio.channels.SocketChannel) key.channel()).isConnected()).isTrue();
            });
            for (SelectionKey key : keys) {
                key.channel().close();
            }
        }
    }
}
