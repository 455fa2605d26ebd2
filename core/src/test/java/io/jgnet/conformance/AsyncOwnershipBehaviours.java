package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.AsyncCallback;
import io.jgnet.Conn;
import io.jgnet.Engine;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Who owns the bytes given to asyncWrite, as {@link Conn}'s Javadoc states it: jgnet, until the
 * callback; one array may be handed to several calls; once the callback has run the caller may
 * change the array without changing what is sent.
 */
interface AsyncOwnershipBehaviours extends Harness {

    @Test
    default void oneArrayHandedToSeveralAsyncWritesReachesEveryConnectionWhole() throws Exception {
        byte[] message = Peers.randomBytes(41, 100_000);
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(2).build(), "tcp://127.0.0.1:0");
        try (Socket a = Peers.connect(Peers.inet(engine)); Socket b = Peers.connect(Peers.inet(engine));
                Socket c = Peers.connect(Peers.inet(engine))) {
            List<Conn> targets = List.of(server.connOf(a), server.connOf(a), server.connOf(b), server.connOf(c));
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            CountDownLatch completed = new CountDownLatch(targets.size());
            AsyncCallback callback = (conn, error) -> {
                if (error != null) {
                    errors.add(error);
                }
                completed.countDown();
            };
            for (Conn target : targets) {
                target.asyncWrite(message, callback);
            }

            Peers.await(completed, "every asyncWrite callback");
            assertThat(errors).isEmpty();
            byte[] twice = Arrays.copyOf(message, 2 * message.length);
            System.arraycopy(message, 0, twice, message.length, message.length);
            Peers.assertSameBytes(Peers.readExactly(a.getInputStream(), twice.length), twice);
            Peers.assertSameBytes(Peers.readExactly(b.getInputStream(), message.length), message);
            Peers.assertSameBytes(Peers.readExactly(c.getInputStream(), message.length), message);
        }
    }

    @Test
    default void anArrayChangedAfterTheCallbackDoesNotChangeWhatIsSent() throws Exception {
        // More than the socket buffers hold while the client does not read: most of it is still
        // waiting inside jgnet when the array is overwritten.
        byte[] message = Peers.randomBytes(43, 8 << 20);
        byte[] expected = message.clone();
        Recorder server = new Recorder();
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket client = Peers.connect(Peers.inet(engine), 16 * 1024)) {
            Conn conn = server.connOf(client);
            CompletableFuture<Throwable> written = new CompletableFuture<>();

            conn.asyncWrite(message, (c, error) -> written.complete(error));

            assertThat(Peers.await(written)).isNull();
            Arrays.fill(message, (byte) 0);
            Peers.assertSameBytes(Peers.readExactly(client.getInputStream(), expected.length), expected);
        }
    }
}
