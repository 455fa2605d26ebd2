package io.jgnet.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's clients: one worker runs seeded scenarios against the example servers, one after
 * another, and checks every reply byte for byte. A reply that differs from what the server must
 * send is a <em>mismatch</em>; a failure where the server should have served (refused, reset, a
 * read that times out) is an <em>error</em>. Scenarios that abuse a server (garbage, resets) only
 * require that it closes or answers in time.
 *
 * <p>Each worker is one thread with its own random stream ({@code seed} and its index), so a run
 * is repeatable up to the interleaving. Counters are shared, thread-safe adders.
 */
final class SoakClients {
    /** How long any one read may wait before the scenario counts as failed. */
    static final Duration GUARD = Duration.ofSeconds(20);
    private static final int MAX_ERRORS_KEPT = 20;
    private static final int KEYS_PER_WORKER = 100;

    /** Where the example servers listen. */
    record Targets(InetSocketAddress echo, InetSocketAddress http, InetSocketAddress redis, InetSocketAddress proxy,
                   InetSocketAddress chat) {
    }

    /** What the scenarios are, and how often each is picked (weights). */
    enum Scenario {
        ECHO(3), HTTP(3), RESP(3), PROXY(2), CHAT(1), CHURN(2), SLOW_READER(1), GARBAGE(2), HALF_CLOSE(1), RESET(1);

        final int weight;

        Scenario(int weight) {
            this.weight = weight;
        }
    }

    private static final List<Scenario> PICKS = Arrays.stream(Scenario.values())
            .flatMap(s -> java.util.Collections.nCopies(s.weight, s).stream()).toList();

    final LongAdder operations = new LongAdder();
    final LongAdder mismatches = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder[] byScenario = new LongAdder[Scenario.values().length];
    private final Queue<String> firstErrors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorsKept = new AtomicInteger();
    private final Targets targets;

    SoakClients(Targets targets) {
        this.targets = targets;
        for (int i = 0; i < byScenario.length; i++) {
            byScenario[i] = new LongAdder();
        }
    }

    /** The first errors and mismatches, for the report. */
    List<String> firstErrors() {
        return List.copyOf(firstErrors);
    }

    /** Runs scenarios until {@code deadlineNanos}; worker {@code index} of a run seeded {@code seed}. */
    void work(long seed, int index, long deadlineNanos) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        Worker worker = new Worker(index, random);
        while (System.nanoTime() - deadlineNanos < 0 && !Thread.currentThread().isInterrupted()) {
            Scenario scenario = PICKS.get(random.nextInt(PICKS.size()));
            try {
                worker.run(scenario);
                byScenario[scenario.ordinal()].increment();
                operations.increment();
            } catch (Mismatch e) {
                mismatches.increment();
                keep(scenario + ": wrong reply: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                errors.increment();
                keep(scenario + ": " + e);
            }
        }
    }

    private void keep(String line) {
        if (errorsKept.incrementAndGet() <= MAX_ERRORS_KEPT) {
            firstErrors.add(line);
        }
    }

    /** A reply that differs from what the server must send. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    /** One worker's state: its random stream and what it expects of the Redis keys it owns. */
    private final class Worker {
        private final int index;
        private final SplittableRandom random;
        private long counter;

        Worker(int index, SplittableRandom random) {
            this.index = index;
            this.random = random;
        }

        void run(Scenario scenario) throws IOException {
            switch (scenario) {
                case ECHO -> echo(targets.echo());
                case PROXY -> echo(targets.proxy());
                case HTTP -> http();
                case RESP -> resp();
                case CHAT -> chat();
                case CHURN -> churn();
                case SLOW_READER -> slowReader();
                case GARBAGE -> garbage();
                case HALF_CLOSE -> halfClose(random.nextBoolean() ? targets.echo() : targets.proxy());
                case RESET -> reset(random.nextBoolean() ? targets.echo() : targets.proxy());
            }
        }

