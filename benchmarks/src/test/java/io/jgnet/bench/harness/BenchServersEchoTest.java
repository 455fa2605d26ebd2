package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo servers of every kind send back exactly what they receive. */
class BenchServersEchoTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void echoesEveryByteBackInOrder(String kind) throws Exception {
        Random random = new Random(42);
        try (BenchServers.Running server = TestServers.start("echo", kind);
             Socket a = TestServers.connect(server);
             Socket b = TestServers.connect(server)) {
            for (int size : new int[] {1, 64, 4096, 256 * 1024}) {
                for (Socket socket : new Socket[] {a, b}) {
                    byte[] sent = new byte[size];
                    random.nextBytes(sent);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    // 256 KiB exceeds the socket buffers: write on a thread so the echo can flow back meanwhile.
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            out.write(sent);
                            out.flush();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    byte[] received = TestServers.readExactly(in, size);
                    writer.join();
                    assertThat(received).as("%d bytes echoed by %s", size, kind).isEqualTo(sent);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.jgnet.bench.harness.TestServers#kinds")
    void runsOnOneEventLoopThreadThatReportsItsAllocation(String kind) throws Exception {
        try (BenchServers.Running server = TestServers.start("echo", kind);
             Socket socket = TestServers.connect(server)) {
            socket.getOutputStream().write(new byte[64]);
            TestServers.readExactly(socket.getInputStream(), 64);
            assertThat(server.ioThreads()).hasSize(1);
            assertThat(server.ioThreads().getFirst().isAlive()).isTrue();
            String alloc = BenchServers.answer("ALLOC", server);
            assertThat(alloc).matches("ALLOC bytes=\\d+ threads=1");
            assertThat(Long.parseLong(alloc.replaceAll("ALLOC bytes=(\\d+).*", "$1"))).isPositive();
        }
    }
}
