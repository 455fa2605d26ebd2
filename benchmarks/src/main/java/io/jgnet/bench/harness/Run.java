package io.jgnet.bench.harness;

/**
 * One measurement of the {@link Matrix}: one server kind under one workload in one round, and
 * how it ended. Immutable.
 *
 * @param workload   the workload's name
 * @param kind       the server kind's name
 * @param round      1-based round number
 * @param status     whether it completed, failed, or could not run here
 * @param note       why it failed or was unavailable; empty when it completed
 * @param load       what a request/response measurement measured, or null (idle, or no result)
 * @param allocBytes bytes the server's I/O threads allocated in the window, or NaN when the kind
 *                   does not report allocation
 * @param allocSeconds the time between the two allocation readings
 * @param idle       what an idle measurement measured, or null
 */
record Run(String workload, String kind, int round, Status status, String note,
           RunResult load, double allocBytes, double allocSeconds, Idle idle) {

    /** How a measurement ended. */
    enum Status {
        /** Completed without errors or mismatches: its figures count. */
        OK,
        /** Did not complete, or the load saw errors or wrong responses: its figures do not count. */
        FAILED,
        /** The kind cannot run on this machine (e.g. no io_uring): not a failure, only a gap. */
        UNAVAILABLE
    }

    /**
     * The idle-memory measurement: the server's resident set and (for a JVM) its heap in use,
     * each after a GC, before and after the load opened {@code connections} connections that each
     * exchanged one byte. A JVM server runs with its whole heap touched at start
     * (-XX:+AlwaysPreTouch), so the resident set's growth is the native memory the connections
     * took (sockets' buffers, direct buffers, the JVM's own tables) and the heap's growth is the
     * Java objects they keep; the two add up to what a connection costs. (Without pre-touching,
     * eden pages first touched while connecting would count as the connections' memory.)
     *
     * @param heapBeforeBytes heap in use after the first GC; 0 for a server that is not a JVM
     * @param heapAfterBytes  heap in use after the second GC; 0 for a server that is not a JVM
     */
    record Idle(int connections, long rssBeforeBytes, long rssAfterBytes, long heapBeforeBytes, long heapAfterBytes) {
        double bytesPerConnection() {
            long grown = (rssAfterBytes - rssBeforeBytes) + (heapAfterBytes - heapBeforeBytes);
            return connections == 0 ? Double.NaN : grown / (double) connections;
        }
    }

    /** A completed request/response run; FAILED when the load saw errors or mismatches. */
    static Run measured(String workload, RunResult load, double allocBytes, double allocSeconds) {
        boolean clean = load.errors() == 0 && load.mismatches() == 0;
        return new Run(workload, load.kind(), load.round(), clean ? Status.OK : Status.FAILED,
                clean ? "" : "errors=" + load.errors() + " mismatches=" + load.mismatches(),
                load, allocBytes, allocSeconds, null);
    }

    static Run idle(String workload, String kind, int round, Idle idle) {
        return new Run(workload, kind, round, Status.OK, "", null, Double.NaN, 0, idle);
    }

    static Run failed(String workload, String kind, int round, String why) {
        return new Run(workload, kind, round, Status.FAILED, why, null, Double.NaN, 0, null);
    }

    static Run unavailable(String workload, String kind, int round, String reason) {
        return new Run(workload, kind, round, Status.UNAVAILABLE, reason, null, Double.NaN, 0, null);
    }

    /**
     * Bytes allocated on the server's I/O threads per request: the allocation rate over the
     * request rate, each over its own window (as {@link RunResult} divides CPU).
     */
    double allocBytesPerRequest() {
        if (load == null || Double.isNaN(allocBytes) || allocSeconds <= 0 || load.msgsPerSecond() <= 0) {
            return Double.NaN;
        }
        return allocBytes / allocSeconds / load.msgsPerSecond();
    }
}
