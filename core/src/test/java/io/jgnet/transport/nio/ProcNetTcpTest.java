package io.jgnet.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The nio transport's view of a socket's send queue, read from the kernel's TCP table. */
class ProcNetTcpTest {

    @Test
    void entriesArePrintedAsTheKernelHoldsThem() throws Exception {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the expected strings are for little-endian machines");
        assertThat(ProcNetTcp.entry(InetAddress.getByName("127.0.0.1").getAddress(), 8080)).isEqualTo("0100007F:1F90");
        assertThat(ProcNetTcp.entry(InetAddress.getByName("::1").getAddress(), 443))
                .isEqualTo("00000000000000000000000001000000:01BB");
    }

    @Test
    void aSocketWhosePeerDoesNotReadShowsItsQueuedOutputAndAnIdleOneNone() throws Exception {
        if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
            assertThat(System.getenv("CI")).as("CI runs on Linux, which has /proc/net/tcp").isNotEqualTo("true");
            assumeTrue(false, "no /proc/net/tcp here: not Linux");
        }
        for (StandardProtocolFamily family : new StandardProtocolFamily[] {StandardProtocolFamily.INET, StandardProtocolFamily.INET6}) {
            try (ServerSocketChannel server = ServerSocketChannel.open(family)
                    .bind(new InetSocketAddress(family == StandardProtocolFamily.INET ? "127.0.0.1" : "::1", 0));
                 SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                InetSocketAddress local = (InetSocketAddress) accepted.getLocalAddress();
                InetSocketAddress remote = (InetSocketAddress) accepted.getRemoteAddress();
                assertThat(ProcNetTcp.sendQueue(local, remote)).as("%s: nothing written", family).isZero();

                accepted.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                long written = 0;
                int n;
                while ((n = accepted.write(chunk.clear())) > 0) { // until the kernel takes no more
                    written += n;
                }
                assertThat(ProcNetTcp.sendQueue(local, remote)).as("%s: queued, the peer not reading", family)
                        .isPositive().isLessThanOrEqualTo(written);
                assertThat(ProcNetTcp.sendQueue(remote, local)).as("%s: the peer sent nothing", family).isZero();
            }
        }
    }
}
