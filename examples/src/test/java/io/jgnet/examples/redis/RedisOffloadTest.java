package io.jgnet.examples.redis;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Options;
import io.jgnet.TransportKind;
import io.jgnet.examples.PeerTools;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DEBUG SLEEP runs off the loop ({@link io.jgnet.Conn#offload}); pipelined replies around it
 * still come back in request order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisOffloadTest {

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"NIO", "EPOLL", "IO_URING"})
    void pipelinedSleepsAmongFastCommandsAreAnsweredInRequestOrder(TransportKind transport) throws Exception {
        Random random = new Random(14);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        // A long sleep first: everything after it is done before it, yet must wait for it.
        requests.writeBytes(RedisRawProtocolTest.command("DEBUG", "SLEEP", "0.2"));
        replies.writeBytes(ascii("+OK\r\n"));
        long counter = 1;
        for (int i = 1; i <= 500; i++) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    requests.writeBytes(RedisRawProtocolTest.command("DEBUG", "SLEEP", "0.00" + random.nextInt(5)));
                    replies.writeBytes(ascii("+OK\r\n"));
                }
                case 1 -> {
                    requests.writeBytes(RedisRawProtocolTest.command("ECHO", "m" + i));
                    replies.writeBytes(ascii("$" + ("m" + i).length() + "\r\nm" + i + "\r\n"));
                }
                default -> {
                    requests.writeBytes(RedisRawProtocolTest.command("INCR", "n"));
                    replies.writeBytes(ascii(":" + counter++ + "\r\n"));
                }
            }
        }
        requests.writeBytes(RedisRawProtocolTest.command("QUIT"));
        replies.writeBytes(ascii("+OK\r\n"));
        Options base = Options.builder().loops(2).transport(transport).offload(o -> o.maxPending(16)).build();
        try (TestRedis redis = TestRedis.start(TestRedis.config(RedisConfig.defaults()), base);
                Socket socket = new Socket(redis.address().getAddress(), redis.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            byte[] all = requests.toByteArray();
            // In random pieces, so that some commands arrive while sleeps are outstanding and
            // reading pauses at 16 of them.
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, 1 + random.nextInt(400));
                out.write(all, at, n);
                at += n;
            }
            InputStream in = socket.getInputStream();
            byte[] expected = replies.toByteArray();
            assertThat(new String(in.readNBytes(expected.length), ISO_8859_1)).isEqualTo(new String(expected, ISO_8859_1));
            assertThat(in.read()).as("QUIT closed the connection after the replies").isEqualTo(-1);
        }
    }

    @Test
    void redisCliSleepsAndIsToldWhatIsWrong() throws Exception {
        Path cli = PeerTools.require("redis-cli", "redis-tools");
        try (TestRedis redis = TestRedis.start()) {
            String port = Integer.toString(redis.port());
            assertThat(run(cli, port, "DEBUG", "SLEEP", "0.05")).isEqualTo("OK");
            assertThat(run(cli, port, "DEBUG", "SLEEP", "soon")).isEqualTo("ERR value is not a valid float");
            assertThat(run(cli, port, "DEBUG", "SEGFAULT")).startsWith("ERR DEBUG subcommand must be SLEEP");
        }
    }

    private static String run(Path cli, String port, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p", port));
        command.addAll(List.of(args));
        PeerTools.Result result = PeerTools.run(Duration.ofSeconds(30), command);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().stripTrailing();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(ISO_8859_1);
    }
}
