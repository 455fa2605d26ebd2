package io.jgnet.examples.tls;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.TlsSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * TLS with ALPN: one port, two protocols agreed in the handshake. A client that asks for
 * {@code shout} gets its bytes back upper-cased, one that asks for {@code echo} (or for no
 * protocol) gets them back as sent; a client offering neither fails its handshake. The choice is
 * read from {@link Conn#tls()}, settled by the first onTraffic.
 *
 * <pre>
 *   java ... io.jgnet.examples.tls.AlpnEchoServer cert.pem key.pem
 *   openssl s_client -connect 127.0.0.1:9443 -alpn shout -quiet
 * </pre>
 *
 * Stateless handler: one instance serves every loop.
 */
public final class AlpnEchoServer implements EventHandler {

    @Override
    public Action onTraffic(Conn conn) {
        TlsSession tls = conn.tls();
        byte[] bytes = new byte[conn.inboundBuffered()];
        conn.read(java.nio.ByteBuffer.wrap(bytes));
        if ("shout".equals(tls.applicationProtocol())) {
            bytes = new String(bytes, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        }
        conn.write(bytes);
        return Action.NONE;
    }

    /** Serves tls://127.0.0.1:9443 with the chain {@code args[0]} and key {@code args[1]}. */
    public static void main(String[] args) throws Exception {
        Tls tls = Tls.builder()
                .certificate(Path.of(args[0]), Path.of(args[1]))
                .applicationProtocols("shout", "echo")
                .build();
        Jgnet.run(new AlpnEchoServer(), "tls://127.0.0.1:9443", Options.builder().tls(tls).build());
    }
}
