package io.jgnet.bench.harness;

/**
 * One measured window of an external load tool (redis-benchmark, wrk) against one server: the
 * tool's own request count and rate, and the CPU the server, the tool and the whole machine used
 * between the window's two samples. Immutable.
 *
 * @param round             1-based round number
 * @param server            the server's label, e.g. {@code jgnet} or {@code redis-server}
 * @param test              the test's label, e.g. {@code P16 SET} or {@code pipelined}
 * @param requests          requests the tool completed in the window
 * @param requestsPerSecond the rate the tool itself reported
 * @param errors            errors the tool reported (socket errors, non-2xx responses); should be 0
 * @param serverCpu         server CPU ticks spent in the window, user and system
 * @param load              the tool's CPU ticks in the window
 * @param machine           the whole machine's busy ticks (user) and steal ticks (system)
 * @param sampleSeconds     the time between the two samples, as the orchestrator timed it
 * @param ticksPerSecond    the unit of the ticks (CLK_TCK)
 */
record ToolRun(int round, String server, String test, long requests, double requestsPerSecond, long errors,
               ProcStat serverCpu, ProcStat load, ProcStat machine, double sampleSeconds, long ticksPerSecond) {

    /**
     * Server CPU per request in microseconds, user plus system. Divided by the request count,
     * not by a rate, because the window spans exactly the tool's requests (plus its connection
     * set-up, which is a few hundred microseconds).
     */
    double cpuMicros() {
        return micros(serverCpu.totalTicks());
    }

    double userMicros() {
        return micros(serverCpu.userTicks());
    }

    double systemMicros() {
        return micros(serverCpu.systemTicks());
    }

    double userShare() {
        return serverCpu.totalTicks() == 0 ? 0 : (double) serverCpu.userTicks() / serverCpu.totalTicks();
    }

    double serverCores() {
        return serverCpu.totalTicks() / (double) ticksPerSecond / sampleSeconds;
    }

    double loadCores() {
        return load.totalTicks() / (double) ticksPerSecond / sampleSeconds;
    }

    /** Cores taken by anything but the server and the tool: above a few tenths, the run was contended. */
    double otherCores() {
        return Math.max(0, machine.userTicks() - serverCpu.totalTicks() - load.totalTicks())
                / (double) ticksPerSecond / sampleSeconds;
    }

    private double micros(long ticks) {
        return requests == 0 ? Double.NaN : ticks * 1e6 / ticksPerSecond / requests;
    }
}
