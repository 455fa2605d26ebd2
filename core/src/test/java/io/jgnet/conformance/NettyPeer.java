package io.jgnet.conformance;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 with its SslHandler (JDK provider) as the other end of a TLS connection: an echo
 * server, and a client that sends bytes and collects the echo. Test code only.
 */
final class NettyPeer {
    private NettyPeer() {
    }

    /** A Netty TLS echo server on 127.0.0.1; closing it shuts its loops down. */
    record EchoServer(EventLoopGroup group, Channel channel) implements AutoCloseable {
        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() throws InterruptedException {
            channel.close().await(10, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    static EchoServer echoServer(Path certificate, Path privateKey) throws Exception {
        SslContext ssl = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                .sslProvider(SslProvider.JDK).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.writeAndFlush(msg);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return new EchoServer(group, channel);
    }

    /** Connects with TLS (trusting {@code trusted}, verifying the host name), sends {@code data}, returns the echo. */
    static byte[] echoClient(int port, Path trusted, byte[] data) throws Exception {
        SslContext ssl = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trusted.toFile())
                .endpointIdentificationAlgorithm("HTTPS").build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        try {
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "localhost", port),
                                    new ChannelInboundHandlerAdapter() {
                                        private final ByteArrayOutputStream got = new ByteArrayOutputStream();

                                        @Override
                                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                            ByteBuf buf = (ByteBuf) msg;
                                            byte[] bytes = new byte[buf.readableBytes()];
                                            buf.readBytes(bytes);
                                            buf.release();
                                            got.writeBytes(bytes);
                                            if (got.size() >= data.length) {
                                                echoed.complete(got.toByteArray());
                                                ctx.close();
                                            }
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            echoed.completeExceptionally(cause);
                                            ctx.close();
                                        }
                                    });
                        }
                    }).connect("127.0.0.1", port).sync().channel();
            channel.writeAndFlush(Unpooled.wrappedBuffer(data));
            return echoed.get(30, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }
}
