package io.jgnet.examples.http;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** The example HTTP server on 127.0.0.1 and a free port, on two loops; stopped by {@link #close}. */
final class HttpTestServer implements AutoCloseable {
    private final Engine engine;
    private final int port;

    private HttpTestServer(Engine engine) {
        this.engine = engine;
        this.port = ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort();
    }

    static HttpTestServer start() throws IOException {
        return start(HttpConfig.defaults(), TransportKind.AUTO);
    }

    static HttpTestServer start(HttpConfig config, TransportKind transport) throws IOException {
        return start(config, Options.builder().loops(2).transport(transport).build());
    }

    /** Serves with {@code base} as completed by {@link HttpServer#options}. */
    static HttpTestServer start(HttpConfig config, Options base) throws IOException {
        Options options = HttpServer.options(config, base);
        return new HttpTestServer(Jgnet.start(HttpServer.handler(config), "tcp://127.0.0.1:0", options));
    }

    /** Serves the files under {@code root} too, on every transport kind asked for. */
    static HttpTestServer serving(java.nio.file.Path root, TransportKind transport) throws IOException {
        HttpConfig config = HttpConfig.defaults();
        Options options = HttpServer.options(config, Options.builder().loops(2).transport(transport).build());
        return new HttpTestServer(Jgnet.start(HttpServer.handler(config, root), "tcp://127.0.0.1:0", options));
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String transport() {
        return engine.transport();
    }

    @Override
    public void close() {
        try {
            engine.stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the server", e);
        }
    }
}
