package io.jgnet.bench;

import com.sun.management.ThreadMXBean;
import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

/**
 * Bytes allocated on jgnet's loop thread per message in steady state, read from the JVM's
 * per-thread allocation counter (com.sun.management.ThreadMXBean) around a run of many
 * messages after a warm-up long enough for the JIT. Workloads: 64-byte echo, one message in
 * flight, and pipelined request/response (16 messages written at once, 16 echoes read).
 *
 * <p>Each transport is measured in a JVM of its own (the command runs one per transport): a JVM
 * that has run both has call sites the JIT sees as polymorphic, which is not what a server runs.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar io.jgnet.bench.LoopAllocation [nio|epoll]}
 */
public final class LoopAllocation {
    private static final int SIZE = 64;
    private static final int WARMUP = 300_000;
    private static final int MEASURED = 300_000;

    private LoopAllocation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("transport  workload       loop-thread bytes/message");
            for (String transport : new String[]{"nio", "epoll"}) {
                Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        LoopAllocation.class.getName(), transport).inheritIO().start();
                if (child.waitFor() != 0) {
                    throw new IllegalStateException("measuring " + transport + " failed");
                }
            }
            return;
        }
        for (TransportKind transport : new TransportKind[]{TransportKind.parse(args[0])}) {
            for (int pipeline : new int[]{1, 16}) {
                double perMessage = measure(transport, pipeline);
                System.out.printf(Locale.ROOT, "%-10s %-14s %.3f%n", transport.name().toLowerCase(Locale.ROOT),
                        pipeline == 1 ? "echo" : "pipelined x" + pipeline, perMessage);
            }
        }
    }

    private static double measure(TransportKind transport, int pipeline) throws Exception {
        Engine engine = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        }, "tcp://127.0.0.1:0", Options.builder().transport(transport).loops(1).build());
        try {
            Thread loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jgnet-loop-0")).findFirst().orElseThrow();
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.setTcpNoDelay(true);
                run(socket, WARMUP, pipeline);
                long before = threads.getThreadAllocatedBytes(loop.threadId());
                run(socket, MEASURED, pipeline);
                long after = threads.getThreadAllocatedBytes(loop.threadId());
                return (after - before) / (double) MEASURED;
            }
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    private static void run(Socket socket, int messages, int pipeline) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] batch = new byte[SIZE * pipeline];
        for (int sent = 0; sent < messages; sent += pipeline) {
            out.write(batch);
            if (in.readNBytes(batch, 0, batch.length) != batch.length) {
                throw new IOException("the server closed the connection");
            }
        }
    }
}
