package io.jgnet.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Starting {@link BenchServers} in the test JVM, and sockets to them that cannot hang a test. */
final class TestServers {

    /** Bounds every blocking read: a server that stops answering fails the test instead of hanging it. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private TestServers() {
    }

    /** Every kind, for {@code @MethodSource}. */
    static List<String> kinds() {
        return BenchServers.KINDS;
    }

    /** Starts {@code protocol} on {@code kind} on any free port; aborts the test if the kind cannot run here. */
    static BenchServers.Running start(String protocol, String kind) throws IOException, InterruptedException {
        try {
            return BenchServers.start(protocol, kind, 0);
        } catch (BenchServers.Unavailable e) {
            Assumptions.abort(kind + " cannot run here: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    /** A loopback connection to {@code server} whose reads give up after {@link #READ_TIMEOUT}. */
    static Socket connect(BenchServers.Running server) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Reads exactly {@code n} bytes, failing if the stream ends first. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new IOException("stream ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** Reads a line ending in CRLF, without the CRLF; null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n' && !line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
        }
        if (line.isEmpty()) {
            return null;
        }
        throw new IOException("stream ended inside a line: " + line);
    }
}
