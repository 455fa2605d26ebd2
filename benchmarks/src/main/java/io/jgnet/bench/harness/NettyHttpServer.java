package io.jgnet.bench.harness;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
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
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 reference for {@link HttpBench}: HTTP/1.1 plaintext in the shape of TechEmpower's
 * Netty entry. One {@code MultiThreadIoEventLoopGroup(1)} on epoll is both boss and worker, so
 * one thread accepts and serves, matching jgnet's one loop. {@code GET /plaintext} answers
 * {@code Hello, World!} with Content-Type, Server, Date and Content-Length; anything else gets
 * 404. Responses are written with the void promise in {@code channelRead} and flushed once per
 * {@code channelReadComplete}, so the 16 responses to one pipelined read leave in one write.
 */
public final class NettyHttpServer {

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

    /** The Date value, refreshed once a second on the loop thread, which alone reads it. */
    private static AsciiString date = now();

    private NettyHttpServer() {
    }

    /** Serves 127.0.0.1:port (0 = any), prints READY, and blocks until the process is stopped. */
    static void run(int port) throws InterruptedException {
        // Fail loudly rather than let a missing native library silently change the transport.
        Epoll.ensureAvailability();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            group.next().scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
            Channel server = new ServerBootstrap()
                    .group(group, group)
                    .channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // TechEmpower's limits, and no validation of the request's headers either.
                            ch.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(4096)
                                    .setMaxHeaderSize(8192).setMaxChunkSize(8192)
                                    .setHeadersFactory(HEADERS).setTrailersFactory(TRAILERS)), new Plaintext());
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().syncUninterruptibly();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }));
            int bound = ((InetSocketAddress) server.localAddress()).getPort();
            EchoServers.ready(bound, "netty http channel=EpollServerSocketChannel unsafe=" + PlatformDependent.hasUnsafe());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    private static AsciiString now() {
        return new AsciiString(ZonedDateTime.now(ZoneOffset.UTC).format(RFC_1123));
    }

    /** Answers each request as it is decoded; its body parts (none for GET) are dropped. */
    private static final class Plaintext extends ChannelInboundHandlerAdapter {
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
