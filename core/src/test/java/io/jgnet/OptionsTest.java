package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
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
        assertThat(options.epoll().edgeTriggered()).isFalse();
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
        Options options = everyOptionChanged().build();

        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(Options.defaults().toBuilder().build()).isEqualTo(Options.defaults());
        Options changed = options.toBuilder().ticker(false).build();
        assertThat(changed).isNotEqualTo(options).isEqualTo(everyOptionChanged().ticker(false).build());
        assertThat(changed.ticker()).isFalse();
        assertThat(changed.epoll().edgeTriggered()).as("the epoll group is carried too").isTrue();
        assertThat(changed.loops()).isEqualTo(3);
    }

    @Test
    void everyAccessorReturnsWhatTheBuilderWasGiven() {
        Options options = everyOptionChanged().build();

        assertThat(options.loops()).isEqualTo(3);
        assertThat(options.loadBalancing()).isEqualTo(LoadBalancing.CONSISTENT_HASH);
        assertThat(options.reuseAddr()).isFalse();
        assertThat(options.reusePort()).isTrue();
        assertThat(options.readBufferCap()).isEqualTo(4 * KIB);
        assertThat(options.inboundBufferCap()).isEqualTo(8 * KIB);
        assertThat(options.writeBufferCap()).isEqualTo(MIB);
        assertThat(options.writeBufferLowWatermark()).isEqualTo(1_000);
        assertThat(options.writeBufferHighWatermark()).isEqualTo(2_000);
        assertThat(options.ticker()).isTrue();
        assertThat(options.tcpNoDelay()).isFalse();
        assertThat(options.tcpKeepAliveIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.tcpKeepAliveInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.tcpKeepAliveCount()).isEqualTo(4);
        assertThat(options.socketSendBuffer()).isEqualTo(1_000);
        assertThat(options.socketReceiveBuffer()).isEqualTo(2_000);
        assertThat(options.transport()).isEqualTo(TransportKind.NIO);
        assertThat(options.closeTimeout()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(options.epoll().edgeTriggered()).isTrue();
    }

    @Test
    void eachSettingTakesPartInEquality() {
        Options base = Options.defaults();
        List<UnaryOperator<Options.Builder>> changes = List.of(
                b -> b.loops(2), b -> b.multicore(true), b -> b.loadBalancing(LoadBalancing.RANDOM),
                b -> b.reuseAddr(false), b -> b.reusePort(true), b -> b.readBufferCap(8 * KIB),
                b -> b.inboundBufferCap(8 * MIB), b -> b.writeBufferCap(8 * MIB),
                b -> b.writeBufferWatermarks(1, 64 * KIB), b -> b.writeBufferWatermarks(32 * KIB, 48 * KIB),
                b -> b.ticker(true), b -> b.tcpNoDelay(false),
                b -> b.tcpKeepAlive(Duration.ofSeconds(9), Duration.ofSeconds(15), 3),
                b -> b.tcpKeepAlive(null, Duration.ofSeconds(16), 3), b -> b.tcpKeepAlive(null, Duration.ofSeconds(15), 4),
                b -> b.socketBuffers(1, 0), b -> b.socketBuffers(0, 1), b -> b.transport(TransportKind.NIO),
                b -> b.closeTimeout(Duration.ofSeconds(1)), b -> b.epoll(epoll -> epoll.edgeTriggered(true)));
        for (int i = 0; i < changes.size(); i++) {
            assertThat(changes.get(i).apply(base.toBuilder()).build()).as("change %d", i).isNotEqualTo(base);
        }
    }

    @Test
    void socketOptionsAreKeptInOrderCarriedByToBuilderAndCheckedForType() {
        Options options = Options.builder()
                .listenerOption(LinuxSocketOptions.TCP_FASTOPEN, 64)
                .listenerOption(java.net.StandardSocketOptions.SO_REUSEADDR, true)
                .connectionOption(LinuxSocketOptions.TCP_USER_TIMEOUT, 5_000)
                .build();
        assertThat(options.listenerOptions()).containsExactly(
                java.util.Map.entry(LinuxSocketOptions.TCP_FASTOPEN, 64),
                java.util.Map.entry(java.net.StandardSocketOptions.SO_REUSEADDR, true));
        assertThat(options.connectionOptions()).containsExactly(java.util.Map.entry(LinuxSocketOptions.TCP_USER_TIMEOUT, 5_000));
        assertThat(options.toBuilder().build()).isEqualTo(options).hasSameHashCodeAs(options);
        assertThat(options).isNotEqualTo(Options.defaults());
        assertThat(options.toString()).contains("listenerOptions={TCP_FASTOPEN=64, SO_REUSEADDR=true}",
                "connectionOptions={TCP_USER_TIMEOUT=5000}");
        assertThat(options.toBuilder().listenerOption(LinuxSocketOptions.TCP_FASTOPEN, null).build().listenerOptions())
                .as("null removes").containsOnlyKeys(java.net.StandardSocketOptions.SO_REUSEADDR);
        assertThatThrownBy(() -> options.listenerOptions().clear()).isInstanceOf(UnsupportedOperationException.class);

        @SuppressWarnings({"unchecked", "rawtypes"})
        java.net.SocketOption<Object> untyped = (java.net.SocketOption) LinuxSocketOptions.TCP_USER_TIMEOUT;
        assertThatThrownBy(() -> Options.builder().connectionOption(untyped, "soon").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option connectionOption TCP_USER_TIMEOUT must be a Integer, was soon");
        assertThatThrownBy(() -> Options.builder().listenerOption(null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
    }

    @Test
    void toStringNamesEverySetting() {
        assertThat(everyOptionChanged().build().toString())
                .startsWith("Options[loops=3, loadBalancing=CONSISTENT_HASH")
                .contains("writeBufferWatermarks=1000/2000", "tcpKeepAlive=PT30S/PT5S/4", "transport=NIO",
                        "closeTimeout=PT2.5S", "epoll=Epoll[edgeTriggered=true]");
        assertThat(Options.defaults().toString()).contains("tcpKeepAlive=off");
    }

    @Test
    void multicoreAddedThroughToBuilderGivesOneLoopPerCore() {
        int cores = Runtime.getRuntime().availableProcessors();

        assertThat(Options.defaults().toBuilder().multicore(true).build().loops()).isEqualTo(cores);
        assertThat(Options.builder().loops(2).build().toBuilder().loops(0).multicore(true).build().loops())
                .isEqualTo(cores);
    }

    @Test
    void toBuilderKeepsTheLoopCountAsAskedFor() {
        Options multicore = Options.builder().multicore(true).build();
        Options fixed = Options.builder().loops(3).build();

        assertThat(multicore.toBuilder().build()).isEqualTo(multicore);
        assertThat(multicore.toBuilder().build().loops()).isEqualTo(multicore.loops());
        assertThat(multicore.toBuilder().multicore(false).build().loops()).isOne();
        assertThat(fixed.toBuilder().multicore(true).build().loops()).as("an explicit count wins").isEqualTo(3);
    }

    @Test
    void epollSettingsChangeOnlyWhatTheyTouch() {
        Options edge = Options.builder().epoll(epoll -> epoll.edgeTriggered(true)).build();

        assertThat(Options.defaults().epoll().edgeTriggered()).isFalse();
        assertThat(edge.epoll().edgeTriggered()).isTrue();
        assertThat(edge.toBuilder().epoll(epoll -> { }).build().epoll()).isEqualTo(edge.epoll());
        assertThat(edge.toBuilder().epoll(epoll -> epoll.edgeTriggered(false)).build()).isEqualTo(Options.defaults());
        assertThatThrownBy(() -> Options.builder().epoll(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoll");
    }

    @Test
    void theBuilderIsTheOnlyWayToOptions() {
        assertThat(Options.class.getConstructors()).as("no public constructor bypasses build()").isEmpty();
        assertThat(Options.Epoll.class.getConstructors()).isEmpty();
        assertThat(Options.class.isRecord()).as("no canonical constructor or deconstruction pattern").isFalse();
        assertThat(Modifier.isFinal(Options.class.getModifiers())).isTrue();
    }

    private static Options.Builder everyOptionChanged() {
        return Options.builder()
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
                .epoll(epoll -> epoll.edgeTriggered(true));
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
                invalid("writeBufferHighWatermark", b -> b.writeBufferCap(1)),
                invalid("writeBufferHighWatermark", b -> Options.defaults().toBuilder().writeBufferWatermarks(100, 50)),
                invalid("writeBufferHighWatermark", b -> Options.defaults().toBuilder().writeBufferCap(1)),
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
