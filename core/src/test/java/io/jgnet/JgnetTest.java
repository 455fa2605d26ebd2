package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The entry points take (handler, address or addresses, options) in that order, default the
 * options when left out, and refuse bad arguments with an {@link IllegalArgumentException} that
 * says what is wrong, never a bare {@link NullPointerException}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JgnetTest {
    private static final EventHandler NOTHING = new EventHandler() {
    };
    private static final Options NIO = Options.builder().transport(TransportKind.NIO).build();

    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void stopEngines() throws InterruptedException {
        for (Engine engine : engines) {
            engine.stop(Duration.ofSeconds(10));
        }
    }

    private Engine track(Engine engine) {
        engines.add(engine);
        return engine;
    }

    @Test
    void aNullAddressIsABadAddressOnEveryEntryPoint() {
        List<ThrowingCallable> calls = List.of(
                () -> Jgnet.start(NOTHING, (String) null, NIO),
                () -> Jgnet.start(NOTHING, (String) null),
                () -> Jgnet.start(NOTHING, Arrays.asList("tcp://127.0.0.1:0", null), NIO),
                () -> Jgnet.run(NOTHING, null, NIO),
                () -> Jgnet.rotate(NOTHING, Arrays.asList((String) null), NIO));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("address must not be null");
        }
    }

    @Test
    void aMissingAddressListIsRefusedPointingToClient() {
        for (List<String> addresses : Arrays.asList(null, List.<String>of())) {
            assertThatThrownBy(() -> Jgnet.start(NOTHING, addresses, NIO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one address").hasMessageContaining("Jgnet.client");
            assertThatThrownBy(() -> Jgnet.rotate(NOTHING, addresses, NIO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one address");
        }
    }

    @Test
    void aNullHandlerOrOptionsIsNamed() {
        assertThatThrownBy(() -> Jgnet.start(null, "tcp://127.0.0.1:0", NIO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("handler must not be null");
        assertThatThrownBy(() -> Jgnet.start(NOTHING, "tcp://127.0.0.1:0", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("options must not be null");
        assertThatThrownBy(() -> Jgnet.client(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("handler must not be null");
        assertThatThrownBy(() -> Jgnet.client(NOTHING, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("options must not be null");
    }

    @Test
    void ioUringRunsWhereAvailableAndIsRefusedWithTheReasonWhereNot() throws Exception {
        Options ioUring = Options.builder().transport(TransportKind.IO_URING).build();
        String denied = io.jgnet.transport.iouring.IoUringTransport.unavailableReason();

        if (denied == null) {
            assertThat(track(Jgnet.start(NOTHING, "tcp://127.0.0.1:0", ioUring)).transport()).isEqualTo("io_uring");
            assertThat(track(Jgnet.client(NOTHING, ioUring)).transport()).isEqualTo("io_uring");
        } else {
            assertThatThrownBy(() -> Jgnet.start(NOTHING, "tcp://127.0.0.1:0", ioUring))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(denied);
            assertThatThrownBy(() -> Jgnet.client(NOTHING, ioUring))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(denied);
        }
    }

    @Test
    void leavingOutTheOptionsMeansTheDefaults() throws Exception {
        Engine server = track(Jgnet.start(NOTHING, "tcp://127.0.0.1:0"));
        Engine client = track(Jgnet.client(NOTHING));

        assertThat(server.eventLoops()).hasSize(Options.defaults().loops());
        assertThat(client.eventLoops()).hasSize(Options.defaults().loops());
        assertThat(client.listenAddresses()).isEmpty();
    }

    @Test
    void startServesEveryAddressOfTheListInOrder() throws Exception {
        Engine engine = track(Jgnet.start(NOTHING, List.of("TCP://127.0.0.1:0", "udp://127.0.0.1:0"), NIO));

        assertThat(engine.listenAddresses()).hasSize(2)
                .allSatisfy(address -> assertThat(((InetSocketAddress) address).getPort()).isPositive());
    }

    @Test
    void anUpperCaseSchemeIsServedAndDialed() throws Exception {
        Engine server = track(Jgnet.start(NOTHING, "TCP://127.0.0.1:0", NIO));
        int port = ((InetSocketAddress) server.listenAddresses().getFirst()).getPort();
        Engine client = track(Jgnet.client(NOTHING, NIO));

        Conn conn = client.dial("Tcp://127.0.0.1:" + port);

        assertThat(((InetSocketAddress) conn.remoteAddress()).getPort()).isEqualTo(port);
    }
}
