package io.jgnet.bench.load;

import com.sun.management.UnixOperatingSystemMXBean;
import io.jgnet.bench.servers.BenchTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The matrix's load generator, one per server under test. The process contract:
 *
 * <pre>
 * BenchLoad PROTOCOL PORT CONNECTIONS [PIPELINE [SIZE]]
 *   PROTOCOL  echo | frame-length | frame-line | http | resp | idle, or over TLS 1.3:
 *             tls-echo | tls-http | tls-idle | tls-handshake (tls-echo over a new connection per batch)
 *   prints    CONNECTED n                once every connection is open, then serves stdin:
 *   RUN s     runs s seconds unmeasured, then prints DONE
 *   MEASURE s prints MEASURE_START, runs s seconds, prints MEASURE_END, then
 *             RESULT requests=.. seconds=.. rps=.. p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=.. errors=.. mismatches=..
 *   end of input closes every connection and exits
 * idle: prints IDLE n once every connection is open and has echoed one byte, holds them until a
 *   line or the end of stdin, closes them and prints CLOSED n
 * </pre>
 *
 * Over TLS every connection's handshake is done before CONNECTED (IDLE), outside every window,
 * except in tls-handshake, whose every batch pays for its own connection and handshake.
 * SIZE is the echo payload or frame length; a framed request is one frame. Errors (lost
 * connections) and mismatches (wrong responses) count from the start; the rest per window.
 * Failures print one {@code ERROR reason} line; exit status 0 all went well, 1 an error or a
 * mismatch, 2 a bad command line. Runs on the calling thread.
 */
public final class BenchLoad {

    static final List<String> PROTOCOLS = List.of("echo", "frame-length", "frame-line", "http", "resp", "idle", "tls-echo",
            "tls-http", "tls-idle", "tls-handshake");
    static final int MAX_PIPELINE = 1024;
    static final int MAX_SIZE = 1024 * 1024;
    /** Descriptors kept free beyond one per connection: the selector's, stdio, what the JVM opens late. */
    static final int SPARE_DESCRIPTORS = 32;
    private static final long CONNECT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private BenchLoad() {
    }

    /** Entry point; see the class comment. Exits with the run's status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs one load with the given streams for the process's own; returns the exit status. */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        String protocol;
        InetSocketAddress server;
        int connections;
        int pipeline;
        int size;
        try {
            if (args.length < 3 || args.length > 5 || !PROTOCOLS.contains(args[0])) {
                throw new IllegalArgumentException("usage: BenchLoad " + String.join("|", PROTOCOLS)
                        + " PORT CONNECTIONS [PIPELINE [SIZE]]");
            }
            protocol = args[0];
            server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
            connections = Integer.parseInt(args[2]);
            pipeline = args.length > 3 ? Integer.parseInt(args[3]) : 1;
            size = args.length > 4 ? Integer.parseInt(args[4]) : 64;
            if (connections < 1 || pipeline < 1 || pipeline > MAX_PIPELINE || size < 1 || size > MAX_SIZE) {
                throw new IllegalArgumentException("CONNECTIONS >= 1, PIPELINE 1.." + MAX_PIPELINE + ", SIZE 1.." + MAX_SIZE);
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            out.println("ERROR " + e.getMessage());
            return 2;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        try {
            String shortage = descriptorShortage(connections);
            if (shortage != null) {
                throw new IOException(shortage);
            }
            long deadline = System.nanoTime() + CONNECT_NANOS;
            TlsLink.Shared tls = protocol.startsWith(BenchTls.PREFIX) ? new TlsLink.Shared() : null;
            String inner = BenchTls.served(protocol);
            boolean idle = inner.equals("idle");
            boolean handshakes = inner.equals("handshake");
            boolean failed = false;
            // An idle connection is proved held by one echoed byte; a handshake's batch is an echo.
            try (RequestLoad load = new RequestLoad(server, connections, idle || handshakes ? "echo" : inner,
                    idle ? 1 : pipeline, idle ? 1 : size, tls, handshakes, err, deadline)) {
                if (idle) {
                    if (!load.probe(deadline)) {
                        throw new IOException("the server did not echo every new connection's probe byte");
                    }
                    say(out, "IDLE " + load.connections());
                    in.readLine();
                } else {
                    say(out, "CONNECTED " + load.connections());
                    for (String line; (line = in.readLine()) != null; ) {
                        String[] words = line.strip().split(" ");
                        if (words.length != 2 || !List.of("RUN", "MEASURE").contains(words[0]) || !words[1].matches("\\d{1,6}")) {
                            say(out, "ERROR unknown command " + line);
                            continue;
                        }
                        String result = load.window(Integer.parseInt(words[1]), words[0].equals("MEASURE"), out);
                        failed |= !result.endsWith("errors=0 mismatches=0");
                        say(out, words[0].equals("RUN") ? "DONE" : result);
                    }
                }
            }
            if (idle) {
                // Only now: a registered channel's descriptor is released when its selector lets go.
                say(out, "CLOSED " + connections);
            }
            return failed ? 1 : 0;
        } catch (IOException | RuntimeException e) {
            say(out, "ERROR " + e);
            return 1;
        }
    }

    private static void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }

    /** Why {@code connections} more sockets would not fit under the descriptor limit, or null: a too-large run fails at once. */
    static String descriptorShortage(int connections) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return null;
        }
        long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - SPARE_DESCRIPTORS;
        return connections <= free ? null : connections + " connections need one file descriptor each, but this process"
                + " may open only " + Math.max(free, 0) + " more (ulimit -n " + os.getMaxFileDescriptorCount() + ")";
    }
}
