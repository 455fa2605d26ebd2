package io.jgnet.bench.harness;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Synthetic runs for the matrix's model and report tests: figures chosen so the expected values are easy to read. */
final class Fixtures {

    static final Workload ECHO = Workload.named("echo-64");
    static final Workload HTTP = Workload.named("http-p16");
    static final Workload IDLE = Workload.named("idle").withConnections(1000);

    static final ServerKind JGNET_NIO = ServerKind.named("jgnet-nio");
    static final ServerKind JGNET_EPOLL = ServerKind.named("jgnet-epoll");
    static final ServerKind NETTY_NIO = ServerKind.named("netty-nio");
    static final ServerKind NETTY_EPOLL = ServerKind.named("netty-epoll");
    static final ServerKind NETTY_IO_URING = ServerKind.named("netty-io_uring");
    /** A reference that only serves echo, like the C epoll server. */
    static final ServerKind C_EPOLL = ServerKind.reference("c-epoll", Set.of("echo"), (protocol, context) -> List.of("true"));

    static final List<ServerKind> ALL_KINDS = List.of(JGNET_NIO, JGNET_EPOLL, NETTY_NIO, NETTY_EPOLL, NETTY_IO_URING, C_EPOLL);

    private static final long TICKS_PER_SECOND = 100;
    private static final double SAMPLE_SECONDS = 10;

    private Fixtures() {
    }

    /**
     * A clean run at {@code rps} requests per second costing {@code cpuMicros} of server CPU per
     * request, a quarter of it user time; latencies p50 = 100, p99 = 200, p99.9 = 300 us;
     * {@code allocPerRequest} bytes per request (NaN: not reported).
     */
    static Run run(Workload w, ServerKind kind, int round, double rps, double cpuMicros, double allocPerRequest) {
        return Run.measured(w.name(), result(kind, round, rps, cpuMicros, 0), allocPerRequest * rps * SAMPLE_SECONDS,
                SAMPLE_SECONDS);
    }

    static RunResult result(ServerKind kind, int round, double rps, double cpuMicros, long errors) {
        long ticks = Math.round(cpuMicros * rps * SAMPLE_SECONDS * TICKS_PER_SECOND / 1e6);
        long user = ticks / 4;
        return new RunResult(round, kind.name(), (long) (rps * SAMPLE_SECONDS), SAMPLE_SECONDS, rps, 100, 200, 300, 0,
                errors, new ProcStat(user, ticks - user), new ProcStat(500, 500), new ProcStat(ticks + 1000, 0),
                SAMPLE_SECONDS, TICKS_PER_SECOND);
    }

    static Run idle(ServerKind kind, int round, long bytesPerConnection) {
        return Run.idle(IDLE.name(), kind.name(), round,
                new Run.Idle(IDLE.connections(), 50_000_000, 50_000_000 + bytesPerConnection * IDLE.connections(), 0, 0));
    }

    static MatrixResults results(List<Workload> workloads, List<ServerKind> kinds, List<Run> runs) {
        return results(workloads, kinds, runs, Map.of());
    }

    static MatrixResults results(List<Workload> workloads, List<ServerKind> kinds, List<Run> runs,
                                 Map<String, String> unavailable) {
        return new MatrixResults(workloads, kinds, runs, unavailable);
    }

    /**
     * A whole small matrix: echo with every kind (io_uring unavailable, one jgnet-nio round
     * failed), http-p16 without c-epoll, idle; three rounds.
     */
    static MatrixResults typical() {
        List<Run> runs = new java.util.ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            if (round == 2) {
                runs.add(Run.failed(ECHO.name(), JGNET_NIO.name(), round, "server jgnet-nio (pid 1): ended before READY line\n"
                        + "  its last output:\n    Caused by: boom"));
            } else {
                runs.add(run(ECHO, JGNET_NIO, round, 90_000, 9.0 + round, 0));
            }
            runs.add(run(ECHO, JGNET_EPOLL, round, 110_000, 7.0 + round, 0));
            runs.add(run(ECHO, NETTY_NIO, round, 80_000, 12.0 + round, 40));
            runs.add(run(ECHO, NETTY_EPOLL, round, 100_000, 10.0 + round, 20));
            runs.add(run(ECHO, C_EPOLL, round, 120_000, 6.0 + round, Double.NaN));
            runs.add(run(HTTP, JGNET_EPOLL, round, 400_000, 0.8, 0));
            runs.add(run(HTTP, NETTY_EPOLL, round, 500_000, 1.0, 16));
            runs.add(idle(JGNET_EPOLL, round, 1_000));
            runs.add(idle(NETTY_EPOLL, round, 2_500));
        }
        runs.add(1, Run.unavailable(ECHO.name(), NETTY_IO_URING.name(), 1, "io_uring: kernel says ENOSYS"));
        return results(List.of(ECHO, HTTP, IDLE), ALL_KINDS, runs,
                Map.of(NETTY_IO_URING.name(), "io_uring: kernel says ENOSYS"));
    }
}
