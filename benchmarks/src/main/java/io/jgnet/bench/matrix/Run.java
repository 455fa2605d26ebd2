package io.jgnet.bench.matrix;

import io.jgnet.bench.process.ProcStat;

/**
 * One measurement: one server kind under one workload in one round, and how it ended; a request
 * workload fills {@code window}, the idle workload {@code idle}. Immutable.
 */
public record Run(String workload, String kind, int round, Status status, String note, Window window, Idle idle) {

    /** How a measurement ended. */
    public enum Status {
        /** Completed without errors or mismatches: its figures count. */
        OK,
        /** Did not complete, or the load saw errors or wrong responses: its figures do not count. */
        FAILED,
        /** The kind cannot run here (e.g. no io_uring): a gap, not a failure. */
        UNAVAILABLE
    }

    /**
     * A measured window: the load's count and latencies, and the CPU ticks the server, the load and
     * the machine used between two samples {@code sampleSeconds} apart, taken at the load's window
     * markers; {@code allocBytes} is what the server's loop thread allocated between them, NaN when
     * not reported. Per-request figures divide each rate over its own window.
     */
    public record Window(long requests, double seconds, double p50Micros, double p99Micros, double p999Micros,
                         long errors, long mismatches, ProcStat server, ProcStat load, ProcStat machine,
                         double sampleSeconds, long ticksPerSecond, double allocBytes) {

        public double requestsPerSecond() {
            return seconds > 0 ? requests / seconds : 0;
        }

        public double cpuMicros() {
            return micros(server.totalTicks());
        }

        public double userMicros() {
            return micros(server.userTicks());
        }

        public double systemMicros() {
            return micros(server.systemTicks());
        }

        public double allocPerRequest() {
            return requests == 0 ? Double.NaN : allocBytes / sampleSeconds / requestsPerSecond();
        }

        /** Cores busy: 1.0 is one core. */
        public double serverCores() {
            return server.totalTicks() / (double) ticksPerSecond / sampleSeconds;
        }

        public double loadCores() {
            return load.totalTicks() / (double) ticksPerSecond / sampleSeconds;
        }

        /** Cores taken by anything but the server and the load: above a few tenths, the run was contended. */
        public double otherCores() {
            return Math.max(0, machine.userTicks() - server.totalTicks() - load.totalTicks()) / (double) ticksPerSecond
                    / sampleSeconds;
        }

        private double micros(long ticks) {
            return requests == 0 ? Double.NaN : ticks * 1e6 / ticksPerSecond / sampleSeconds / requestsPerSecond();
        }
    }

    /**
     * Idle memory: the server's resident set and (a JVM's) heap in use, each after a GC, before
     * and after the load opened {@code connections} connections that each echoed one byte. A JVM
     * server's heap is touched at start, so the resident set grows only by native memory (socket
     * and direct buffers, the JVM's tables) and the heap's growth is the Java objects kept.
     * The heap is a JVM's live objects (the class histogram less the filler arrays ParallelGC
     * leaves for dead objects it did not compact away). Over TLS the server has opened and closed
     * connections before the baseline, so that the JIT's growth is not counted; the heap's share
     * ({@link #heapBytesPerConnection}) is then the figure to compare, the resident set's being
     * native memory and noise (malloc arenas trimmed or grown: it may even shrink).
     */
    public record Idle(int connections, long rssBeforeBytes, long rssAfterBytes, long heapBeforeBytes, long heapAfterBytes) {
        public double bytesPerConnection() {
            long grown = (rssAfterBytes - rssBeforeBytes) + (heapAfterBytes - heapBeforeBytes);
            return connections == 0 ? Double.NaN : grown / (double) connections;
        }

        /** The live heap (after a full GC) grown per connection: the Java objects each connection keeps. */
        public double heapBytesPerConnection() {
            return connections == 0 ? Double.NaN : (heapAfterBytes - heapBeforeBytes) / (double) connections;
        }
    }

    /** A completed window; FAILED when the load saw errors or mismatches. */
    static Run measured(String workload, String kind, int round, Window w) {
        boolean clean = w.errors() == 0 && w.mismatches() == 0;
        return new Run(workload, kind, round, clean ? Status.OK : Status.FAILED,
                clean ? "" : "errors=" + w.errors() + " mismatches=" + w.mismatches(), w, null);
    }

    static Run failed(String workload, String kind, int round, String why) {
        return new Run(workload, kind, round, Status.FAILED, why, null, null);
    }

    static Run unavailable(String workload, String kind, int round, String reason) {
        return new Run(workload, kind, round, Status.UNAVAILABLE, reason, null, null);
    }
}
