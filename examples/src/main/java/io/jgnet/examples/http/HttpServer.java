package io.jgnet.examples.http;

import io.jgnet.Action;
import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.Scheduled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A small HTTP/1.1 server on jgnet, serving {@code GET /plaintext}, {@code GET /json} and
 * {@code POST /echo}.
 *
 * <p>Each {@code onTraffic} parses as many complete requests as are buffered (pipelining) and
 * answers them in order, straight from the connection's inbound bytes; an unfinished request
 * stays buffered for the next call:
 *
 * <pre>
 *   bytes buffered --parse--> COMPLETE  --route, write--> keep-alive? next request : CLOSE
 *                         \-> NEED_MORE --(Expect: 100-continue) write 100--> wait for bytes
 *                         \-> 400/413/431/501/505 --write, Connection: close--> CLOSE
 * </pre>
 *
 * <p>Keep-alive is the default for HTTP/1.1 and must be asked for by HTTP/1.0;
 * {@code Connection: close} is honoured after the response. Responses carry Server, Date,
 * Content-Type and Content-Length. The Date line is formatted by the engine's ticker once a
 * second, so run the engine with {@link #options(HttpConfig, Options)}, which turns the ticker
 * on and bounds each connection's inbound bytes to one maximal request plus one read.
 *
 * <p>Timeouts, as nginx: a request head must arrive within {@link HttpConfig#headTimeout()} of
 * its first byte (for the first request, of the connection's opening), else the client gets 408
 * and the connection closes; a slowloris client that trickles header bytes is cut off there, as
 * trickling keeps any idle timeout happy. The head's deadline is a timer of the loop
 * ({@link io.jgnet.EventLoop#schedule}), armed only while a head is incomplete and cancelled when
 * it completes. Between requests the connection's idle timeout
 * ({@link HttpConfig#keepAliveTimeout()}, set by {@link #options}) closes a silent keep-alive
 * connection.
 *
 * <p>A fixed route is answered without allocating: its response was encoded at startup, the
 * Date line is cached, and parsing reads the buffer in place. A client that sends faster than
 * it reads is paused (reading suspended) when its output passes the high watermark, and resumed
 * by {@code onWritable}.
 *
 * <h2>Threading</h2>
 * One instance serves every loop of an engine. Callbacks of a connection run on its loop;
 * per-connection state is a {@link RequestParser} in {@link Conn#context()}. The router is only
 * read, and the Date line is published through a volatile field, so nothing is locked.
 */
public final class HttpServer implements EventHandler {
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final Duration TICK = Duration.ofSeconds(1);

    private static final EncodedResponse BAD_REQUEST = EncodedResponse.error(400, "");
    private static final EncodedResponse REQUEST_TIMEOUT = EncodedResponse.error(408, "");
    private static final EncodedResponse CONTENT_TOO_LARGE = EncodedResponse.error(413, "");
    private static final EncodedResponse HEADERS_TOO_LARGE = EncodedResponse.error(431, "");
    private static final EncodedResponse NOT_IMPLEMENTED = EncodedResponse.error(501, "");
    private static final EncodedResponse VERSION_NOT_SUPPORTED = EncodedResponse.error(505, "");

    private final HttpConfig config;
    private final Router router;
    private final HttpDate date;
    /** The files served for paths no route takes, or null. */
    private final StaticFiles files;
    /** {@code GET /metrics}, when asked for; null otherwise. */
    private final MetricsPage metrics;

    HttpServer(HttpConfig config, Router router, Clock clock) {
        this(config, router, clock, null, null);
    }

    private HttpServer(HttpConfig config, Router router, Clock clock, StaticFiles files, MetricsPage metrics) {
        this.config = config;
        this.router = router;
        this.date = new HttpDate(clock);
        this.files = files;
        this.metrics = metrics;
    }

    /**
     * The example server: {@code GET /plaintext} answers {@code Hello, World!} as text/plain,
     * {@code GET /json} answers {@code {"message":"Hello, World!"}}, and {@code POST /echo}
     * answers the request body with the request's Content-Type. Any thread.
     */
    public static EventHandler handler(HttpConfig config) {
        return new HttpServer(config, exampleRoutes(), Clock.systemUTC());
    }

    /**
     * The example server that also serves the files under {@code root} for GET and HEAD of any
     * path the routes do not take (see {@link StaticFiles}). Any thread.
     *
     * @throws IOException if {@code root} is not a readable directory
     */
    public static EventHandler handler(HttpConfig config, Path root) throws IOException {
        return handler(config, root, false);
    }

    /**
     * Like {@link #handler(HttpConfig)}, plus {@code GET /metrics}: the engine's
     * {@link Engine#stats()} in the Prometheus text format. Any thread.
     */
    public static EventHandler handlerWithMetrics(HttpConfig config) {
        try {
            return handler(config, null, true);
        } catch (IOException e) {
            throw new AssertionError("no root, no I/O", e);
        }
    }

    /**
     * The example server, serving the files under {@code root} unless it is null, and
     * {@code GET /metrics} (the engine's {@link Engine#stats()} in the Prometheus text format)
     * when {@code metrics} is true. Any thread.
     *
     * @throws IOException if {@code root} is not a readable directory
     */
    public static EventHandler handler(HttpConfig config, Path root, boolean metrics) throws IOException {
        StaticFiles files = root == null ? null : new StaticFiles(root);
        if (!metrics) {
            return new HttpServer(config, exampleRoutes(), Clock.systemUTC(), files, null);
        }
        MetricsPage page = new MetricsPage();
        return new HttpServer(config, exampleRoutes().route("GET", "/metrics", page::scrape), Clock.systemUTC(),
                files, page);
    }

    /**
     * Serves {@code args[0]} (default {@code tcp://127.0.0.1:8080}) with the example routes until
     * the process is killed; try {@code curl -i http://127.0.0.1:8080/plaintext}.
     */
    public static void main(String[] args) throws Exception {
        String address = args.length > 0 ? args[0] : "tcp://127.0.0.1:8080";
        HttpConfig config = HttpConfig.defaults();
        Jgnet.run(handler(config), address, options(config, Options.defaults()));
    }

    static Router exampleRoutes() {
        return new Router()
                .fixed("GET", "/plaintext", HttpResponse.text("Hello, World!"))
                .fixed("GET", "/json", HttpResponse.json("{\"message\":\"Hello, World!\"}"))
                .route("POST", "/echo", request -> {
                    String type = request.header("content-type");
                    return new HttpResponse(200, type != null ? type : "application/octet-stream", request.body());
                });
    }

    /**
     * {@code base} with what this server needs: the ticker on (it refreshes the Date line), an
     * inbound cap of one maximal request ({@link HttpConfig#maxRequestBytes()}) plus one read,
     * which a paused connection may hold on top of its unfinished request, and the keep-alive
     * timeout as every connection's idle timeout. Any thread.
     *
     * @throws IllegalArgumentException if the resulting options are invalid
     */
    public static Options options(HttpConfig config, Options base) {
        long cap = (long) config.maxRequestBytes() + base.readBufferCap();
        return base.toBuilder()
                .ticker(true)
                .inboundBufferCap((int) Math.min(cap, Integer.MAX_VALUE))
                .timeouts(t -> t.idle(config.keepAliveTimeout()))
                .build();
    }

    @Override
    public Action onBoot(Engine engine) {
        if (metrics != null) {
            metrics.engine(engine);
        }
        return Action.NONE;
    }

    @Override
    public Action onOpen(Conn conn) {
        RequestParser request = new RequestParser(config);
        conn.context(request);
        // The first request's head is due within the head timeout of the opening.
        awaitHead(conn, request);
        return Action.NONE;
    }


    @Override
    public Action onTraffic(Conn conn) {
        return serve(conn);
    }

    @Override
    public Action onWritable(Conn conn) {
        // The output drained: go on with requests left buffered when it was full.
        conn.resumeReading();
        return serve(conn);
    }

    @Override
    public Duration onTick() {
        date.refresh();
        return TICK;
    }

    /** The Date line responses carry now. */
    byte[] dateLine() {
        return date.line();
    }

    /** Answers every complete request buffered, in order, and consumes them. */
    private Action serve(Conn conn) {
        RequestParser request = (RequestParser) conn.context();
        ByteBuffer in = conn.peek(-1);
        int from = in.position();
        boolean headIncomplete = false;
        while (from < in.limit()) {
            if (!conn.isWritable()) {
                // The peer sends faster than it reads: keep the rest buffered, stop reading, and
                // resume in onWritable, so output stays near the watermark.
                conn.suspendReading();
                break;
            }
            int verdict = request.parse(in, from);
            if (verdict == RequestParser.NEED_MORE) {
                headIncomplete = !request.headComplete();
                if (request.wantsContinue()) {
                    conn.write(CONTINUE);
                    request.continueSent(true);
                }
                break;
            }
            request.continueSent(false);
            if (verdict != RequestParser.COMPLETE) {
                // After a framing error the rest of the stream cannot be trusted: answer and close.
                send(conn, rejection(verdict), false, false, false);
                conn.discard(-1);
                return Action.CLOSE;
            }
            boolean keepAlive = request.keepAlive();
            EncodedResponse response = router.dispatch(in, request);
            if (response == Router.NOT_FOUND && files != null) {
                sendFile(conn, files.answer(request.toRequest(in)), request.isHead(), keepAlive, request.http10());
            } else {
                send(conn, response, request.isHead(), keepAlive, request.http10());
            }
            if (!keepAlive) {
                conn.discard(-1);
                return Action.CLOSE;
            }
            from = request.end();
        }
        conn.discard(from - in.position());
        if (headIncomplete) {
            awaitHead(conn, request);
        } else {
            headArrived(request);
        }
        return Action.NONE;
    }

    /** A head has begun (or may begin) and is not complete: it is due within the head timeout. */
    private void awaitHead(Conn conn, RequestParser request) {
        if (request.headDeadline == null && !config.headTimeout().isZero()) {
            request.headDeadline = conn.eventLoop().schedule(() -> headTimedOut(conn, request), config.headTimeout());
        }
    }

    private static void headArrived(RequestParser request) {
        if (request.headDeadline != null) {
            request.headDeadline.cancel();
            request.headDeadline = null;
        }
    }

    /**
     * On the loop: the head did not arrive in time. A client that sent part of one hears why. (A
     * connection that closed meanwhile left its timer armed, to avoid an onClose here, whose
     * override would take charge of logging handler failures: it just finds it closed.)
     */
    private void headTimedOut(Conn conn, RequestParser request) {
        request.headDeadline = null;
        if (!conn.isOpen()) {
            return;
        }
        if (conn.inboundBuffered() > 0) {
            send(conn, REQUEST_TIMEOUT, false, false, false);
            conn.discard(-1);
        }
        conn.close();
    }

    /** Writes a response: its head, Date, Connection if needed, the empty line, then the body unless HEAD. */
    private void send(Conn conn, EncodedResponse response, boolean head, boolean keepAlive, boolean http10) {
        conn.write(response.head());
        conn.write(date.line());
        if (!keepAlive) {
            conn.write(CONNECTION_CLOSE);
        } else if (http10) {
            conn.write(CONNECTION_KEEP_ALIVE);
        }
        conn.write(CRLF);
        if (!head && response.body().length > 0) {
            conn.write(response.body());
        }
    }

    /** Writes a static file's head, then its region straight from the file (unless HEAD). */
    private void sendFile(Conn conn, StaticFiles.Answer answer, boolean head, boolean keepAlive, boolean http10) {
        send(conn, answer.response(), head, keepAlive, http10);
        if (answer.file() == null) {
            return;
        }
        if (head) {
            try {
                answer.file().close();
            } catch (IOException e) {
                // Opened for reading only: nothing is lost.
            }
        } else {
            conn.sendFile(answer.file(), answer.position(), answer.length());
        }
    }

    private static EncodedResponse rejection(int status) {
        return switch (status) {
            case 413 -> CONTENT_TOO_LARGE;
            case 431 -> HEADERS_TOO_LARGE;
            case 501 -> NOT_IMPLEMENTED;
            case 505 -> VERSION_NOT_SUPPORTED;
            default -> BAD_REQUEST;
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