        private byte[] bytes(int n) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            return data;
        }

        /** A few round trips of random sizes, each echoed byte for byte. */
        private void echo(InetSocketAddress target) throws IOException {
            try (Socket socket = connect(target, 0)) {
                int rounds = 1 + random.nextInt(4);
                for (int i = 0; i < rounds; i++) {
                    byte[] sent = bytes(1 + random.nextInt(32 * 1024));
                    socket.getOutputStream().write(sent);
                    expectSame(sent, socket.getInputStream().readNBytes(sent.length), "echo of " + sent.length + " bytes");
                }
            }
        }

        /** Pipelined GET /plaintext, then POST /echo with a random body, on one keep-alive connection. */
        private void http() throws IOException {
            try (Socket socket = connect(targets.http(), 0)) {
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                int pipelined = 1 + random.nextInt(8);
                out.write("GET /plaintext HTTP/1.1\r\nHost: soak\r\n\r\n".repeat(pipelined).getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < pipelined; i++) {
                    expectSame("Hello, World!".getBytes(StandardCharsets.US_ASCII), httpBody(in), "GET /plaintext body");
                }
                byte[] body = bytes(random.nextInt(2048));
                out.write(("POST /echo HTTP/1.1\r\nHost: soak\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                expectSame(body, httpBody(in), "POST /echo body");
            }
        }

        /** Reads one response: status 200, a Content-Length, then that many body bytes. */
        private byte[] httpBody(InputStream in) throws IOException {
            String status = line(in);
            if (!status.equals("HTTP/1.1 200 OK")) {
                throw new Mismatch("status line '" + status + "'");
            }
            int length = -1;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            if (length < 0) {
                throw new Mismatch("no Content-Length");
            }
            return in.readNBytes(length);
        }

        /** SET, GET and INCR on keys this worker owns, pipelined, each reply checked. */
        private void resp() throws IOException {
            try (Socket socket = connect(targets.redis(), 0)) {
                String key = "soak:" + index + ":" + random.nextInt(KEYS_PER_WORKER);
                String value = Long.toHexString(random.nextLong()).repeat(1 + random.nextInt(8));
                String counterKey = "soak:" + index + ":counter";
                socket.getOutputStream().write((command("SET", key, value) + command("GET", key)
                        + command("INCR", counterKey)).getBytes(StandardCharsets.US_ASCII));
                InputStream in = new BufferedInputStream(socket.getInputStream());
                expectLine(in, "+OK", "SET");
                expectLine(in, "$" + value.length(), "GET length");
                expectLine(in, value, "GET value");
                expectLine(in, ":" + ++counter, "INCR");
            }
        }

        private static String command(String... words) {
            StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
            }
            return resp.toString();
        }

        /** Two members: what one says reaches the other. */
        private void chat() throws IOException {
            try (Socket speaker = connect(targets.chat(), 0); Socket listener = connect(targets.chat(), 0)) {
                InputStream heard = new BufferedInputStream(listener.getInputStream());
                // The welcome says the listener is a member: only then can it hear the line.
                String welcome = line(heard);
                if (!welcome.startsWith("welcome, ")) {
                    throw new Mismatch("chat welcome '" + welcome + "'");
                }
                String text = "soak " + index + " " + Long.toHexString(random.nextLong());
                speaker.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
                // Other members talk too: read until this line comes by (bounded by the guard).
                String line;
                do {
                    line = line(heard);
                } while (!line.endsWith(": " + text));
            }
        }

        /** Connections opened and closed at once, to every server. */
        private void churn() throws IOException {
            List<InetSocketAddress> all = List.of(targets.echo(), targets.http(), targets.redis(), targets.proxy(),
                    targets.chat());
            for (int i = 0; i < 5; i++) {
                connect(all.get(random.nextInt(all.size())), 0).close();
            }
        }

        /** A client that reads slowly through a small receive buffer, so output backs up in the server. */
        private void slowReader() throws IOException {
            try (Socket socket = connect(targets.echo(), 4096)) {
                byte[] sent = bytes(256 * 1024);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        socket.getOutputStream().write(sent);
                    } catch (IOException e) {
                        // The reader sees the failure as missing bytes.
                    }
                });
                ByteArrayOutputStream got = new ByteArrayOutputStream(sent.length);
                byte[] chunk = new byte[1024];
                InputStream in = socket.getInputStream();
                while (got.size() < sent.length) {
                    int n = in.read(chunk, 0, Math.min(chunk.length, sent.length - got.size()));
                    if (n < 0) {
                        break;
                    }
                    got.write(chunk, 0, n);
                    if (got.size() % (32 * 1024) < n) {
                        pause(1);
                    }
                }
                join(writer);
                expectSame(sent, got.toByteArray(), "slow reader's echo");
            }
        }

        /** Random bytes to the HTTP, Redis or chat server, then end of stream: it must close in time. */
        private void garbage() throws IOException {
            List<InetSocketAddress> parsers = List.of(targets.http(), targets.redis(), targets.chat());
            try (Socket socket = connect(parsers.get(random.nextInt(parsers.size())), 0)) {
                try {
                    socket.getOutputStream().write(bytes(1 + random.nextInt(8192)));
                    socket.shutdownOutput();
                } catch (IOException e) {
                    return; // the server already refused the garbage and closed: that is allowed
                }
                InputStream in = socket.getInputStream();
                byte[] sink = new byte[8192];
                long read = 0;
                try {
                    for (int n; (n = in.read(sink)) >= 0; ) {
                        read += n;
                        if (read > 16L * 1024 * 1024) {
                            throw new Mismatch("the server answered garbage with more than 16 MiB");
                        }
                    }
                } catch (SocketTimeoutException e) {
                    throw new IOException("the server did not close within " + GUARD.toSeconds() + " s after garbage", e);
                } catch (IOException e) {
                    // A reset after garbage is a close too.
                }
            }
        }

        /** Sends, half-closes, and must get every byte back and then end of stream. */
        private void halfClose(InetSocketAddress target) throws IOException {
            try (Socket socket = connect(target, 0)) {
                byte[] sent = bytes(1 + random.nextInt(16 * 1024));
                socket.getOutputStream().write(sent);
                socket.shutdownOutput();
                byte[] got = socket.getInputStream().readAllBytes();
                expectSame(sent, got, "echo before end of stream");
            }
        }

        /** Sends and resets at once (SO_LINGER 0), possibly while the server writes back. */
        private void reset(InetSocketAddress target) throws IOException {
            Socket socket = connect(target, 0);
            try {
                socket.getOutputStream().write(bytes(1 + random.nextInt(64 * 1024)));
            } finally {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        }
    }

    private static Socket connect(InetSocketAddress target, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) GUARD.toMillis());
            socket.connect(target, (int) GUARD.toMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** One line ending in LF (a CR before it dropped); end of stream before it is an error. */
    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("end of stream in the middle of a reply");
            }
            if (text.length() > 64 * 1024) {
                throw new Mismatch("a line longer than 64 KiB");
            }
            text.append((char) c);
        }
        int end = text.length();
        return end > 0 && text.charAt(end - 1) == '\r' ? text.substring(0, end - 1) : text.toString();
    }

    private static void expectLine(InputStream in, String expected, String what) throws IOException {
        String got = line(in);
        if (!got.equals(expected)) {
            throw new Mismatch(what + ": expected '" + expected + "', got '" + got + "'");
        }
    }

    private static void expectSame(byte[] expected, byte[] got, String what) throws Mismatch {
        if (!Arrays.equals(expected, got)) {
            throw new Mismatch(what + ": " + got.length + " bytes back, " + expected.length + " expected"
                    + (got.length == expected.length ? ", contents differ" : ""));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(GUARD.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
