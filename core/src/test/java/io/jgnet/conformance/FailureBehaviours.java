package io.jgnet.conformance;

import static io.jgnet.conformance.Peers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Failures are contained and said once: a handler's exception or error closes its connection
 * with the cause and is logged once (unless onClose takes the cause), without flooding the log;
 * a loop thread cannot block on an engine; misuse from the wrong thread or on a datagram reply
 * is refused with a message that says what to do instead.
 */
interface FailureBehaviours extends Harness {

    /** Captures what jgnet logs while a test runs. */
    final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("io.jgnet");
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture() {
            logger.addHandler(this);
        }

        List<LogRecord> warningsWith(Throwable cause) {
            List<LogRecord> found = new ArrayList<>();
            for (LogRecord record : records) {
                if (record.getLevel() == Level.WARNING && record.getThrown() == cause) {
                    found.add(record);
                }
            }
            return found;
        }

        long warningsCausedBy(Class<? extends Throwable> type) {
            return records.stream().filter(r -> r.getLevel() == Level.WARNING && type.isInstance(r.getThrown())).count();
        }

        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    /** Throws on every byte it receives; does not override onClose. */
    final class Thrower implements EventHandler {
        final CompletableFuture<RuntimeException> thrown = new CompletableFuture<>();

        @Override
        public Action onTraffic(Conn conn) {
            conn.discard(-1);
            RuntimeException boom = new ThrowerFailure("boom for " + conn.remoteAddress());
            thrown.complete(boom);
            throw boom;
        }
    }

    final class ThrowerFailure extends RuntimeException {
        ThrowerFailure(String message) {
            super(message);
        }
    }

    @Test
    default void aHandlerExceptionIsLoggedOnceNamingTheConnectionUnlessOnCloseTakesIt() throws Exception {
        try (LogCapture log = new LogCapture()) {
            Thrower thrower = new Thrower();
            Engine engine = serve(thrower, options().build(), "tcp://127.0.0.1:0");
            try (Socket socket = Peers.connect(Peers.inet(engine))) {
                socket.getOutputStream().write('x');
                Peers.assertEndOfStream(socket.getInputStream());
                RuntimeException boom = await(thrower.thrown);
                List<LogRecord> lines = log.warningsWith(boom);
                assertThat(lines).hasSize(1);
                String port = String.valueOf(socket.getLocalPort());
                assertThat(lines.get(0).getMessage()).contains(port);
            }

            Recorder takesCauses = new Recorder() {
                @Override
                public Action onTraffic(Conn conn) {
                    throw new ThrowerFailure("handled in onClose");
                }
            };
            Engine quiet = serve(takesCauses, options().build(), "tcp://127.0.0.1:0");
            try (Socket socket = Peers.connect(Peers.inet(quiet))) {
                socket.getOutputStream().write('x');
                Throwable cause = takesCauses.awaitClose(takesCauses.connOf(socket));
                assertThat(cause).isInstanceOf(ThrowerFailure.class);
                assertThat(log.warningsWith(cause)).as("onClose received it: not logged").isEmpty();
            }
        }
    }

    @Test
    default void aClientThatMakesTheHandlerThrowEveryTimeCannotFloodTheLog() throws Exception {
        int failures = 60;
        try (LogCapture log = new LogCapture()) {
            Engine engine = serve(new Thrower(), options().loops(1).build(), "tcp://127.0.0.1:0");
            for (int i = 0; i < failures; i++) {
                try (Socket socket = Peers.connect(Peers.inet(engine))) {
                    socket.getOutputStream().write('x');
                    Peers.assertEndOfStream(socket.getInputStream());
                }
            }
            long lines = log.warningsCausedBy(ThrowerFailure.class);
            assertThat(lines).as("some failures are logged").isPositive();
            assertThat(lines).as("but not one line per failure").isLessThan(failures);
        }
    }

    @Test
    default void anErrorThrownByAHandlerClosesOnlyItsConnectionAndTheLoopServesOn() throws Exception {
        Recorder server = new Recorder() {
            @Override
            public Action onTraffic(Conn conn) {
                if (conn.peek(1).get(0) == '!') {
                    throw new StackOverflowError("deep in the handler");
                }
                return super.onTraffic(conn);
            }
        };
        Engine engine = serve(server, options().loops(1).build(), "tcp://127.0.0.1:0");
        try (Socket failing = Peers.connect(Peers.inet(engine)); Socket bystander = Peers.connect(Peers.inet(engine))) {
            failing.getOutputStream().write('!');
            assertThat(server.awaitClose(server.connOf(failing))).isInstanceOf(StackOverflowError.class);
            assertThat(Peers.echo(bystander, "still here")).isEqualTo("still here");
            assertThat(Peers.echo(Peers.connect(Peers.inet(engine)), "new one")).isEqualTo("new one");
        }
    }

    @Test
    default void aLoopThreadCannotStartOrStopAnEngineAndIsToldWhatToDoInstead() throws Exception {
        CompletableFuture<Throwable> startRefused = new CompletableFuture<>();
        CompletableFuture<Throwable> stopRefused = new CompletableFuture<>();
        CompletableFuture<Engine> self = new CompletableFuture<>();
        Engine engine = serve(new Recorder() {
            @Override
            public Action onOpen(Conn conn) {
                try {
                    track(Jgnet.client(new Recorder(), options().build()));
                    startRefused.complete(null);
                } catch (Throwable t) {
                    startRefused.complete(t);
                }
                try {
                    self.join().stop(Duration.ZERO);
                    stopRefused.complete(null);
                } catch (Throwable t) {
                    stopRefused.complete(t);
                }
                return super.onOpen(conn);
            }
        }, options().build(), "tcp://127.0.0.1:0");
        self.complete(engine);
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            assertThat(await(startRefused)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("event loop thread");
            assertThat(await(stopRefused)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Action.SHUTDOWN").hasMessageNotContaining("eventLoop().stop");
            assertThat(Peers.echo(socket, "served")).isEqualTo("served");
        }
        assertThat(engine.stop(Duration.ofSeconds(10))).as("the engine still stops from a plain thread").isTrue();
    }

    @Test
    default void theWrongThreadMessageNamesAVirtualThread() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().build(), "tcp://127.0.0.1:0");
        try (Socket socket = Peers.connect(Peers.inet(engine))) {
            Conn conn = server.connOf(socket);
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    conn.write(new byte[1]);
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });
            assertThat(await(refused)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("virtual thread #").hasMessageNotContaining("not on ;");
        }
    }

    @Test
    default void aDatagramReplyRefusesWhatNeedsAConnectionOfItsOwnAndStillAnswers() throws Exception {
        Engine engine = serve(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.discard(-1);
                String answer;
                try {
                    conn.shutdownOutput();
                    answer = "shutdownOutput accepted";
                } catch (UnsupportedOperationException e) {
                    answer = e.getMessage().contains("datagram") ? "refused" : "unclear: " + e.getMessage();
                }
                conn.write(answer.getBytes());
                return Action.CLOSE;
            }
        }, options().build(), "udp://127.0.0.1:0");
        try (DatagramSocket udp = Peers.datagramSocket()) {
            InetSocketAddress address = (InetSocketAddress) engine.listenAddresses().get(0);
            Peers.send(udp, address, "one".getBytes());
            assertThat(new String(Peers.receive(udp))).isEqualTo("refused");
            Peers.send(udp, address, "two".getBytes());
            assertThat(new String(Peers.receive(udp))).as("CLOSE on a datagram ends nothing").isEqualTo("refused");
        }
    }
}
