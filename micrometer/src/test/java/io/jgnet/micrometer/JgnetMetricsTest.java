package io.jgnet.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder's meters, read from a {@link SimpleMeterRegistry}, agree with the traffic an echo served. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JgnetMetricsTest {
    private static final long GUARD_SECONDS = 20;

    static final class Echo implements EventHandler {
        @Override
        public Action onTraffic(Conn conn) {
            conn.write(conn.next(-1));
            return Action.NONE;
        }
    }

    @Test
    void metersShowEachLoopsStatsTaggedWithLoopAndTransport() throws Exception {
        Engine engine = Jgnet.start(new Echo(), "tcp://127.0.0.1:0", Options.builder().loops(2).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new JgnetMetrics(engine, Tags.of("server", "echo")).bindTo(registry);
        try (Socket client = new Socket()) {
            client.connect(engine.listenAddresses().getFirst());
            client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < 10; i++) {
                out.write(new byte[100]);
                assertThat(in.readNBytes(100)).hasSize(100);
            }
            // Read on the connection's loop, between its turns: every count it made is visible.
            int loop = engine.stats().get(0).connections() == 1 ? 0 : 1;
            CompletableFuture<double[]> read = new CompletableFuture<>();
            engine.eventLoops().get(loop).execute(() -> read.complete(new double[] {
                    registry.get("jgnet.bytes.in").tags("loop", Integer.toString(loop), "server", "echo")
                            .functionCounter().count(),
                    registry.get("jgnet.bytes.out").tag("loop", Integer.toString(loop)).functionCounter().count(),
                    registry.get("jgnet.connections").tag("loop", Integer.toString(loop)).gauge().value(),
                    registry.get("jgnet.connections").tag("loop", Integer.toString(1 - loop)).gauge().value(),
                    registry.get("jgnet.pending.output").tag("loop", Integer.toString(loop)).gauge().value()}));
            double[] values = read.get(GUARD_SECONDS, TimeUnit.SECONDS);
            assertThat(values).containsExactly(1000, 1000, 1, 0, 0);
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
        assertThat(registry.get("jgnet.loop.busy").gauges()).hasSize(2);
        assertThat(registry.get("jgnet.messages.in").tag("transport", engine.transport()).functionCounters()).hasSize(2);
        assertThat(registry.find("jgnet.system.calls").functionCounters())
                .hasSize(engine.transport().equals("nio") ? 0 : 2);
    }
}
