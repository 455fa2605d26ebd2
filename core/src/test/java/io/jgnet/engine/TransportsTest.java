package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgnet.TransportKind;
import io.jgnet.linux.IoUringDenials;
import io.jgnet.linux.Linux;
import io.jgnet.transport.Transport;
import io.jgnet.transport.epoll.EpollTransport;
import io.jgnet.transport.iouring.IoUringTransport;
import io.jgnet.transport.nio.NioTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Transport selection: AUTO takes io_uring, then epoll, then nio, and says why; a transport asked
 * for by name that cannot run fails with the reason. Each way io_uring is denied is forced through
 * the availability check that handles the real one.
 */
class TransportsTest {
    @TempDir
    static Path dir;

    interface Denial {
        String reason(Path dir) throws IOException;
    }

    static Stream<Denial> denials() {
        return Stream.of(IoUringDenials::seccomp, IoUringDenials::noSuchSystemCall, IoUringDenials::disabledBySysctl);
    }

    @Test
    void autoTakesIoUringWhenAvailable() {
        assertThat(Transports.choose(TransportKind.AUTO, null, null)).isSameAs(IoUringTransport.INSTANCE);
        assertThat(Transports.why(IoUringTransport.INSTANCE, null, null)).isEqualTo("jgnet transport: io_uring (auto: available)");
    }

    @ParameterizedTest
    @MethodSource("denials")
    void autoFallsBackToEpollSayingWhyIoUringIsDenied(Denial denial) throws IOException {
        assumeTrue(Linux.isAvailable(), () -> "FFM layer unavailable: " + Linux.unavailableReason());
        String reason = denial.reason(dir);
        assertThat(reason).isNotBlank();

        Transport chosen = Transports.choose(TransportKind.AUTO, reason, null);

        assertThat(chosen).isSameAs(EpollTransport.INSTANCE);
        assertThat(Transports.why(chosen, reason, null))
                .isEqualTo("jgnet transport: epoll (auto: io_uring unavailable: " + reason + ")");
    }

    @ParameterizedTest
    @MethodSource("denials")
    void askingForIoUringWhereDeniedFailsWithTheReason(Denial denial) throws IOException {
        assumeTrue(Linux.isAvailable(), () -> "FFM layer unavailable: " + Linux.unavailableReason());
        String reason = denial.reason(dir);

        assertThatThrownBy(() -> Transports.choose(TransportKind.IO_URING, reason, null))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("transport io_uring is not available: " + reason);
    }

    @Test
    void autoFallsBackToNioWhenNeitherLinuxTransportCanRun() {
        Transport chosen = Transports.choose(TransportKind.AUTO, "no io_uring", "no native access");

        assertThat(chosen).isSameAs(NioTransport.INSTANCE);
        assertThat(Transports.why(chosen, "no io_uring", "no native access")).isEqualTo(
                "jgnet transport: nio (auto: io_uring unavailable: no io_uring; epoll unavailable: no native access)");
        assertThatThrownBy(() -> Transports.choose(TransportKind.EPOLL, null, "no native access"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("transport epoll is not available: no native access");
    }

    @Test
    void thisMachinesChoiceMatchesItsAvailability() {
        Transport expected = IoUringTransport.isAvailable() ? IoUringTransport.INSTANCE
                : EpollTransport.isAvailable() ? EpollTransport.INSTANCE : NioTransport.INSTANCE;
        assertThat(Transports.choose(TransportKind.AUTO)).isSameAs(expected);
        assertThat(Transports.choose(TransportKind.NIO)).isSameAs(NioTransport.INSTANCE);
    }
}
