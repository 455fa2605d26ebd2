package io.jgnet.bench.matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * One workload of the matrix: what the load does to a server, and what its ratios are taken
 * against. Immutable.
 *
 * @param protocol    what the servers speak (a {@code BenchServers} protocol)
 * @param connections connections the load opens (idle: the connections held)
 * @param pipeline    requests each connection writes at once before waiting for their responses
 * @param size        echo payload or frame length in bytes, 0 where the protocol fixes it
 * @param base        what "x base" divides by, and why that is the same work as jgnet's
 * @param load        what the load speaks (a {@code BenchLoad} protocol): the servers' protocol, {@code idle},
 *                    {@code tls-idle}, or {@code tls-handshake} for a new TLS connection per request
 */
public record Workload(String name, String protocol, int connections, int pipeline, int size, boolean idle, String base,
                       String load) {

    private static final String ECHO_BASE = "Netty's best transport, idiomatic echo handler (write per read, flush per batch)";
    private static final String LENGTH_BASE = "Netty's best transport, LengthFieldBasedFrameDecoder + LengthFieldPrepender"
            + " + echo handler (jgnet: FrameHandler over Codec.lengthField())";
    private static final String LINE_BASE = "Netty's best transport, LineBasedFrameDecoder + newline appender + echo handler"
            + " (jgnet: FrameHandler over Codec.line)";
    private static final String HTTP_BASE = "Netty's best transport, minimal responder parsing in place with response bytes"
            + " encoded once: the work jgnet's example does (netty-codec, HttpServerCodec, shown beside)";
    private static final String FILE_BASE = "nginx 1.22 with sendfile on, one worker, no master process (no Netty file"
            + " server is in the matrix): jgnet's HTTP example serving the same file with Conn.sendFile";
    private static final String TLS_BASE = " behind Netty's SslHandler (JDK provider), TLS 1.3, TLS_AES_128_GCM_SHA256, the"
            + " same EC P-256 certificate as jgnet's";
    private static final String RESP_BASE = "Netty's best transport, hand-written RESP server parsing off the ByteBuf and"
            + " keeping SET keys and values: the work jgnet's example Redis server does";

    /** Every workload, in the order the matrix runs them. */
    public static final List<Workload> ALL = List.of(
            new Workload("echo-64", "echo", 100, 1, 64, false, ECHO_BASE),
            new Workload("echo-4k", "echo", 100, 1, 4096, false, ECHO_BASE),
            new Workload("frame-len-64", "frame-length", 50, 16, 64, false, LENGTH_BASE),
            new Workload("frame-len-1k", "frame-length", 50, 16, 1024, false, LENGTH_BASE),
            new Workload("frame-line-64", "frame-line", 50, 16, 64, false, LINE_BASE),
            new Workload("frame-line-1k", "frame-line", 50, 16, 1024, false, LINE_BASE),
            new Workload("http", "http", 100, 1, 0, false, HTTP_BASE),
            new Workload("http-p16", "http", 100, 16, 0, false, HTTP_BASE),
            new Workload("resp", "resp", 50, 1, 0, false, RESP_BASE),
            new Workload("resp-p16", "resp", 50, 16, 0, false, RESP_BASE),
            new Workload("file", "file", 4, 1, 0, false, FILE_BASE),
            new Workload("idle", "echo", 10_000, 1, 0, true, "Netty's best transport holding the same connections"),
            new Workload("tls-echo-64", "tls-echo", 100, 1, 64, false, ECHO_BASE + TLS_BASE),
            new Workload("tls-http", "tls-http", 100, 1, 0, false, HTTP_BASE + TLS_BASE),
            new Workload("tls-handshake", "tls-echo", 16, 1, 64, false, ECHO_BASE + TLS_BASE, "tls-handshake"),
            new Workload("tls-idle", "tls-echo", 10_000, 1, 0, true, "Netty's best transport holding the same connections"
                    + TLS_BASE, "tls-idle"));

    /** A workload whose load speaks the servers' protocol ({@code idle} when it holds connections). */
    public Workload(String name, String protocol, int connections, int pipeline, int size, boolean idle, String base) {
        this(name, protocol, connections, pipeline, size, idle, base, idle ? "idle" : protocol);
    }

    /** The workload called {@code name}. */
    public static Workload named(String name) {
        return ALL.stream().filter(w -> w.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown workload '" + name + "'; known: " + ALL.stream().map(Workload::name).toList()));
    }

    /** The same workload holding {@code count} idle connections. */
    public Workload withConnections(int count) {
        return new Workload(name, protocol, count, pipeline, size, idle, base, load);
    }

    /** "100 conns  64 B", "50 conns  pipeline 16  1 KiB frames", "10000 idle conns". */
    public String describe() {
        if (idle) {
            return connections + " idle " + (tls() ? "TLS " : "") + "conns, server memory per connection";
        }
        List<String> parts = new ArrayList<>(List.of(connections + " conns"));
        if (tls()) {
            parts.add(newConnections() ? "a new TLS 1.3 connection per request (full handshake)"
                    : "TLS 1.3 (handshakes before the windows)");
        }
        if (pipeline > 1) {
            parts.add("pipeline " + pipeline);
        }
        if (size > 0) {
            parts.add((size % 1024 == 0 ? size / 1024 + " KiB" : size + " B") + (protocol.startsWith("frame") ? " frames" : ""));
        }
        parts.add(switch (protocol.replace("tls-", "")) {
            case "http" -> "GET /plaintext";
            case "file" -> "GET a " + (FileWorkload.SIZE >> 20) + " MiB file";
            case "resp" -> "PING/SET/GET";
            case "frame-length" -> "4-byte length field";
            case "frame-line" -> "newline-ended";
            default -> "echo";
        });
        return String.join("  ", parts);
    }

    /** Whether the short profile runs it: not file (windows of 20 s at least) nor TLS (13 minutes instead of 9). */
    public boolean inShortProfile() {
        return !protocol.equals("file") && !tls();
    }

    /** What the figures count: a request, a frame, or a new connection with its one request. */
    public String unit() {
        return protocol.startsWith("frame") ? "frame" : newConnections() ? "conn" : "req";
    }

    /** Whether the servers speak TLS. */
    public boolean tls() {
        return protocol.startsWith("tls-");
    }

    /** Whether every request goes over a new connection: the figures are per connection. */
    public boolean newConnections() {
        return load.equals("tls-handshake");
    }

    /**
     * The warm-up before this workload's windows: {@code configured} seconds, and at least a
     * minute for a new TLS connection per request. A handshake runs far more of the JDK's provider
     * than a record does, and the C2 compiler, whose threads count in a server's CPU, was still
     * compiling it 10 s in (up to half of either server's CPU per connection); it settles after
     * about 25,000 handshakes, a minute at this machine's rate.
     */
    public int warmupSeconds(int configured) {
        return newConnections() ? Math.max(configured, 60) : configured;
    }
}
