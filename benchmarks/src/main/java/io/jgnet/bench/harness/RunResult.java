package io.jgnet.bench.harness;

/**
 * What one server run measured over its window: the load generator's count and latencies, and
 * the CPU the server (and the load generator) used between the window's two samples.
 * Immutable.
 *
 * @param round          1-based round number
 * @param kind           the server kind, one of {@link BenchServers#KINDS}
 * @param messages       echoes completed in the window
 * @param seconds        the window as the load generator timed it
 * @param msgsPerSecond  messages / seconds
 * @param p50Micros      median request latency
 * @param p99Micros      99th percentile request latency
 * @param p999Micros     99.9th percentile request latency
 * @param mismatches     echoes that differed from the request (should be 0)
 * @param errors         connections lost (should be 0)
 * @param server         server CPU ticks spent in the window, user and system
 * @param load           load generator CPU ticks spent in the window
 * @param machine        the whole machine's busy ticks (user) and steal ticks (system) in the window
 * @param sampleSeconds  the time between the two CPU samples, as the orchestrator timed it
 * @param ticksPerSecond the unit of the ticks (CLK_TCK)
 */
record RunResult(int round, String kind, long messages, double seconds, double msgsPerSecond,
                 double p50Micros, double p99Micros, double p999Micros, long mismatches, long errors,
                 ProcStat server, ProcStat load, ProcStat machine, double sampleSeconds, long ticksPerSecond) {

    /** Server CPU per message in microseconds, user plus system. */
    double cpuMicrosPerMessage() {
        return micros(server.totalTicks());
    }

    /** The user-space part of {@link #cpuMicrosPerMessage()}: the framework's own code (and JIT/GC). */
    double userMicrosPerMessage() {
        return micros(server.userTicks());
    }

    /** The kernel part of {@link #cpuMicrosPerMessage()}: syscalls and loopback TCP. */
    double systemMicrosPerMessage() {
        return micros(server.systemTicks());
    }

    /** The share of the server's CPU spent in user space, 0..1. */
    double userShare() {
        return server.totalTicks() == 0 ? 0 : (double) server.userTicks() / server.totalTicks();
    }

    /** How busy the server was: 1.0 is one core fully used. */
    double serverCores() {
        return server.totalTicks() / (double) ticksPerSecond / sampleSeconds;
    }

    /** How busy the load generator was: near 1.0 means it, not the server, set the pace. */
    double loadCores() {
        return load.totalTicks() / (double) ticksPerSecond / sampleSeconds;
    }

    /**
     * Cores used by anything but the server and the load generator (other processes, the
     * orchestrator, kernel threads): above a few tenths, the run competed for the cores.
     */
    double otherCores() {
        return Math.max(0, machine.userTicks() - server.totalTicks() - load.totalTicks())
                / (double) ticksPerSecond / sampleSeconds;
    }

    /**
     * CPU rate over message rate, each over its own clock's window: the two windows start and end
     * a moment apart (the orchestrator samples when it reads the load's marker lines), and
     * dividing rates rather than totals keeps that from skewing the figure.
     */
    private double micros(long ticks) {
        return messages == 0 ? Double.NaN : ticks * 1e6 / ticksPerSecond / sampleSeconds / msgsPerSecond;
    }
}
