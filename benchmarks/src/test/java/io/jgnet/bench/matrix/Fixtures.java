package io.jgnet.bench.matrix;

import io.jgnet.bench.process.ProcStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Synthetic runs for the results and report tests: figures chosen so the expected values are easy to read. */
public final class Fixtures {

    public static final Workload ECHO = Workload.named("echo-64");
    public static final Workload HTTP = Workload.named("http-p16");
    public static final Workload IDLE = Workload.named("idle").withConnections(1000);
    static final ServerKind JGNET_EPOLL = ServerKind.named("jgnet-epoll");
    static final ServerKind NETTY_NIO = ServerKind.named("netty-nio");
    static final ServerKind NETTY_EPOLL = ServerKind.named("netty-epoll");
    static final ServerKind NETTY_IO_URING = ServerKind.named("netty-io_uring");
    static final ServerKind NETTY_CODEC = ServerKind.named("netty-codec");
    static final ServerKind C_EPOLL = ServerKind.named("c-epoll");
    public static final List<ServerKind> KINDS = List.of(JGNET_EPOLL, NETTY_NIO, NETTY_EPOLL, NETTY_IO_URING, NETTY_CODEC, C_EPOLL);
    private static final long TICKS = 100;

    private Fixtures() {
    }

    /**
     * A clean 10-second window at {@code rps} requests per second costing {@code cpuMicros} of
     * server CPU per request, a quarter of it user time; p50/p99/p99.9 100/200/300 us;
     * {@code alloc} bytes per request (NaN: not reported).
     */
    public static Run run(Workload w, ServerKind kind, int round, double rps, double cpuMicros, double alloc) {
        long ticks = Math.round(cpuMicros * rps * 10 * TICKS / 1e6);
        return Run.measured(w.name(), kind.name(), round, new Run.Window((long) (rps * 10), 10, 100, 200, 300, 0, 0,
                new ProcStat(ticks / 4, ticks - ticks / 4), new ProcStat(500, 500), new ProcStat(ticks + 1000, 0), 10, TICKS,
                alloc * rps * 10));
    }

    static Run idle(ServerKind kind, int round, long bytesPerConnection) {
        return new Run(IDLE.name(), kind.name(), round, Run.Status.OK, "", null,
                new Run.Idle(IDLE.connections(), 50_000_000, 50_000_000 + bytesPerConnection * IDLE.connections(), 0, 0));
    }

    /**
     * Three rounds: echo with every echo kind (io_uring unavailable, jgnet-epoll's round 2
     * failed), http-p16 with jgnet, Netty epoll and Netty's codec, and idle.
     */
    public static MatrixResults typical() {
        List<Run> runs = new ArrayList<>();
        runs.add(Run.unavailable(ECHO.name(), NETTY_IO_URING.name(), 1, "io_uring: kernel says ENOSYS"));
        for (int round = 1; round <= 3; round++) {
            runs.add(round == 2 ? Run.failed(ECHO.name(), JGNET_EPOLL.name(), 2, "server jgnet-epoll (pid 1): ended before"
                    + " ready line\n  its last output:\n    Caused by: boom") : run(ECHO, JGNET_EPOLL, round, 110_000, 7.0 + round, 0));
            runs.add(run(ECHO, NETTY_NIO, round, 80_000, 12.0 + round, 40));
            runs.add(run(ECHO, NETTY_EPOLL, round, 100_000, 10.0 + round, 20));
            runs.add(run(ECHO, C_EPOLL, round, 120_000, 6.0 + round, Double.NaN));
            runs.add(run(HTTP, JGNET_EPOLL, round, 400_000, 0.8, 0));
            runs.add(run(HTTP, NETTY_EPOLL, round, 500_000, 1.0 + round / 10.0, 16));
            runs.add(run(HTTP, NETTY_CODEC, round, 300_000, 0.5, 400)); // cheaper, but not the same work: never the base
            runs.add(idle(JGNET_EPOLL, round, 1_000));
            runs.add(idle(NETTY_EPOLL, round, 2_500));
        }
        return new MatrixResults(List.of(ECHO, HTTP, IDLE), KINDS, runs, Map.of(NETTY_IO_URING.name(), "io_uring: kernel says ENOSYS"));
    }
}
