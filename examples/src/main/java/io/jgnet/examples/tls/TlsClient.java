package io.jgnet.examples.tls;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.TlsSession;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TLS client: dials {@code tls://host:443}, sends one HTTP/1.1 request, prints what the
 * handshake agreed and the answer, and stops when the server closes. The server's certificate is
 * checked against the JDK's trust store and the host name, as a browser would.
 *
 * <pre>
 *   java ... io.jgnet.examples.tls.TlsClient example.com
 * </pre>
 *
 * The handler writes its request in onOpen: it waits, as plaintext, until the handshake is done.
 */
public final class TlsClient implements EventHandler {
    private final String host;
    private final CountDownLatch done = new CountDownLatch(1);
    private boolean printedSession;

    TlsClient(String host) {
        this.host = host;
    }

    @Override
    public Action onOpen(Conn conn) {
        conn.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return Action.NONE;
    }

    @Override
    public Action onTraffic(Conn conn) {
        if (!printedSession) {
            TlsSession tls = conn.tls();
            System.out.println("# " + tls.protocol() + ", " + tls.cipherSuite() + ", ALPN " + tls.applicationProtocol());
            printedSession = true;
        }
        ByteBuffer answer = conn.next(-1);
        System.out.print(StandardCharsets.UTF_8.decode(answer));
        return Action.NONE;
    }

    @Override
    public Action onClose(Conn conn, Throwable cause) {
        if (cause != null) {
            System.err.println("# closed: " + cause);
        }
        done.countDown();
        return Action.NONE;
    }

    /** Fetches https://{@code args[0]}/ (default example.com). */
    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "example.com";
        TlsClient client = new TlsClient(host);
        Tls tls = Tls.builder().applicationProtocols("http/1.1").build(); // the JDK's trust store
        Engine engine = Jgnet.client(client, Options.builder().tls(tls).build());
        engine.dial("tls://" + host + ":443");
        client.done.await(30, TimeUnit.SECONDS);
        engine.stop(Duration.ofSeconds(5));
    }
}
