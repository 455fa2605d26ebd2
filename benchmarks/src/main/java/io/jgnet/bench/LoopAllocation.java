package io.jgnet.bench;

import com.sun.management.ThreadMXBean;
import io.jgnet.Engine;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.bench.servers.JgnetServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Bytes allocated on jgnet's loop thread per message in steady state, read from the JVM's
 * per-thread allocation counter (com.sun.management.ThreadMXBean) around a run of many
 * messages after a warm-up long enough for the JIT. Workloads, 64-byte messages: echo with one
 * message in flight; pipelined request/response (16 messages written at once, 16 echoes read);
 * and the same pipelined load framed by a {@link FrameHandler} that echoes each frame with
 * {@code send}, over the line codec and the length-field codec (4-byte header): the handlers the
 * matrix's jgnet servers run ({@link JgnetServers#echo}); and echo again with idle, read and write
 * timeouts on, whose clocks every read and send restart (0 B there: re-arming allocates nothing).
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
    /** Long enough that no timeout expires in a run. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** What the server does with each message, and the bytes of one message. */
    private enum Workload {
        ECHO("echo", 1), PIPELINED("echo", 16), LINE("frame-line", 16), LENGTH_FIELD("frame-length", 16),
        ECHO_TIMEOUTS("echo", 1);

        /** The matrix's protocol whose jgnet handler serves this workload. */
        final String protocol;
        final int pipeline;

        Workload(String protocol, int pipeline) {
            this.protocol = protocol;
            this.pipeline = pipeline;
        }

        String label() {
            return switch (this) {
                case ECHO -> "echo";
                case PIPELINED -> "pipelined x16";
                case LINE -> "line x16";
                case LENGTH_FIELD -> "length x16";
                case ECHO_TIMEOUTS -> "echo+timeouts";
            };
        }

        /** One message as the client sends it, framed as the server's codec expects. */
        byte[] message() {
            byte[] message = new byte[SIZE];
            Arrays.fill(message, (byte) 'x');
            if (this == LINE) {
                message[SIZE - 1] = '\n';
            } else if (this == LENGTH_FIELD) {
                ByteBuffer.wrap(message).putInt(SIZE - Integer.BYTES);
            }
            return message;
        }
    }

    private LoopAllocation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("transport  workload       loop-thread bytes/message");
            for (String transport : new String[]{"nio", "epoll", "io_uring"}) {
                Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        LoopAllocation.class.getName(), transport).inheritIO().start();
                if (child.waitFor() != 0) {
                    throw new IllegalStateException("measuring " + transport + " failed");
                }
            }
            return;
        }
        TransportKind transport = TransportKind.parse(args[0]);
        for (Workload workload : Workload.values()) {
            double perMessage = measure(transport, workload);
            System.out.printf(Locale.ROOT, "%-10s %-14s %.3f%n", transport.name().toLowerCase(Locale.ROOT),
                    workload.label(), perMessage);
        }
    }

    private static double measure(TransportKind transport, Workload workload) throws Exception {
        Options.Builder options = Options.builder().transport(transport).loops(1);
        if (workload == Workload.ECHO_TIMEOUTS) {
            options.timeouts(t -> t.idle(TIMEOUT).read(TIMEOUT).write(TIMEOUT));
        }
        Engine engine = Jgnet.start(JgnetServers.echo(workload.protocol), "tcp://127.0.0.1:0", options.build());
        try {
            Thread loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jgnet-loop-0")).findFirst().orElseThrow();
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                socket.setTcpNoDelay(true);
                byte[] batch = batch(workload);
                run(socket, WARMUP, workload.pipeline, batch);
                long before = threads.getThreadAllocatedBytes(loop.threadId());
                run(socket, MEASURED, workload.pipeline, batch);
                long after = threads.getThreadAllocatedBytes(loop.threadId());
                return (after - before) / (double) MEASURED;
            }
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    private static byte[] batch(Workload workload) {
        byte[] message = workload.message();
        byte[] batch = new byte[SIZE * workload.pipeline];
        for (int i = 0; i < workload.pipeline; i++) {
            System.arraycopy(message, 0, batch, i * SIZE, SIZE);
        }
        return batch;
    }

    private static void run(Socket socket, int messages, int pipeline, byte[] batch) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] echoed = new byte[batch.length];
        for (int sent = 0; sent < messages; sent += pipeline) {
            out.write(batch);
            if (in.readNBytes(echoed, 0, echoed.length) != echoed.length) {
                throw new IOException("the server closed the connection");
            }
        }
        if (!Arrays.equals(batch, echoed)) {
            throw new IOException("the server's echo differs from what was sent");
        }
    }
}
