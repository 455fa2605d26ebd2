package io.jgnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jgnet echo --listen tcp://...,udp://...,unix:///...}: the launched echo serves
 * every address at once, echoing streams and datagrams. Runs the launcher's main class in a
 * process of its own, as the script does, and stops it with SIGTERM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListenTest {
    private static final int GUARD_MILLIS = 20_000;
    private static final Pattern LISTENING = Pattern.compile(
            "listening on tcp://127\\.0\\.0\\.1:(\\d+), udp://127\\.0\\.0\\.1:(\\d+), unix://(\\S+) \\(transport");

    @Test
    void echoServesTcpUdpAndUnixAddressesAtOnce(@TempDir Path dir) throws Exception {
        Path socketFile = dir.resolve("echo.sock");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process echo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "echo",
                "--listen", "tcp://127.0.0.1:0, udp://127.0.0.1:0,unix://" + socketFile)
                .redirectErrorStream(true).start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8))) {
            // The transport's choice may be logged first.
            String first = CompletableFuture.supplyAsync(() -> lineWith(output, "listening on"))
                    .get(GUARD_MILLIS, TimeUnit.MILLISECONDS);
            Matcher m = LISTENING.matcher(first);
            assertThat(m.find()).as("the echo says where it listens: %s", first).isTrue();
            int tcpPort = Integer.parseInt(m.group(1));
            int udpPort = Integer.parseInt(m.group(2));
            assertThat(Path.of(m.group(3))).isEqualTo(socketFile);

            try (Socket tcp = new Socket("127.0.0.1", tcpPort)) {
                tcp.setSoTimeout(GUARD_MILLIS);
                tcp.getOutputStream().write("over tcp".getBytes());
                assertThat(new String(tcp.getInputStream().readNBytes(8))).isEqualTo("over tcp");
            }
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                udp.setSoTimeout(GUARD_MILLIS);
                byte[] datagram = "one datagram, echoed whole".getBytes();
                udp.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress("127.0.0.1", udpPort)));
                DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
                udp.receive(reply);
                assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(datagram);
                assertThat(reply.getPort()).isEqualTo(udpPort);
            }
            try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                unix.connect(UnixDomainSocketAddress.of(socketFile));
                unix.write(ByteBuffer.wrap("over a unix socket".getBytes()));
                ByteBuffer reply = ByteBuffer.allocate(18);
                while (reply.hasRemaining() && unix.read(reply) >= 0) {
                    // blocking reads until the whole echo is in
                }
                assertThat(new String(reply.array())).isEqualTo("over a unix socket");
            }

            echo.destroy(); // SIGTERM: the launcher's shutdown hook stops the engine gracefully
            assertThat(echo.waitFor(GUARD_MILLIS, TimeUnit.MILLISECONDS)).as("echo exits on SIGTERM").isTrue();
        } finally {
            if (echo.isAlive()) {
                echo.destroyForcibly();
            }
        }
    }

    @Test
    void aListenValueWithoutSchemeIsAUsageError() throws Exception {
        var err = new java.io.ByteArrayOutputStream();
        int code = Main.run(List.of("echo", "--listen", "tcp://127.0.0.1:0,127.0.0.1:9"),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("bad value for --listen: '127.0.0.1:9'");
    }

    /** The first line containing {@code text}, or what was read when the output ended without one. */
    private static String lineWith(BufferedReader reader, String text) {
        StringBuilder seen = new StringBuilder();
        try {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.contains(text)) {
                    return line;
                }
                seen.append(line).append('\n');
            }
        } catch (IOException e) {
            seen.append(e);
        }
        return seen.toString();
    }
}
