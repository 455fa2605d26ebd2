package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

class SmokeTest {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL"})
    void echoesOneMessageOn(TransportKind kind) throws Exception {
        echo(kind);
    }

    private static void echo(TransportKind kind) throws Exception {
        Engine engine = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        }, "tcp://127.0.0.1:0", Options.builder().transport(kind).build());
        InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().get(0);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("hello".getBytes());
            assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes());
        }
        assertThat(engine.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(engine.isTerminated()).isTrue();
    }
}
