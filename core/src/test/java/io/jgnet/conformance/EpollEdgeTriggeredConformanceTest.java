package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Engine;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on the epoll transport with edge-triggered registration, plus the one
 * thing only edge triggering can get wrong: a socket that stops at the per-event read cap gets
 * no new edge, so it must be read again without one.
 */
class EpollEdgeTriggeredConformanceTest extends ConformanceSuite {
    @Override
    public TransportKind transport() {
        return TransportKind.EPOLL;
    }

    @Override
    public Options.Builder options() {
        return super.options().epoll(epoll -> epoll.edgeTriggered(true));
    }

    @Test
    void aBurstLongerThanTheReadCapIsReadToTheEndWithoutANewEdge() throws Exception {
        // 512-byte reads and 16 reads per event: a 1 MiB burst passes the cap over a hundred times.
        Engine engine = serve(new Recorder(), options().readBufferCap(512).inboundBufferCap(512).build(),
                "tcp://127.0.0.1:0");
        InetSocketAddress address = Peers.inet(engine);
        byte[] burst = Peers.randomBytes(11, 1 << 20);
        try (Socket busy = Peers.connect(address); Socket quiet = Peers.connect(address)) {
            CompletableFuture<byte[]> echoed = Peers.inBackground(() -> Peers.readExactly(busy.getInputStream(), burst.length));
            busy.getOutputStream().write(burst);
            busy.getOutputStream().flush();
            assertThat(Peers.echo(quiet, "still served")).isEqualTo("still served");
            Peers.assertSameBytes(Peers.await(echoed), burst);
            InputStream unused = quiet.getInputStream();
            assertThat(unused.available()).isZero();
        }
    }
}
