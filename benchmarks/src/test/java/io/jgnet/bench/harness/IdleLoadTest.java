package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdleLoadTest {

    /** Bounds each wait; reaching one is a failure, never a way to let time pass. */
    private static final long WAIT_SECONDS = 30;

    private Engine echo;

    @BeforeEach
    void startEcho() throws Exception {
        echo = Jgnet.start(new EventHandler() {
            @Override
            public Action onTraffic(Conn conn) {
                conn.write(conn.next(-1));
                return Action.NONE;
            }
        }, Options.builder().loops(1).transport(TransportKind.NIO).build(), "tcp://127.0.0.1:0");
    }

    @AfterEach
    void stopEcho() throws InterruptedException {
        echo.stop(Duration.ofSeconds(5));
    }

    @Test
    void holdsEveryConnectionUntilALineOnStdinThenClosesThem() throws Exception {
        assertHoldsAndCloses(200, stdin -> stdin.write("go\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void endOfStdinAlsoEndsTheHold() throws Exception {
        // More than Connector.MAX_PENDING, so connects are started in several waves.
        assertHoldsAndCloses(Connector.MAX_PENDING + 50, OutputStream::close);
    }

    private void assertHoldsAndCloses(int connections, StdinAction release) throws Exception {
        PipedOutputStream stdin = new PipedOutputStream();
        PipedInputStream stdinSource = new PipedInputStream(stdin);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        PrintStream out = new PrintStream(new LineSink(lines), true, StandardCharsets.UTF_8);
        String[] args = {"--protocol", "idle", "--port", BenchLoadTest.port(echo), "--connections", Integer.toString(connections)};
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                () -> BenchLoad.run(args, stdinSource, out, System.err));

        assertThat(lines.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("IDLE " + connections);
        // Every connection has had its byte echoed, so the server has accepted every one.
        assertThat(echo.connectionCount()).isEqualTo(connections);
        assertThat(status).isNotDone();

        release.run(stdin);
        assertThat(lines.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("CLOSED " + connections);
        assertThat(status.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(BenchLoad.OK);
        assertThat(lines).isEmpty();
    }

    @FunctionalInterface
    private interface StdinAction {
        void run(PipedOutputStream stdin) throws Exception;
    }

    /** Hands each complete line printed to it to a queue the test waits on. */
    private static final class LineSink extends OutputStream {
        private final BlockingQueue<String> lines;
        private final StringBuilder line = new StringBuilder();

        LineSink(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }
}
