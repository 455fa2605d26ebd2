package io.jgnet.examples.tls;

import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Tls;
import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.HttpServer;
import java.nio.file.Path;
import java.util.List;

/**
 * An HTTPS server: the HTTP example's handler, unchanged, on a plaintext and a TLS listener of
 * the same engine. TLS sits between the socket and the handler, so the handler reads and writes
 * plaintext as before; ALPN tells clients the server speaks HTTP/1.1.
 *
 * <pre>
 *   java ... io.jgnet.examples.tls.HttpsServer fullchain.pem privkey.pem
 *   curl --cacert fullchain.pem https://localhost:8443/plaintext
 * </pre>
 *
 * Without files, {@code ./jgnet http --tls} does the same with a self-signed certificate.
 * Runs until the process is killed.
 */
public final class HttpsServer {
    private HttpsServer() {
    }

    /** Serves http://127.0.0.1:8080 and https://127.0.0.1:8443 with the chain {@code args[0]} and key {@code args[1]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HttpsServer CERT_CHAIN.pem PKCS8_KEY.pem");
            System.exit(2);
        }
        Tls tls = Tls.builder()
                .certificate(Path.of(args[0]), Path.of(args[1]))
                .applicationProtocols("http/1.1")
                .build();
        HttpConfig config = HttpConfig.defaults();
        Options options = HttpServer.options(config, Options.builder().tls(tls).build());
        Jgnet.rotate(HttpServer.handler(config), List.of("tcp://127.0.0.1:8080", "tls://127.0.0.1:8443"), options);
    }
}
