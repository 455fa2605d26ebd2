package io.jgnet.bench.harness;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.FullHttpResponse;
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
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's HTTP server for {@link BenchServers}: HTTP/1.1 plaintext in the shape of
 * TechEmpower's Netty entry, on whichever transport {@link NettyServers} chose. {@code GET
 * /plaintext} answers {@code Hello, World!} with Content-Type, Server, Date and Content-Length;
 * anything else gets 404. Responses are written with the void promise in {@code channelRead} and
 * flushed once per {@code channelReadComplete}, so the 16 responses to one pipelined read leave
 * in one write.
 *
 * <p>Threading: one instance per server; the Date value is refreshed once a second on one of
 * the group's loops and read by all of them (one, in the benchmark).
 */
final class NettyHttpServer {

    private static final byte[] BODY = "Hello, World!".getBytes(CharsetUtil.US_ASCII);
    /** Shared and never freed; each response sends a duplicate, so no copy per request. */
    private static final ByteBuf BODY_BUFFER = Unpooled.unreleasableBuffer(Unpooled.directBuffer(BODY.length).writeBytes(BODY));
    private static final AsciiString SERVER = AsciiString.cached("Netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString LENGTH = AsciiString.cached(Integer.toString(BODY.length));
    /** Header validation off, as in TechEmpower's Netty: response values are constants, requests are wrk's. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** The Date value; volatile costs nothing to read on x86 and keeps a multi-loop group correct. */
    private volatile AsciiString date = now();

    /** A server whose Date is refreshed by a task on {@code group}, which ends with the group. */
    NettyHttpServer(EventLoopGroup group) {
        group.next().scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
    }

    /** The child pipeline: Netty's HTTP codec with TechEmpower's limits, then the plaintext handler. */
    ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // TechEmpower's limits, and no validation of the request's headers either.
                ch.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(4096)
                        .setMaxHeaderSize(8192).setMaxChunkSize(8192)
                        .setHeadersFactory(HEADERS).setTrailersFactory(TRAILERS)), new Plaintext());
            }
        };
    }

    private static AsciiString now() {
        return new AsciiString(ZonedDateTime.now(ZoneOffset.UTC).format(RFC_1123));
    }

    /** Answers each request as it is decoded; its body parts (none for GET) are dropped. */
    private final class Plaintext extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    boolean found = request.method() == HttpMethod.GET && "/plaintext".equals(request.uri());
                    FullHttpResponse response = found
                            ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                    BODY_BUFFER.duplicate(), HEADERS, TRAILERS)
                            : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                                    Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS);
                    response.headers()
                            .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                            .set(HttpHeaderNames.SERVER, SERVER)
                            .set(HttpHeaderNames.DATE, date)
                            .set(HttpHeaderNames.CONTENT_LENGTH, found ? LENGTH : HttpHeaderValues.ZERO);
                    if (HttpUtil.isKeepAlive(request)) {
                        // The void promise spares a promise object per response: Netty as tuned for speed.
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

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
