package io.jgnet.bench;

import io.jgnet.Tls;
import io.jgnet.bench.process.Machine;
import io.jgnet.bench.servers.BenchTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * The SSLEngine's own share of a TLS connection, without sockets or event loops, configured as
 * in the matrix's tls-idle workload: server engines made from the matrix's jgnet {@link Tls}
 * ({@link BenchTls#jgnet()}) as jgnet's loop makes them (TlsEngines: only the settings that
 * differ from the engine's defaults), from the matrix's Netty SslContext
 * ({@link BenchTls#netty()}), and bare (the JDK's defaults, nothing set: the least any
 * SSLEngine-based server can hold), each handshaking in memory with a client made as the load
 * makes it ({@link BenchTls#client}: TLS 1.3, one suite, no SNI), then echoing one byte. For
 * each: the server's CPU per full handshake (server-side calls only, rounds alternated, median)
 * and the heap retained per engine kept after its handshake, the floor under any
 * SSLEngine-based server's idle TLS connection, with the classes that make it up. Runs on the
 * main thread.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.TlsEngineFloor [engines] [rounds] [handshakes per round]}
 */
public final class TlsEngineFloor {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final SSLContext clientContext = BenchTls.clientContext();
    /** CPU the server-side calls took, summed until reset. */
    private long serverNanos;

    private TlsEngineFloor() throws Exception {
    }

    public static void main(String[] args) throws Exception {
        int engines = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        KeyManagerFactory factory = BenchTls.keyManagers();
        SSLContext bare = SSLContext.getInstance("TLS");
        bare.init(factory.getKeyManagers(), null, null);
        Tls tls = BenchTls.jgnet();
        SslContext netty = BenchTls.netty();
        Supplier<SSLEngine> jgnetEngines = jgnetEngines(tls);
        Map<String, Supplier<SSLEngine>> kinds = new LinkedHashMap<>();
        kinds.put("jdk-bare", () -> server(bare.createSSLEngine()));
        kinds.put("jgnet", jgnetEngines);
        kinds.put("netty", () -> netty.newEngine(ByteBufAllocator.DEFAULT));

        TlsEngineFloor floor = new TlsEngineFloor();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            for (var kind : kinds.entrySet()) {
                double micros = floor.handshakeCpu(kind.getValue(), perRound);
                if (round > 0) { // round 0 warms up
                    cpu.computeIfAbsent(kind.getKey(), k -> new ArrayList<>()).add(micros);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %18s %20s%n", "server", "cpu us/handshake", "retained B/engine");
        Map<String, String> histograms = new LinkedHashMap<>();
        for (var kind : kinds.entrySet()) {
            Map<String, long[]> before = classes();
            List<SSLEngine> held = new ArrayList<>(engines);
            for (int i = 0; i < engines; i++) {
                held.add(floor.handshake(kind.getValue().get()));
            }
            Map<String, long[]> after = classes();
            histograms.put(kind.getKey(), grown(before, after, engines));
            System.out.printf(Locale.ROOT, "%-10s %18.0f %20d%n", kind.getKey(),
                    cpu.get(kind.getKey()).stream().sorted().toList().get(rounds / 2),
                    (after.get("Total")[1] - before.get("Total")[1]) / engines);
            held.clear();
        }
        System.out.println("(median of " + rounds + " rounds of " + perRound + " in-memory TLS 1.3 handshakes each, server-side"
                + " calls only; retained: live heap (a full GC's class histogram) grown with " + engines
                + " post-handshake server engines held)");
        histograms.forEach((kind, lines) -> System.out.print("\n--- " + kind + ": per engine held, instances and bytes of the"
                + " classes that grew\n" + lines));
    }

    /** {@code engine} in server mode, with nothing else set. */
    private static SSLEngine server(SSLEngine engine) {
        engine.setUseClientMode(false);
        return engine;
    }

    /**
     * Server engines of {@code tls} made by core's own TlsEngines, as jgnet's loop makes them.
     * Core exports only its API package; on the class path the benchmarks run on, its engine
     * package is still reachable reflectively, which spares the floor a copy of that set-up
     * that could drift from what the servers do.
     */
    private static Supplier<SSLEngine> jgnetEngines(Tls tls) throws ReflectiveOperationException {
        Class<?> type = Class.forName("io.jgnet.engine.TlsEngines");
        Constructor<?> make = type.getDeclaredConstructor();
        make.setAccessible(true);
        Method server = type.getDeclaredMethod("server", Tls.class);
        server.setAccessible(true);
        Object engines = make.newInstance();
        return () -> {
            try {
                return (SSLEngine) server.invoke(engines, tls);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("core's TlsEngines.server failed", e);
            }
        };
    }

    private double handshakeCpu(Supplier<SSLEngine> servers, int count) throws IOException {
        serverNanos = 0;
        for (int i = 0; i < count; i++) {
            long start = threads.getCurrentThreadCpuTime();
            SSLEngine server = servers.get();
            serverNanos += threads.getCurrentThreadCpuTime() - start;
            handshake(server);
        }
        return serverNanos / 1000.0 / count;
    }

    /** Handshakes {@code server} with a fresh JDK client in memory; returns it, post-handshake. */
    private SSLEngine handshake(SSLEngine server) throws IOException {
        SSLEngine client = BenchTls.client(clientContext);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer scratch = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        long start = threads.getCurrentThreadCpuTime();
        server.beginHandshake();
        serverNanos += threads.getCurrentThreadCpuTime() - start;
        for (int i = 0; i < 100; i++) {
            boolean moved = step(client, toServer, toClient, scratch);
            start = threads.getCurrentThreadCpuTime();
            moved |= step(server, toClient, toServer, scratch);
            serverNanos += threads.getCurrentThreadCpuTime() - start;
            if (!moved && client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                client.getSession().invalidate(); // no resumption next time: a full handshake each
                echoOneByte(client, server, toServer, toClient, scratch);
                return server;
            }
        }
        throw new IOException("the in-memory handshake did not finish");
    }

    /**
     * One byte each way after the handshake, untimed, as the idle workload's load echoes one
     * byte per connection: an engine that has never encrypted or decrypted a record still holds
     * its ciphers' provider look-up (Cipher$Transform lists, service iterators: ~600 B more),
     * which an idle connection of a server has long dropped.
     */
    private static void echoOneByte(SSLEngine client, SSLEngine server, ByteBuffer toServer, ByteBuffer toClient,
            ByteBuffer scratch) throws IOException {
        toServer.clear();
        client.wrap(ByteBuffer.wrap(new byte[] {1}), toServer);
        toServer.flip();
        scratch.clear();
        server.unwrap(toServer, scratch);
        toClient.clear();
        server.wrap(ByteBuffer.wrap(new byte[] {1}), toClient);
        toClient.flip();
        scratch.clear();
        client.unwrap(toClient, scratch);
        if (scratch.position() != 1 || server.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
            throw new IOException("the byte echoed after the handshake did not come back");
        }
        toServer.clear();
        toClient.clear();
    }

    /** Runs tasks, wraps what {@code engine} owes into {@code out}, unwraps what is in {@code in}; true if anything moved. */
    static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer scratch) throws IOException {
        boolean moved = runTasks(engine);
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && engine.wrap(EMPTY, out).bytesProduced() > 0) {
            moved = true;
        }
        if (in.position() > 0) {
            in.flip();
            while (in.hasRemaining()) {
                scratch.clear();
                if (engine.unwrap(in, scratch).bytesConsumed() == 0) {
                    break;
                }
                moved = true;
                runTasks(engine);
            }
            in.compact();
        }
        return moved;
    }

    private static boolean runTasks(SSLEngine engine) {
        boolean ran = false;
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ran = true) {
            task.run();
        }
        return ran;
    }

    /** The live heap by class after a full GC (jcmd GC.class_histogram): name to {instances, bytes}, and "Total". */
    private static Map<String, long[]> classes() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return Machine.classHistogram(text);
    }

    /** The classes that grew, largest first, per engine held: "instances bytes class" lines. */
    private static String grown(Map<String, long[]> before, Map<String, long[]> after, int engines) {
        return after.entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .map(e -> {
                    long[] b = before.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .filter(e -> e.getValue()[1] >= engines * 8L)
                .sorted(Comparator.comparingLong(e -> -e.getValue()[1]))
                .map(e -> String.format(Locale.ROOT, "%8.2f %8.1f  %s%n", e.getValue()[0] / (double) engines,
                        e.getValue()[1] / (double) engines, e.getKey()))
                .collect(Collectors.joining());
    }
}
