package io.jgnet.bench.servers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's HTTP/1.1 plaintext servers: {@code GET /plaintext} answers {@code Hello, World!}
 * with Server, Content-Type, Content-Length and Date; anything else 404. {@link #minimal} is the
 * like-for-like peer of jgnet's example: it parses the head in place (Content-Length, Connection)
 * and copies response bytes encoded once at start, plus a Date line formatted once a second, into
 * one pooled buffer per read batch, as jgnet copies them into its outbound buffer. {@link #codec}
 * is HttpServerCodec with a response object per request, in the shape of TechEmpower's Netty
 * entry: shown beside, not the ratio's base. Threading: the Date is refreshed by a task on the
 * group; each connection's handler runs on its loop.
 */
final class NettyHttp {

    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_HEAD = ascii("HTTP/1.1 200 OK\r\nServer: Netty\r\nContent-Type: text/plain\r\n"
            + "Content-Length: " + BODY.length + "\r\n");
    private static final byte[] NOT_FOUND_HEAD = ascii("HTTP/1.1 404 Not Found\r\nServer: Netty\r\nContent-Length: 0\r\n");
    private static final byte[] BAD_REQUEST = ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] GET_PLAINTEXT = ascii("GET /plaintext ");
    private static final byte[] CONTENT_LENGTH = ascii("CONTENT-LENGTH");
    private static final byte[] CONNECTION = ascii("CONNECTION");
    private static final int MAX_HEAD = 8192;
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private NettyHttp() {
    }

    /** The like-for-like server's child initializer: one {@link Minimal} handler per connection. */
    static ChannelInitializer<Channel> minimal(EventLoopGroup group) {
        Date date = new Date(group);
        return NettyServers.perChannel(ch -> List.of(new Minimal(date)));
    }

    /** The HttpServerCodec server's child initializer, with TechEmpower's limits and no header validation. */
    static ChannelInitializer<Channel> codec(EventLoopGroup group) {
        Date date = new Date(group);
        HttpHeadersFactory headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
        HttpHeadersFactory trailers = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);
        return NettyServers.perChannel(ch -> List.of(new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(4096)
                .setMaxHeaderSize(8192).setMaxChunkSize(8192).setHeadersFactory(headers).setTrailersFactory(trailers)),
                new CodecResponder(date, headers, trailers)));
    }

    /** The Date header, formatted once a second on one of the group's loops and read by all. */
    private static final class Date {
        volatile byte[] line;
        volatile AsciiString value;

        Date(EventLoopGroup group) {
            refresh();
            group.next().scheduleAtFixedRate(this::refresh, 1, 1, TimeUnit.SECONDS);
        }

        private void refresh() {
            String now = IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC));
            line = ascii("Date: " + now + "\r\n");
            value = new AsciiString(now);
        }
    }

    /** Parses in place and answers from pre-encoded bytes. One per connection, on its loop. */
    private static final class Minimal extends InPlaceHandler {
        private final Date date;

        Minimal(Date date) {
            this.date = date;
        }

        @Override
        void serve(ChannelHandlerContext ctx, ByteBuf in) throws ProtocolError {
            ByteBuf out = null;
            boolean close = false;
            while (!close && in.isReadable()) {
                int start = in.readerIndex();
                int lineStart = start;
                long contentLength = 0;
                int end = -1;
                while (true) { // one head line per turn, until the empty line
                    int lf = in.indexOf(lineStart, Math.min(in.writerIndex(), start + MAX_HEAD), (byte) '\n');
                    if (lf < 0) {
                        if (in.writerIndex() - start >= MAX_HEAD) {
                            throw new ProtocolError("head too long", BAD_REQUEST);
                        }
                        break;
                    }
                    int length = lf - lineStart - (lf > lineStart && in.getByte(lf - 1) == '\r' ? 1 : 0);
                    if (length == 0 && lineStart > start) {
                        end = lf + 1;
                        break;
                    }
                    int colon = lineStart == start ? -1 : in.indexOf(lineStart, lineStart + length, (byte) ':');
                    if (colon > 0 && is(in, lineStart, colon - lineStart, CONTENT_LENGTH)) {
                        contentLength = number(in, colon + 1, lineStart + length);
                    } else if (colon > 0 && is(in, lineStart, colon - lineStart, CONNECTION)) {
                        close = in.toString(colon + 1, lineStart + length - colon - 1, StandardCharsets.US_ASCII)
                                .trim().equalsIgnoreCase("close");
                    }
                    lineStart = lf + 1;
                }
                if (end < 0 || in.writerIndex() - end < contentLength) {
                    break; // the head or its body is not all here yet
                }
                boolean found = in.writerIndex() - start >= GET_PLAINTEXT.length && startsWith(in, start, GET_PLAINTEXT);
                if (out == null) {
                    out = ctx.alloc().ioBuffer();
                }
                out.writeBytes(found ? OK_HEAD : NOT_FOUND_HEAD).writeBytes(date.line);
                if (close) {
                    out.writeBytes(CLOSE);
                }
                out.writeByte('\r').writeByte('\n');
                if (found) {
                    out.writeBytes(BODY);
                }
                in.readerIndex(end + (int) contentLength);
            }
            if (out != null) {
                ctx.write(out, ctx.voidPromise());
            }
            if (close) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ctx.close());
                in.skipBytes(in.readableBytes());
            }
        }

        private static boolean startsWith(ByteBuf in, int at, byte[] prefix) {
            for (int i = 0; i < prefix.length; i++) {
                if (in.getByte(at + i) != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static long number(ByteBuf in, int from, int to) throws ProtocolError {
            long n = 0;
            boolean digits = false;
            for (int i = from; i < to; i++) {
                byte b = in.getByte(i);
                if (b >= '0' && b <= '9' && n < Integer.MAX_VALUE) {
                    n = 10 * n + b - '0';
                    digits = true;
                } else if (b != ' ' && b != '\t') {
                    throw new ProtocolError("bad Content-Length", BAD_REQUEST);
                }
            }
            if (!digits) {
                throw new ProtocolError("empty Content-Length", BAD_REQUEST);
            }
            return n;
        }
    }

    /** Answers each decoded request with a response object, as HttpServerCodec users do. */
    private static final class CodecResponder extends NettyServers.BatchWriter {
        private static final ByteBuf BODY_BUFFER = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(BODY));
        private static final AsciiString SERVER = AsciiString.cached("Netty");
        private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
        private static final AsciiString LENGTH = AsciiString.cached(Integer.toString(BODY.length));
        private final Date date;
        private final HttpHeadersFactory headers;
        private final HttpHeadersFactory trailers;

        CodecResponder(Date date, HttpHeadersFactory headers, HttpHeadersFactory trailers) {
            this.date = date;
            this.headers = headers;
            this.trailers = trailers;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    boolean found = request.method() == HttpMethod.GET && "/plaintext".equals(request.uri());
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            found ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                            found ? BODY_BUFFER.duplicate() : Unpooled.EMPTY_BUFFER, headers, trailers);
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN).set(HttpHeaderNames.SERVER, SERVER)
                            .set(HttpHeaderNames.DATE, date.value)
                            .set(HttpHeaderNames.CONTENT_LENGTH, found ? LENGTH : HttpHeaderValues.ZERO);
                    if (HttpUtil.isKeepAlive(request)) {
                        ctx.write(response, ctx.voidPromise());
                    } else {
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        ctx.writeAndFlush(response).addListener(f -> ctx.close());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
