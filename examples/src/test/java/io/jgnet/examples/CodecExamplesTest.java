package io.jgnet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat and RPC echo examples, driven over real sockets on two loops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CodecExamplesTest {
    private Engine engine;

    private InetSocketAddress serve(EventHandler handler) throws Exception {
        engine = Jgnet.start(handler, "tcp://127.0.0.1:0", Options.builder().loops(2).build());
        return (InetSocketAddress) engine.listenAddresses().getFirst();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void chatRelaysALineToTheOtherMemberUnderItsNickname() throws Exception {
        InetSocketAddress address = serve(new ChatServer());
        try (Socket alice = new Socket(address.getAddress(), address.getPort());
             Socket bob = new Socket(address.getAddress(), address.getPort())) {
            BufferedReader aliceIn = reader(alice);
            BufferedReader bobIn = reader(bob);
            assertThat(aliceIn.readLine()).startsWith("welcome, guest-");
            assertThat(bobIn.readLine()).startsWith("welcome, guest-");
            // Bob's /who answer proves both joined before Alice speaks.
            send(bob, "/who");
            assertThat(bobIn.readLine()).startsWith("online:").matches("online: guest-\\S+ guest-\\S+");
            send(alice, "/nick alice");
            assertThat(bobIn.readLine()).endsWith(" is now alice");
            send(alice, "hello, bob\r");
            assertThat(bobIn.readLine()).isEqualTo("alice: hello, bob");
            send(alice, "/quit");
            assertThat(aliceIn.readLine()).isEqualTo("bye");
            assertThat(aliceIn.readLine()).as("alice's connection is closed").isNull();
            assertThat(bobIn.readLine()).isEqualTo("alice left");
        }
    }

    @Test
    void chatRelaysALineOfTheLongestLengthCutToWhatTheCodecSends() throws Exception {
        InetSocketAddress address = serve(new ChatServer());
        try (Socket alice = new Socket(address.getAddress(), address.getPort());
             Socket bob = new Socket(address.getAddress(), address.getPort())) {
            BufferedReader aliceIn = reader(alice);
            BufferedReader bobIn = reader(bob);
            aliceIn.readLine();
            bobIn.readLine();
            send(bob, "/who"); // both joined before Alice speaks
            bobIn.readLine();
            send(alice, "/nick alice");
            assertThat(bobIn.readLine()).endsWith(" is now alice");
            send(alice, "z".repeat(ChatServer.MAX_LINE));
            assertThat(bobIn.readLine()).hasSize(ChatServer.MAX_LINE).startsWith("alice: zzz");
            // The member that relayed it is still served: nothing failed on its loop.
            send(alice, "still here");
            assertThat(bobIn.readLine()).isEqualTo("alice: still here");
        }
    }

    @Test
    void chatCutsBetweenCharactersNotInsideOne() {
        String text = "a".repeat(ChatServer.MAX_LINE - 1) + "\u00e9\u00e9"; // é is two bytes in UTF-8
        byte[] cut = ChatServer.relayable(text);
        assertThat(cut).hasSize(ChatServer.MAX_LINE - 1);
        assertThat(new String(cut, StandardCharsets.UTF_8)).isEqualTo("a".repeat(ChatServer.MAX_LINE - 1));
    }

    @Test
    void chatClosesOnlyTheClientWhoseLineIsTooLong() throws Exception {
        InetSocketAddress address = serve(new ChatServer());
        try (Socket flooder = new Socket(address.getAddress(), address.getPort());
             Socket polite = new Socket(address.getAddress(), address.getPort())) {
            BufferedReader flooderIn = reader(flooder);
            BufferedReader politeIn = reader(polite);
            flooderIn.readLine();
            politeIn.readLine();
            OutputStream out = flooder.getOutputStream();
            out.write("z".repeat(ChatServer.MAX_LINE + 10).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(flooderIn.readLine()).as("the flooder is disconnected").isNull();
            assertThat(politeIn.readLine()).endsWith(" left");
            send(polite, "/who");
            assertThat(politeIn.readLine()).matches("online: guest-\\S+");
        }
    }

    @Test
    void rpcEchoAnswersPipelinedRequestsInOrder() throws Exception {
        InetSocketAddress address = serve(new RpcEchoServer());
        Random random = new Random(3);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[][] bodies = new byte[20][];
            for (int i = 0; i < bodies.length; i++) {
                bodies[i] = new byte[random.nextInt(100_000)];
                random.nextBytes(bodies[i]);
                out.writeInt(bodies[i].length);
                out.write(bodies[i]);
            }
            out.flush();
            for (byte[] body : bodies) {
                assertThat(in.readInt()).isEqualTo(body.length);
                assertThat(in.readNBytes(body.length)).isEqualTo(body);
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
