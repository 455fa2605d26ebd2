package io.jgnet.bench;

import com.sun.management.ThreadMXBean;
import io.jgnet.Engine;
import io.jgnet.FrameHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.bench.servers.BenchTls;
import io.jgnet.bench.servers.JgnetServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * Bytes allocated on jgnet's loop thread per 64-byte message in steady state, from the JVM's
 * per-thread allocation counter around many messages after a warm-up long enough for the JIT.
 * Workloads: echo with one message in flight; pipelined echo (16 written at once, 16 read); the
 * same pipelined load through a {@link FrameHandler} echoing each frame with {@code send}, over the
 * line codec and the length-field codec (the matrix's jgnet handlers, {@link JgnetServers#echo});
 * echo with idle, read and write timeouts on, whose clocks every read and send restart; echo over
 * TLS, printed with what the JDK's SSLEngine alone allocates for the same records
 * ({@link TlsRecordFloor}); and a UDP
 * listener's echo to one peer (its sender decoded through the loop's cache, its reply sent from
 * memory reused per send).
 * Each transport runs in a JVM of its own: one that has run both sees polymorphic call sites,
 * which a server does not. Runs on the main thread.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar io.jgnet.bench.LoopAllocation [nio|epoll|io_uring]}
 */
public final class LoopAllocation {
    private static final int SIZE = 64;
    private static final int WARMUP = 300_000;
    private static final int MEASURED = 300_000;
    /** Long enough that no timeout expires in a run. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** What the server does with each message: the matrix's protocol whose jgnet handler serves it. */
    record Workload(String label, String protocol, int pipeline, boolean timeouts, boolean tls) {
        Workload(String label, String protocol, int pipeline, boolean timeouts) {
            this(label, protocol, pipeline, timeouts, false);
        }
    }

    /** A 64 B echo over TLS 1.3 (the bench's certificate and suite), one in flight; read against {@link TlsRecordFloor}. */
    static final Workload TLS_ECHO = new Workload("tls echo", "echo", 1, false, true);

    private static final List<Workload> WORKLOADS = List.of(new Workload("echo", "echo", 1, false),
            new Workload("pipelined x16", "echo", 16, false), new Workload("line x16", "frame-line", 16, false),
            new Workload("length x16", "frame-length", 16, false), new Workload("echo+timeouts", "echo", 1, true),
            TLS_ECHO);

    private LoopAllocation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("transport  workload       loop-thread bytes/message");
            for (String transport : List.of("nio", "epoll", "io_uring")) {
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
        for (Workload workload : WORKLOADS) {
            System.out.printf(Locale.ROOT, "%-10s %-14s %.3f%n", transport.name().toLowerCase(Locale.ROOT), workload.label(),
                    measure(transport, workload, WARMUP, MEASURED));
        }
        TlsRecordFloor.Bytes floor = new TlsRecordFloor(SIZE).measure(WARMUP + MEASURED, MEASURED);
        System.out.printf(Locale.ROOT, "%-10s %-14s %.3f (the JDK's SSLEngine alone: wrap %.0f + unwrap %.0f)%n",
                transport.name().toLowerCase(Locale.ROOT), "tls floor", floor.total(), floor.wrap(), floor.unwrap());
        System.out.printf(Locale.ROOT, "%-10s %-14s %.3f%n", transport.name().toLowerCase(Locale.ROOT), "udp echo",
                measureUdp(transport));
    }

    private static Thread loopThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jgnet-loop-0")).findFirst().orElseThrow();
    }

    /** A UDP listener echoing each datagram to its one peer, one datagram in flight. */
    private static double measureUdp(TransportKind transport) throws Exception {
        Engine engine = Jgnet.start(JgnetServers.echo("echo"), "udp://127.0.0.1:0",
                Options.builder().transport(transport).loops(1).build());
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(10_000);
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long loop = loopThread().threadId();
            long before = 0;
            DatagramPacket out = new DatagramPacket(new byte[SIZE], SIZE, engine.listenAddresses().getFirst());
            DatagramPacket in = new DatagramPacket(new byte[SIZE], SIZE);
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                if (i == WARMUP) {
                    before = threads.getThreadAllocatedBytes(loop);
                }
                peer.send(out);
                peer.receive(in);
            }
            return (threads.getThreadAllocatedBytes(loop) - before) / (double) MEASURED;
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    /** Loop-thread bytes per message of {@code workload}, over {@code measured} messages after {@code warmup}. */
    static double measure(TransportKind transport, Workload workload, int warmup, int measured) throws Exception {
        Options.Builder options = Options.builder().transport(transport).loops(1);
        if (workload.timeouts()) {
            options.timeouts(t -> t.idle(TIMEOUT).read(TIMEOUT).write(TIMEOUT));
        }
        if (workload.tls()) {
            options.tls(BenchTls.jgnet());
        }
        Engine engine = Jgnet.start(JgnetServers.echo(workload.protocol()), (workload.tls() ? "tls" : "tcp") + "://127.0.0.1:0",
                options.build());
        try {
            Thread loop = loopThread();
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().getFirst();
            try (Socket socket = connect(address, workload.tls())) {
                byte[] batch = batch(workload);
                run(socket, warmup, workload.pipeline(), batch);
                long before = threads.getThreadAllocatedBytes(loop.threadId());
                run(socket, measured, workload.pipeline(), batch);
                return (threads.getThreadAllocatedBytes(loop.threadId()) - before) / (double) measured;
            }
        } finally {
            engine.stop(Duration.ofSeconds(5));
        }
    }

    /** A client socket with TCP_NODELAY; over TLS, the load's protocol and suite (its handshake done before it returns). */
    private static Socket connect(InetSocketAddress address, boolean tls) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setTcpNoDelay(true);
        if (!tls) {
            return socket;
        }
        SSLSocket secure = (SSLSocket) BenchTls.clientContext().getSocketFactory()
                .createSocket(socket, address.getHostString(), address.getPort(), true);
        secure.setEnabledProtocols(new String[] {BenchTls.PROTOCOL});
        secure.setEnabledCipherSuites(new String[] {BenchTls.CIPHER_SUITE});
        secure.startHandshake();
        return secure;
    }

    /** {@code pipeline} messages as the client sends them, each framed as the server's codec expects. */
    private static byte[] batch(Workload workload) {
        byte[] batch = new byte[SIZE * workload.pipeline()];
        Arrays.fill(batch, (byte) 'x');
        for (int at = 0; at < batch.length; at += SIZE) {
            switch (workload.protocol()) {
                case "frame-line" -> batch[at + SIZE - 1] = '\n';
                case "frame-length" -> ByteBuffer.wrap(batch, at, SIZE).putInt(SIZE - Integer.BYTES);
                default -> { }
            }
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
