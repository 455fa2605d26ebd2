package io.jgnet.bench.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixConfigTest {

    @Test
    void theShortProfileIsTheDefault() {
        MatrixConfig c = MatrixConfig.parse();
        assertThat(c.profile()).isEqualTo("short");
        assertThat(c.rounds()).isGreaterThanOrEqualTo(3);
        assertThat(c.idleConnections()).isEqualTo(10_000);
        assertThat(c.tools()).isFalse();
        assertThat(c.workloads()).extracting(Workload::name).containsExactly("echo-64", "echo-4k", "frame-len-64",
                "frame-len-1k", "frame-line-64", "frame-line-1k", "http", "http-p16", "resp", "resp-p16", "idle");
        assertThat(MatrixConfig.parse("--profile", "full").workloads()).extracting(Workload::name).contains("file",
                "tls-echo-64", "tls-http", "tls-handshake", "tls-idle");
        assertThat(c.kinds()).extracting(ServerKind::name).containsExactly("jgnet-nio", "jgnet-epoll", "jgnet-io_uring",
                "netty-nio", "netty-epoll", "netty-io_uring", "jgnet-epoll-timeouts", "netty-codec", "c-epoll", "c-io_uring", "nginx",
                "redis-server");
    }

    @Test
    void theShortProfileIsEstimatedAtFiveToTenMinutes() {
        // The estimate errs long: 555 s estimated ran in 8 min 19 s on a fresh clone.
        MatrixConfig c = MatrixConfig.parse();
        double seconds = c.workloads().stream().mapToDouble(w -> c.estimatedSeconds(w, w.connections())).sum();
        assertThat(seconds).isBetween(200.0, 600.0);
    }

    @Test
    void flagsOverrideEitherProfile() {
        MatrixConfig full = MatrixConfig.parse("--profile", "full");
        assertThat(full.rounds()).isGreaterThan(MatrixConfig.parse().rounds());
        MatrixConfig c = MatrixConfig.parse("--profile=full", "--rounds", "2", "--seconds=4", "--workloads", "idle,echo-64",
                "--kinds", "netty-epoll, jgnet-epoll", "--idle-connections", "300", "--results", "/tmp/x", "--pin", "false",
                "--load", "tools");
        assertThat(c.rounds()).isEqualTo(2);
        assertThat(c.seconds()).isEqualTo(4);
        assertThat(c.workloads()).extracting(Workload::name).containsExactly("idle", "echo-64");
        assertThat(c.kinds()).extracting(ServerKind::name).containsExactly("netty-epoll", "jgnet-epoll");
        assertThat(c.results()).isEqualTo(Path.of("/tmp/x"));
        assertThat(c.pin()).isFalse();
        assertThat(c.tools()).isTrue();
    }

    @Test
    void badFlagsAreRejectedWithAMessageNamingThem() {
        String[][] cases = {{"--profile long", "'long'"}, {"--kinds netty-kqueue", "netty-kqueue"},
                {"--workloads echo-1m", "echo-1m"}, {"--workloads ,", "empty list"}, {"--rounds 0", "--rounds"},
                {"--seconds x", "--seconds"}, {"--busy-limit -1", "--busy-limit"}, {"--colour red", "--colour"},
                {"--seconds", "needs a value"}, {"--load ab", "--load"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> MatrixConfig.parse(c[0].split(" "))).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[1]);
        }
        assertThat(MatrixConfig.usage()).contains("--rounds", "--load", "--idle-rounds");
    }

    @Test
    void kindsRotateRoundByRoundSoNoneIsAlwaysFirst() {
        List<String> kinds = List.of("a", "b", "c");
        assertThat(Measurer.rotated(kinds, 0)).containsExactly("a", "b", "c");
        assertThat(Measurer.rotated(kinds, 1)).containsExactly("b", "c", "a");
        assertThat(Measurer.rotated(kinds, 5)).containsExactly("c", "a", "b");
    }

    @Test
    void kindsServeTheirProtocolsAndWorkloadsStateTheirBase() throws Exception {
        ServerKind.Context context = new ServerKind.Context("/jdk/bin/java", "bench.jar", Path.of("/repo"));
        ServerKind.Command uring = ServerKind.named("netty-io_uring").launch().command("frame-line", context);
        assertThat(uring.argv()).startsWith("/jdk/bin/java").containsAll(ServerKind.SERVER_JVM)
                .endsWith("-cp", "bench.jar", "io.jgnet.bench.servers.BenchServers", "frame-line", "netty-io_uring", "0");
        assertThat(uring.port()).isEqualTo(-1);
        assertThat(ServerKind.named("netty-codec").launch().command("http", context).argv()).endsWith("http-codec",
                "netty-epoll", "0");
        assertThat(ServerKind.named("netty-codec").serves(Workload.named("http"))).isTrue();
        assertThat(ServerKind.named("netty-codec").serves(Workload.named("echo-64"))).isFalse();
        assertThat(ServerKind.named("c-epoll").serves(Workload.named("idle"))).isTrue();
        assertThat(ServerKind.named("c-io_uring").serves(Workload.named("frame-line-64"))).isTrue();
        assertThat(ServerKind.named("c-io_uring").serves(Workload.named("http"))).isFalse();
        assertThat(Workload.named("http").base()).contains("minimal responder");
        assertThat(Workload.named("frame-line-1k").describe()).isEqualTo("50 conns  pipeline 16  1 KiB frames  newline-ended");
        assertThat(Workload.named("frame-len-64").unit()).isEqualTo("frame");
        assertThat(Workload.named("tls-handshake").warmupSeconds(10)).isEqualTo(60);
        assertThat(Workload.named("tls-echo-64").warmupSeconds(10)).isEqualTo(10);
    }
}
