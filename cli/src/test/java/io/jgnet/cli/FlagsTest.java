package io.jgnet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.TransportKind;
import io.jgnet.cli.Flags.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private static final Map<String, String> DEFAULTS = Map.of("port", "9000", "transport", "auto", "host", "127.0.0.1");

    private static Flags parse(String... args) throws UsageException {
        return Flags.parse("echo", DEFAULTS, List.of(args));
    }

    @Test
    void absentFlagsTakeTheirDefaults() throws Exception {
        Flags flags = parse();
        assertThat(flags.integer("port", 0, 65535)).isEqualTo(9000);
        assertThat(flags.transport("transport")).isEqualTo(TransportKind.AUTO);
    }

    @Test
    void valuesMayFollowAsNextArgumentOrAfterEquals() throws Exception {
        Flags flags = parse("--port", "7000", "--transport=nio");
        assertThat(flags.integer("port", 0, 65535)).isEqualTo(7000);
        assertThat(flags.transport("transport")).isEqualTo(TransportKind.NIO);
    }

    @Test
    void aSwitchMayBeGivenBareOrWithAValue() throws Exception {
        Map<String, String> defaults = Map.of("metrics", "false", "port", "8080");
        assertThat(Flags.parse("http", defaults, List.of()).bool("metrics")).isFalse();
        assertThat(Flags.parse("http", defaults, List.of("--metrics")).bool("metrics")).isTrue();
        assertThat(Flags.parse("http", defaults, List.of("--metrics", "--port", "1")).bool("metrics")).isTrue();
        assertThat(Flags.parse("http", defaults, List.of("--metrics=false")).bool("metrics")).isFalse();
        assertThatThrownBy(() -> Flags.parse("http", defaults, List.of("--metrics=yes")).bool("metrics"))
                .hasMessageContaining("expected true or false");
    }

    @Test
    void unknownFlagIsNamed() {
        assertThatThrownBy(() -> parse("--prot", "1")).isInstanceOf(UsageException.class)
                .hasMessage("unknown flag --prot for echo");
    }

    @Test
    void flagWithoutValueIsNamed() {
        assertThatThrownBy(() -> parse("--port")).hasMessage("flag --port needs a value");
        assertThatThrownBy(() -> parse("--port", "--host", "x")).hasMessage("flag --port needs a value");
    }

    @Test
    void positionalArgumentIsRejected() {
        assertThatThrownBy(() -> parse("9000")).hasMessage("unexpected argument '9000' for echo");
    }

    @Test
    void flagGivenTwiceIsRejected() {
        assertThatThrownBy(() -> parse("--port=1", "--port=2")).hasMessage("flag --port is given twice");
    }

    @Test
    void numberOutOfRangeOrNotANumberNamesTheFlagAndTheRange() throws Exception {
        assertThatThrownBy(() -> parse("--port", "65536").integer("port", 0, 65535))
                .hasMessage("bad value for --port: '65536' (expected a whole number from 0 to 65535)");
        assertThatThrownBy(() -> parse("--port", "http").integer("port", 0, 65535))
                .hasMessageStartingWith("bad value for --port: 'http'");
    }

    @Test
    void unknownTransportNamesTheFlagAndTheChoices() {
        assertThatThrownBy(() -> parse("--transport", "kqueue").transport("transport"))
                .hasMessageStartingWith("bad value for --transport:")
                .hasMessageContaining("auto, nio, epoll, io_uring");
    }

    @Test
    void ipv6HostIsBracketedForAnAddress() throws Exception {
        assertThat(parse("--host", "::1").host("host")).isEqualTo("[::1]");
        assertThat(parse("--host", "[::1]").host("host")).isEqualTo("[::1]");
        assertThat(parse().host("host")).isEqualTo("127.0.0.1");
    }

    @Test
    void emptyHostIsRejected() {
        assertThatThrownBy(() -> parse("--host=").host("host")).hasMessage("bad value for --host: it is empty");
    }
}
