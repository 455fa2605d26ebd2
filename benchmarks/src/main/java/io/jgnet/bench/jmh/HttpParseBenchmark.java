package io.jgnet.bench.jmh;

import io.jgnet.examples.http.HttpConfig;
import io.jgnet.examples.http.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing TechEmpower plaintext requests (the one its wrk sends): the example HTTP server's
 * {@link RequestParser} next to Netty's {@link HttpRequestDecoder} configured as the netty-codec
 * kind is (TechEmpower's limits, header validation off), each request then looked at as each
 * server's plaintext handler does: is it {@code GET /plaintext}, may the connection stay open.
 * Netty's {@code decode} is called as ByteToMessageDecoder's loop calls it, without a pipeline,
 * and both messages it makes per request are released.
 *
 * <p>Not equal work, and read as such: jgnet's parser records offsets and answers in place, while
 * Netty's general decoder builds a request object with a header map and a content object per
 * request, as HttpServerCodec servers do. The ratio says what the in-place parser saves over
 * Netty's standard decoder, not what Netty costs with a parser like jgnet's.
 */
public class HttpParseBenchmark extends ParseBenchmark {
    static final String REQUEST = "GET /plaintext HTTP/1.1\r\n"
            + "Host: tfb-server\r\n"
            + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAINTEXT = "/plaintext".getBytes(StandardCharsets.US_ASCII);

    private RequestParser parser;
    private ExposedRequestDecoder decoder;
    private final List<Object> decoded = new ArrayList<>();

    @Override
    byte[] setUpParsers() {
        parser = new RequestParser(HttpConfig.defaults());
        decoder = new ExposedRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192)
                .setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                .setTrailersFactory(DefaultHttpHeadersFactory.trailersFactory().withValidation(false)));
        return REQUEST.getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns how many requests were {@code GET /plaintext}. */
    @Override
    int parse(ByteBuffer input, Blackhole hole) {
        int plaintext = 0;
        int from = input.position();
        while (from < input.limit()) {
            int verdict = parser.parse(input, from);
            if (verdict != RequestParser.COMPLETE) {
                throw new IllegalStateException("parse answered " + verdict);
            }
            if (parser.methodIs(input, GET) && parser.pathIs(input, PLAINTEXT)) {
                plaintext++;
            }
            hole.consume(parser.keepAlive());
            from = parser.end();
        }
        return plaintext;
    }

    /** Returns how many requests were {@code GET /plaintext}. */
    @Override
    int parse(ByteBuf input, Blackhole hole) throws Exception {
        input.readerIndex(0);
        decoder.decodeAll(input, decoded);
        int plaintext = 0;
        for (int i = 0; i < decoded.size(); i++) {
            Object message = decoded.get(i);
            if (message instanceof HttpRequest request) {
                if (request.method() == HttpMethod.GET && "/plaintext".equals(request.uri())) {
                    plaintext++;
                }
                hole.consume(HttpUtil.isKeepAlive(request));
            } else if (!(message instanceof LastHttpContent)) {
                throw new IllegalStateException("decoded " + message);
            }
            ReferenceCountUtil.release(message);
        }
        decoded.clear();
        return plaintext;
    }

    /** Netty's decode() is protected: this calls it as ByteToMessageDecoder's loop does, without a pipeline. */
    static final class ExposedRequestDecoder extends HttpRequestDecoder {
        ExposedRequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        /** Decodes until {@code in} is empty or a call makes no progress. */
        void decodeAll(ByteBuf in, List<Object> out) throws Exception {
            while (in.isReadable()) {
                int messages = out.size();
                int readable = in.readableBytes();
                decode(null, in, out);
                if (out.size() == messages && in.readableBytes() == readable) {
                    return;
                }
            }
        }
    }
}
