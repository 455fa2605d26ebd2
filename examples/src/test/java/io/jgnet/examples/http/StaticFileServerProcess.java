package io.jgnet.examples.http;

import io.jgnet.Engine;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The HTTP example serving {@code args[0]} in a process of its own, so that a test can read its
 * resident memory alone: prints its port, then serves until stdin closes (the test's end).
 */
final class StaticFileServerProcess {
    private StaticFileServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        HttpConfig config = HttpConfig.defaults();
        Engine engine = Jgnet.start(HttpServer.handler(config, Path.of(args[0])), "tcp://127.0.0.1:0",
                HttpServer.options(config, Options.defaults()));
        System.out.println("port " + ((InetSocketAddress) engine.listenAddresses().getFirst()).getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Served until the parent closes our stdin or goes away.
        }
        engine.stop(java.time.Duration.ofSeconds(5));
    }
}
