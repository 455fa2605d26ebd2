package io.jgnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsageAndSucceeds() throws Exception {
        assertThat(run("help")).isEqualTo(Main.OK);
        assertThat(out()).contains("usage: ./jgnet").contains("demo").contains("echo").contains("test");
    }

    @Test
    void noCommandPrintsUsageAsAnError() throws Exception {
        assertThat(run()).isEqualTo(Main.USAGE);
        assertThat(err()).contains("usage: ./jgnet");
    }

    @Test
    void unknownCommandIsNamedWithUsage() throws Exception {
        assertThat(run("serve")).isEqualTo(Main.USAGE);
        assertThat(err()).startsWith("jgnet: unknown command 'serve'").contains("usage: ./jgnet");
    }

    @Test
    void unknownFlagIsNamedWithUsage() throws Exception {
        assertThat(run("echo", "--prot", "1")).isEqualTo(Main.USAGE);
        assertThat(err()).startsWith("jgnet: unknown flag --prot for echo");
    }

    @Test
    void badValueIsNamedWithUsage() throws Exception {
        assertThat(run("demo", "--connections", "0")).isEqualTo(Main.USAGE);
        assertThat(err()).startsWith("jgnet: bad value for --connections: '0'");
        assertThat(out()).isEmpty();
    }

    @Test
    void demoEchoesEveryByteAndSaysSo() throws Exception {
        int code = run("demo", "--connections", "4", "--seconds", "1");
        assertThat(code).as("stdout:%n%s%nstderr:%n%s", out(), err()).isEqualTo(Main.OK);
        assertThat(out())
                .contains("jgnet demo: echo server listening on tcp://127.0.0.1:")
                .containsPattern("connections +4\\R")
                .containsPattern("mismatches +0\\R")
                .containsPattern("errors +0\\R")
                .contains("OK, every byte came back as sent");
    }
}
