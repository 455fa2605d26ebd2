package io.jgnet.bench.harness;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The benchmark matrix's load generator (contract section 2 of the harness): request/response
 * load over echo, HTTP or RESP with a batch of requests in flight per connection, or a crowd of
 * idle connections for measuring a server's memory. Usage:
 *
 * <pre>
 * BenchLoad --protocol echo|http|resp --port P [--host 127.0.0.1] [--connections 100]
 *           [--pipeline 1] [--size 64] [--command ping|set|get|mix] [--warmup-seconds 5] [--seconds 10]
 * BenchLoad --protocol idle --port P [--host 127.0.0.1] [--connections 10000]
 * </pre>
 *
 * <p>Request/response ({@link RequestLoad}): each connection writes {@code --pipeline} requests
 * at once, reads until all their responses are in, checks them, and writes the next batch.
 * {@code --size} is the echo request size; {@code --command} the RESP workload (see
 * {@link RespProtocol}); HTTP sends {@code GET /plaintext} (see {@link HttpProtocol}). It prints:
 * <pre>
 * CONNECTED n
 * MEASURE_START                       after the warm-up
 * MEASURE_END                         after the measured seconds
 * RESULT requests=.. seconds=.. rps=.. p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=.. errors=.. mismatches=..
 * </pre>
 * In echo mode the RESULT line also carries {@code messages=} and {@code msgs_per_sec=}, the
 * names {@link EchoBench} reads. Errors (lost connections) and mismatches (wrong responses) are
 * counted over the whole run, warm-up included; everything else over the measured window.
 *
 * <p>Idle ({@link IdleLoad}): prints {@code IDLE n} once every connection is open and has
 * echoed one byte, holds them until a line or end of file on stdin, then prints
 * {@code CLOSED n}.
 *
 * <p>Failures print one {@code ERROR <reason>} line on stdout, among them a connection count
 * beyond the process's file-descriptor limit, checked before connecting. Exit status: 0 when all
 * went well, 1 on any error or mismatch, 2 for a bad command line.
 *
 * <p>Runs on the calling thread; one run per process.
 */
public final class BenchLoad {

    /** Most requests per batch; a deeper pipeline measures the socket buffers, not the server. */
    static final int MAX_PIPELINE = 1024;
    /** Largest echo request; the benchmark's largest is 4 KiB. */
    static final int MAX_SIZE = 1024 * 1024;
    /**
     * Descriptors kept free beyond one per connection: the selector's own (epoll and its wakeup
     * pipe), stdin/stdout/stderr and whatever the JVM opens late.
     */
    static final int SPARE_FILE_DESCRIPTORS = 32;

    private static final Map<String, String> DEFAULTS = Map.of("protocol", "", "port", "",
            "host", "127.0.0.1", "connections", "100", "pipeline", "1", "size", "64", "command", "mix",
            "warmup-seconds", "5", "seconds", "10");
    private static final String USAGE = """
            usage: BenchLoad --protocol echo|http|resp --port P [--host 127.0.0.1] [--connections 100]
                             [--pipeline 1] [--size 64] [--command ping|set|get|mix]
                             [--warmup-seconds 5] [--seconds 10]
                   BenchLoad --protocol idle --port P [--host 127.0.0.1] [--connections 10000]""";

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    private BenchLoad() {
    }

    /** Entry point; see the class comment for the flags. Exits with the run's status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one load with the given streams in place of the process's own, and returns the exit
     * status. {@code stdin} is read only in idle mode.
     */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Map<String, String> flags;
        String protocolName;
        InetSocketAddress server;
        int connections;
        try {
            flags = Flags.parse(args, DEFAULTS);
            protocolName = flags.get("protocol");
            if (!protocolName.equals("idle") && !LoadProtocol.NAMES.contains(protocolName)) {
                throw new IllegalArgumentException("--protocol must be echo, http, resp or idle, got '" + protocolName + "'");
            }
            server = new InetSocketAddress(flags.get("host"), Flags.positive(flags, "port"));
            connections = Flags.positive(flags, "connections");
        } catch (IllegalArgumentException e) {
            out.println("ERROR " + e.getMessage());
            out.flush();
            err.println(USAGE);
            return BAD_USAGE;
        }
        String shortage = fileDescriptorShortage(connections);
        if (shortage != null) {
            out.println("ERROR " + shortage);
            out.flush();
            return FAILED;
        }
        try {
            if (protocolName.equals("idle")) {
                IdleLoad.run(server, connections,
                        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), out);
                return OK;
            }
            return requestResponse(flags, protocolName, server, connections, out, err);
        } catch (IllegalArgumentException e) {
            out.println("ERROR " + e.getMessage());
            out.flush();
            err.println(USAGE);
            return BAD_USAGE;
        } catch (IOException e) {
            out.println("ERROR " + e.getMessage());
            out.flush();
            return FAILED;
        }
    }

    private static int requestResponse(Map<String, String> flags, String protocolName, InetSocketAddress server,
                                       int connections, PrintStream out, PrintStream err) throws IOException {
        int pipeline = Flags.positive(flags, "pipeline");
        if (pipeline > MAX_PIPELINE) {
            throw new IllegalArgumentException("--pipeline must be at most " + MAX_PIPELINE + ", got " + pipeline);
        }
        if (Flags.positive(flags, "size") > MAX_SIZE) {
            throw new IllegalArgumentException("--size must be at most " + MAX_SIZE + ", got " + flags.get("size"));
        }
        int warmupSeconds = Flags.nonNegative(flags, "warmup-seconds");
        int seconds = Flags.positive(flags, "seconds");
        LoadProtocol protocol = LoadProtocol.of(protocolName, pipeline, flags);
        LoadResult result = new RequestLoad(protocol, pipeline, out, err)
                .run(server, connections, warmupSeconds, seconds);
        out.println(result.line(protocolName.equals("echo")));
        out.flush();
        return result.failed() ? FAILED : OK;
    }

    /**
     * Why {@code connections} more sockets would not fit under this process's descriptor limit,
     * or null if they fit (or the platform does not say). Checked up front so that a too-large
     * run fails at once with the limit named, not minutes in with "Too many open files".
     */
    static String fileDescriptorShortage(int connections) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return null;
        }
        long limit = os.getMaxFileDescriptorCount();
        long inUse = os.getOpenFileDescriptorCount();
        long free = limit - inUse - SPARE_FILE_DESCRIPTORS;
        if (connections <= free) {
            return null;
        }
        return "--connections " + connections + " needs one file descriptor each, but this process may open only "
                + Math.max(free, 0) + " more: its limit is " + limit + " (ulimit -n), " + inUse + " in use and "
                + SPARE_FILE_DESCRIPTORS + " kept spare";
    }
}
