package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MatrixConfigTest {

    @Test
    void theShortProfileIsTheDefaultAndRunsEveryWorkloadAndKindOnce() {
        MatrixConfig c = MatrixConfig.parse(new String[0]);
        assertThat(c.profile()).isEqualTo("short");
        assertThat(c.rounds()).isEqualTo(1);
        assertThat(c.warmupSeconds()).isEqualTo(2);
        assertThat(c.seconds()).isEqualTo(3);
        assertThat(c.idleConnections()).isEqualTo(10_000);
        assertThat(c.quietWaitSeconds()).isEqualTo(10);
        assertThat(c.workloads()).extracting(Workload::name)
                .containsExactly("echo-64", "echo-4k", "http", "http-p16", "resp", "resp-p16", "idle");
        assertThat(c.kinds()).extracting(ServerKind::name).startsWith(
                "jgnet-nio", "jgnet-epoll", "netty-nio", "netty-epoll", "netty-io_uring");
    }

    @Test
    void theShortProfileTakesAFewMinutes() {
        MatrixConfig c = MatrixConfig.parse(new String[0]);
        double seconds = 0;
        for (Workload w : c.workloads()) {
            seconds += c.rounds() * c.stepsPerRound(w) * c.estimatedSeconds(w, w.connections());
        }
        assertThat(seconds).isBetween(120.0, 420.0);
    }

    @Test
    void theFullProfileIsThreeLongerRoundsAndFlagsOverrideEitherProfile() {
        MatrixConfig full = MatrixConfig.parse(new String[] {"--profile", "full"});
        assertThat(full.rounds()).isEqualTo(3);
        assertThat(full.warmupSeconds()).isEqualTo(5);
        assertThat(full.seconds()).isEqualTo(10);
        MatrixConfig c = MatrixConfig.parse(new String[] {"--profile=full", "--rounds", "2", "--seconds=4",
                "--workloads", "idle,echo-64", "--kinds", "netty-epoll, jgnet-epoll", "--idle-connections", "300",
                "--results", "/tmp/x", "--quiet-wait-seconds", "0", "--pin", "false"});
        assertThat(c.rounds()).isEqualTo(2);
        assertThat(c.seconds()).isEqualTo(4);
        assertThat(c.warmupSeconds()).isEqualTo(5);
        assertThat(c.workloads()).extracting(Workload::name).containsExactly("idle", "echo-64");
        assertThat(c.kinds()).extracting(ServerKind::name).containsExactly("netty-epoll", "jgnet-epoll");
        assertThat(c.idleConnections()).isEqualTo(300);
        assertThat(c.results()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.pin()).isFalse();
    }

    @Test
    void badFlagsAreRejectedWithAMessageNamingThem() {
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--profile", "long"})).hasMessageContaining("profile 'long'");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--kinds", "netty-kqueue"})).hasMessageContaining("netty-kqueue");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--workloads", "echo-1m"})).hasMessageContaining("echo-1m");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--workloads", ","})).hasMessageContaining("empty list");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--rounds", "0"})).hasMessageContaining("--rounds");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--seconds", "x"})).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--busy-limit", "-1"})).hasMessageContaining("--busy-limit");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--colour", "red"})).hasMessageContaining("--colour");
        assertThatThrownBy(() -> MatrixConfig.parse(new String[] {"--seconds"})).hasMessageContaining("needs a value");
    }
}
