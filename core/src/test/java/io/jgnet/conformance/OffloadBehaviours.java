package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Options;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Blocking work offloaded with {@link Conn#offload}: replies stay in request order on real sockets. */
interface OffloadBehaviours extends Harness {

    /** Opens a client connection to a server under test. */
    @FunctionalInterface
    interface Connector {
        Socket to(Engine engine) throws Exception;
    }

    @Test
    default void pipelinedRequestsMixingOffloadedAndInlineRepliesAreAnsweredInOrder() throws Exception {
        answersPipelinedRequestsInOrder(options(), "tcp://127.0.0.1:0", engine -> Peers.connect(Peers.inet(engine)));
    }

    /** Serves {@code address} with {@code options} and checks the order of mixed offloaded and inline replies. */
    default void answersPipelinedRequestsInOrder(Options.Builder options, String address, Connector connect)
            throws Exception {
        int requests = 400;
        Random random = new Random(14);
        StringBuilder script = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        int slow = 0;
        for (int i = 0; i < requests; i++) {
            boolean offloaded = i == 0 || random.nextInt(3) == 0;
            slow += offloaded ? 1 : 0;
            script.append(offloaded ? "S " : "F ").append(i).append('\n');
            expected.append(i).append(';');
        }
        // The first task finishes only after every other one has: its reply is done last, yet
        // must be sent first, and everything else waits behind it.
        CountDownLatch othersDone = new CountDownLatch(slow - 1);
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                ByteBuffer all = conn.peek(-1);
                int start = all.position();
                for (int i = start; i < all.limit(); i++) {
                    if (all.get(i) == '\n') {
                        byte[] line = new byte[i - start];
                        all.get(start, line);
                        conn.discard(i - start + 1);
                        start = i + 1;
                        String text = new String(line, StandardCharsets.US_ASCII);
                        byte[] reply = (text.substring(2) + ";").getBytes(StandardCharsets.US_ASCII);
                        if (text.equals("S 0")) {
                            conn.offload(() -> {
                                othersDone.await(Peers.GUARD.toSeconds(), TimeUnit.SECONDS);
                                return reply;
                            });
                        } else if (text.startsWith("S")) {
                            conn.offload(() -> {
                                othersDone.countDown();
                                return reply;
                            });
                        } else {
                            conn.write(reply);
                        }
                    }
                }
                return Action.NONE;
            }
        }, options.offload(o -> o.maxPending(requests)).build(), address);
        try (Socket socket = connect.to(engine)) {
            socket.getOutputStream().write(script.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] replies = Peers.readExactly(socket.getInputStream(), expected.length());
            assertThat(new String(replies, StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
            assertThat(othersDone.getCount()).isZero();
        }
    }
}
