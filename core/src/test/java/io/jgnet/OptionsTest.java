package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Options} start from documented defaults, survive a trip through their builder, and
 * refuse every invalid value at {@code build()} with a message naming the option.
 */
class OptionsTest {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final int MAX_BUFFER = 1 << 30;

    @Test
    void defaultsAreTheDocumentedOnes() {
        Options options = Options.defaults();

        assertThat(options.loops()).isOne();
        assertThat(options.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);
        assertThat(options.reuseAddr()).isTrue();
        assertThat(options.reusePort()).isFalse();
        assertThat(options.readBufferCap()).isEqualTo(64 * KIB);
        assertThat(options.inboundBufferCap()).isEqualTo(4 * MIB);
        assertThat(options.writeBufferCap()).isEqualTo(16 * MIB);
        assertThat(options.writeBufferHighWatermark()).isEqualTo(64 * KIB);
        assertThat(options.writeBufferLowWatermark()).isEqualTo(32 * KIB);
        assertThat(options.ticker()).isFalse();
        assertThat(options.tcpNoDelay()).isTrue();
        assertThat(options.tcpKeepAliveIdle()).as("keep-alive off").isNull();
        assertThat(options.tcpKeepAliveInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.tcpKeepAliveCount()).isEqualTo(3);
        assertThat(options.socketSendBuffer()).isZero();
        assertThat(options.socketReceiveBuffer()).isZero();
        assertThat(options.transport()).isEqualTo(TransportKind.AUTO);
        assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Options.builder().build()).isEqualTo(options);
    }

    @Test
    void multicoreMeansOneLoopPerAvailableProcessorUnlessLoopsIsSet() {
        assertThat(Options.builder().multicore(true).build().loops())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(Options.builder().multicore(true).loops(3).build().loops()).isEqualTo(3);
        assertThat(Options.builder().loops(0).build().loops()).isOne();
    }

    @Test
    void toBuilderRoundTripsEveryOption() {
        Options options = Options.builder()
                .loops(3)
                .loadBalancing(LoadBalancing.CONSISTENT_HASH)
                .reuseAddr(false)
                .reusePort(true)
                .readBufferCap(4 * KIB)
                .inboundBufferCap(8 * KIB)
                .writeBufferCap(MIB)
                .writeBufferWatermarks(1_000, 2_000)
                .ticker(true)
                .tcpNoDelay(false)
                .tcpKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 4)
                .socketBuffers(1_000, 2_000)
                .transport(TransportKind.NIO)
                .closeTimeout(Duration.ofMillis(2_500))
                .edgeTriggered(true)
                .build();

        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(Options.defaults().toBuilder().build()).isEqualTo(Options.defaults());
        assertThat(options.toBuilder().ticker(false).build())
                .isEqualTo(new Options(3, LoadBalancing.CONSISTENT_HASH, false, true, 4 * KIB, 8 * KIB, MIB,
                        2_000, 1_000, false, false, Duration.ofSeconds(30), Duration.ofSeconds(5), 4, 1_000,
                        2_000, TransportKind.NIO, Duration.ofMillis(2_500), true));
    }

    @Test
    void toBuilderKeepsTheResolvedLoopCount() {
        Options multicore = Options.builder().multicore(true).build();

        assertThat(multicore.toBuilder().build().loops()).isEqualTo(multicore.loops());
    }

    static Stream<Arguments> invalidOptions() {
        return Stream.of(
                invalid("loops", b -> b.loops(-1)),
                invalid("loops", b -> b.loops(1025)),
                invalid("loadBalancing", b -> b.loadBalancing(null)),
                invalid("transport", b -> b.transport(null)),
                invalid("readBufferCap", b -> b.readBufferCap(0)),
                invalid("readBufferCap", b -> b.readBufferCap(511)),
                invalid("readBufferCap", b -> b.readBufferCap(MAX_BUFFER + 1)),
                invalid("readBufferCap", b -> b.readBufferCap(Integer.MAX_VALUE)),
                invalid("inboundBufferCap", b -> b.readBufferCap(8 * KIB).inboundBufferCap(8 * KIB - 1)),
                invalid("inboundBufferCap", b -> b.inboundBufferCap(MAX_BUFFER + 1)),
                invalid("writeBufferCap", b -> b.writeBufferCap(0)),
                invalid("writeBufferCap", b -> b.writeBufferCap(-1)),
                invalid("writeBufferCap", b -> b.writeBufferCap(MAX_BUFFER + 1)),
                invalid("writeBufferLowWatermark", b -> b.writeBufferWatermarks(-1, 100)),
                invalid("writeBufferHighWatermark", b -> b.writeBufferWatermarks(100, 100)),
                invalid("writeBufferHighWatermark", b -> b.writeBufferWatermarks(200, 100)),
                invalid("writeBufferHighWatermark", b -> b.writeBufferCap(MIB).writeBufferWatermarks(1, MIB + 1)),
                invalid("writeBufferHighWatermark", b -> b.writeBufferCap(1_000)),
                invalid("tcpKeepAliveIdle", b -> b.tcpKeepAlive(Duration.ofMillis(999), Duration.ofSeconds(5), 3)),
                invalid("tcpKeepAliveIdle", b -> b.tcpKeepAlive(Duration.ofSeconds(-5), Duration.ofSeconds(5), 3)),
                invalid("tcpKeepAliveInterval", b -> b.tcpKeepAlive(Duration.ofSeconds(30), null, 3)),
                invalid("tcpKeepAliveInterval", b -> b.tcpKeepAlive(Duration.ofSeconds(30), Duration.ZERO, 3)),
                invalid("tcpKeepAliveCount", b -> b.tcpKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 0)),
                invalid("tcpKeepAliveCount", b -> b.tcpKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 200)),
                invalid("socketSendBuffer", b -> b.socketBuffers(-1, 0)),
                invalid("socketReceiveBuffer", b -> b.socketBuffers(0, -1)),
                invalid("closeTimeout", b -> b.closeTimeout(null)),
                invalid("closeTimeout", b -> b.closeTimeout(Duration.ofMillis(-1))));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("invalidOptions")
    void buildRejectsAnInvalidValueNamingTheOption(String option, UnaryOperator<Options.Builder> change) {
        Options.Builder builder = change.apply(Options.builder());

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("option " + option + " ");
    }

    @Test
    void buildAcceptsTheBoundaryValues() {
        Options options = Options.builder()
                .loops(1024)
                .readBufferCap(512)
                .inboundBufferCap(512)
                .writeBufferCap(1)
                .writeBufferWatermarks(0, 1)
                .tcpKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 127)
                .closeTimeout(Duration.ZERO)
                .build();

        assertThat(options.loops()).isEqualTo(1024);
        assertThat(options.writeBufferHighWatermark()).isOne();
        assertThat(Options.builder().readBufferCap(MAX_BUFFER).inboundBufferCap(MAX_BUFFER).writeBufferCap(MAX_BUFFER)
                .tcpKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 1).build().readBufferCap())
                .isEqualTo(MAX_BUFFER);
    }

    @Test
    void theRecordRefusesWhatTheBuilderWouldNeverProduce() {
        Options d = Options.defaults();
        assertThatThrownBy(() -> new Options(0, d.loadBalancing(), d.reuseAddr(), d.reusePort(), d.readBufferCap(),
                d.inboundBufferCap(), d.writeBufferCap(), d.writeBufferHighWatermark(), d.writeBufferLowWatermark(),
                d.ticker(), d.tcpNoDelay(), d.tcpKeepAliveIdle(), d.tcpKeepAliveInterval(), d.tcpKeepAliveCount(),
                d.socketSendBuffer(), d.socketReceiveBuffer(), d.transport(), d.closeTimeout(), d.edgeTriggered()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loops");
    }

    // ----------------------------------------------------------------------- TransportKind

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            auto       | AUTO
            AUTO       | AUTO
            NIO        | NIO
            nio        | NIO
            epoll      | EPOLL
            Epoll      | EPOLL
            io_uring   | IO_URING
            io-uring   | IO_URING
            IO-URING   | IO_URING
            " epoll "  | EPOLL
            """)
    void transportKindParsesItsNamesLoosely(String name, TransportKind expected) {
        assertThat(TransportKind.parse(name)).isEqualTo(expected);
    }

    @Test
    void transportKindRejectsAnUnknownNameListingTheAcceptedOnes() {
        for (String name : new String[]{"foo", "", "iouring", "kqueue"}) {
            assertThatThrownBy(() -> TransportKind.parse(name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + name + "'")
                    .hasMessageContaining("auto, nio, epoll, io_uring");
        }
    }

    private static Arguments invalid(String option, UnaryOperator<Options.Builder> change) {
        return arguments(option, change);
    }
}
