package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadAndKindTest {

    private static final ServerKind.Context CONTEXT = new ServerKind.Context("/jdk/bin/java", "bench.jar", Path.of("/repo"));

    @Test
    void theLoadIsToldTheProtocolConnectionsPipelineAndPayload() {
        assertThat(Workload.named("echo-4k").loadArguments(4242, 2, 3)).containsExactly("--protocol", "echo", "--port",
                "4242", "--connections", "100", "--pipeline", "1", "--size", "4096", "--warmup-seconds", "2", "--seconds", "3");
        assertThat(Workload.named("resp-p16").loadArguments(1, 2, 3)).containsSubsequence("--protocol", "resp",
                "--connections", "50", "--pipeline", "16", "--command", "mix");
        assertThat(Workload.named("http").loadArguments(1, 2, 3)).doesNotContain("--size", "--command");
        assertThat(Workload.named("idle").withConnections(300).loadArguments(7, 2, 3))
                .containsExactly("--protocol", "idle", "--port", "7", "--connections", "300");
    }

    @Test
    void aJavaKindRunsBenchServersWithTheServersJvmFlagsAndWatchesStdin() throws Exception {
        ServerKind kind = ServerKind.named("netty-io_uring");
        assertThat(kind.family()).isEqualTo(ServerKind.Family.NETTY);
        assertThat(kind.answersAlloc()).isTrue();
        List<String> command = kind.launch().command("resp", CONTEXT);
        assertThat(command.getFirst()).isEqualTo("/jdk/bin/java");
        assertThat(command).containsAll(EchoBench.SERVER_JVM).containsSubsequence("-cp", "bench.jar",
                ServerKind.JAVA_SERVERS_MAIN, "resp", "netty-io_uring", "0", "--watch-stdin");
        assertThat(ServerKind.named("jgnet-epoll").family()).isEqualTo(ServerKind.Family.JGNET);
    }

    @Test
    void aReferenceKindIsOneLineAndServesOnlyItsProtocols() throws Exception {
        ServerKind c = ServerKind.reference("c-epoll", Set.of("echo"),
                (protocol, context) -> List.of(context.repositoryRoot().resolve("benchmarks/target/c-epoll").toString(), "0"));
        assertThat(c.family()).isEqualTo(ServerKind.Family.REFERENCE);
        assertThat(c.answersAlloc()).isFalse();
        assertThat(c.serves(Workload.named("echo-64"))).isTrue();
        assertThat(c.serves(Workload.named("idle"))).as("idle connections are held by an echo server").isTrue();
        assertThat(c.serves(Workload.named("http"))).isFalse();
        assertThat(c.launch().command("echo", CONTEXT)).containsExactly("/repo/benchmarks/target/c-epoll", "0");
    }

    @Test
    void workloadsDescribeTheirLoad() {
        assertThat(Workload.named("echo-4k").describe()).isEqualTo("100 conns  4 KiB");
        assertThat(Workload.named("resp").describe()).isEqualTo("50 conns  PING/SET/GET");
        assertThat(Workload.named("idle").describe()).startsWith("10000 idle conns");
    }
}
