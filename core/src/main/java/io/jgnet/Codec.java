package io.jgnet;

import io.jgnet.codec.DelimiterCodec;
import io.jgnet.codec.FixedLengthCodec;
import io.jgnet.codec.LengthFieldCodec;
import io.jgnet.codec.LineCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cuts a byte stream into frames and frames payloads for sending. Use one of the built-in codecs
 * ({@link #line}, {@link #delimiter}, {@link #fixedLength}, {@link #lengthField()}) or implement
 * this interface for a custom format, and serve it with a {@link FrameHandler}.
 *
 * <h2>Threading and ownership</h2>
 * A codec is shared by every connection of an engine, so implementations must keep no
 * per-connection state and be safe to call from several loop threads at once (the built-in ones
 * are immutable). The frame returned by {@link #decode} is a view of the connection's inbound
 * bytes, valid until the callback that received it returns: copy it before handing it to
 * another thread or keeping it. Its position is where its bytes start in that view, not
 * necessarily 0: read it with relative gets, or absolute ones from {@code position()}.
 */
public interface Codec {

    /**
     * Decodes the next frame from {@code in} (the connection's buffered bytes from position to
     * limit). On success returns the frame and advances {@code in}'s position past the frame and
     * its framing; when more bytes are needed returns {@code null} and leaves the position alone.
     *
     * <p>{@code frame} is a spare view of the same bytes as {@code in}, at the same indexes,
     * lent so that decoding allocates nothing: a codec whose frames are a run of those bytes
     * sets the view's limit and position around the run ({@code frame.limit(end).position(start)})
     * and returns it. A codec may instead return any other buffer (one it filled, say). Either
     * way neither buffer's bytes may be changed, and {@code in}'s limit stays as it is.
     *
     * @param in    the buffered bytes, read from position to limit
     * @param frame a spare view of {@code in}'s bytes at the same indexes, lent for this call only,
     *              that the codec may shape into the frame and return instead of allocating one
     * @return the frame, or {@code null} if {@code in} holds no complete frame yet
     * @throws CodecException if the bytes cannot be a valid frame; the connection is then closed
     */
    ByteBuffer decode(ByteBuffer in, ByteBuffer frame);

    /**
     * Writes {@code payload} (its remaining bytes, consumed) with this codec's framing to
     * {@code out}.
     *
     * @param payload the bytes to frame, from position to limit
     * @param out     where the framed bytes go
     * @throws IllegalArgumentException if the payload cannot be framed (too long, wrong size)
     */
    void encode(ByteBuffer payload, ByteSink out);

    /**
     * Where {@link #encode} writes. {@link Conn} is one; tests and custom senders may supply
     * their own. Implementations copy or send the bytes before returning and never change
     * them, so an encoder may pass the same array to every call.
     */
    @FunctionalInterface
    interface ByteSink {
        /**
         * Takes the remaining bytes of {@code data}, consuming them.
         *
         * @param data the bytes to take, from position to limit
         */
        void write(ByteBuffer data);

        /**
         * Takes {@code data[offset, offset + length)}. {@link Conn} copies them without the
         * buffer this default wraps them in, which is what lets encoders write their framing
         * without allocating.
         *
         * @param data   the array holding the bytes; the sink copies or sends them before
         *               returning, never changes them and keeps no reference, so the caller may
         *               reuse it at once
         * @param offset the index in {@code data} of the first byte to take
         * @param length how many bytes to take, 0 or more, with {@code offset + length} at most
         *               {@code data.length}
         */
        default void write(byte[] data, int offset, int length) {
            write(ByteBuffer.wrap(data, offset, length));
        }

        /**
         * Takes one whole frame: the low {@code headerBytes} bytes of {@code header}, most
         * significant first, then the remaining bytes of {@code payload} (consumed), then
         * {@code trailer[0, trailerLength)}. {@link Conn} checks its cap and appends once, where
         * separate writes of the framing and the payload would each do so (on UDP the frame is
         * one datagram); this default makes those writes, spelling the header in a new array,
         * so a sink on a hot path overrides it.
         *
         * @param header        the header's value, such as a length field (ignored when
         *                      {@code headerBytes} is 0)
         * @param headerBytes   how many of its low bytes to take, 0 to 8
         * @param payload       the frame's body, from position to limit, consumed
         * @param trailer       the array holding the bytes after the body, as for
         *                      {@link #write(byte[], int, int)}; not null, empty for none
         * @param trailerLength how many of them to take, from index 0; 0 for none
         */
        default void writeFrame(long header, int headerBytes, ByteBuffer payload, byte[] trailer, int trailerLength) {
            if (headerBytes > 0) {
                byte[] bytes = new byte[headerBytes];
                for (int i = 0; i < headerBytes; i++) {
                    bytes[i] = (byte) (header >>> (8 * (headerBytes - 1 - i)));
                }
                write(bytes, 0, headerBytes);
            }
            write(payload);
            if (trailerLength > 0) {
                write(trailer, 0, trailerLength);
            }
        }
    }

    /**
     * Lines ended by {@code \n} or {@code \r\n}, as Netty's {@code LineBasedFrameDecoder}.
     * Encoding appends {@code \n}.
     *
     * @param maxLength      the longest line accepted, without its delimiter
     * @param stripDelimiter whether frames exclude the line ending
     * @return the codec, immutable
     */
    static Codec line(int maxLength, boolean stripDelimiter) {
        return new LineCodec(maxLength, stripDelimiter);
    }

    /**
     * Frames ended by any of {@code delimiters}, as Netty's {@code DelimiterBasedFrameDecoder}:
     * when several match, the one giving the shortest frame wins. Encoding appends the first
     * delimiter.
     *
     * @param maxFrameLength the longest frame accepted, without its delimiter
     * @param stripDelimiter whether frames exclude the delimiter
     * @param delimiters     the byte sequences that end a frame, at least one
     * @return the codec, immutable
     */
    static Codec delimiter(int maxFrameLength, boolean stripDelimiter, byte[]... delimiters) {
        return new DelimiterCodec(maxFrameLength, stripDelimiter, delimiters);
    }

    /**
     * Frames of exactly {@code frameLength} bytes; encoding requires payloads of that size.
     *
     * @param frameLength the size of every frame, in bytes
     * @return the codec, immutable
     */
    static Codec fixedLength(int frameLength) {
        return new FixedLengthCodec(frameLength);
    }

    /**
     * A builder for a length-field codec, as Netty's {@code LengthFieldBasedFrameDecoder} and
     * {@code LengthFieldPrepender}: defaults are a 4-byte big-endian length at offset 0 that
     * counts only the payload, stripped from frames, with a 1 MiB maximum.
     *
     * @return a new builder with those defaults
     */
    static LengthFieldBuilder lengthField() {
        return new LengthFieldBuilder();
    }

    /**
     * Collects the parameters of a length-field codec; {@link #build()} checks them. Not
     * thread-safe; the codec it builds is immutable.
     */
    final class LengthFieldBuilder {
        private ByteOrder byteOrder = ByteOrder.BIG_ENDIAN;
        private int lengthFieldOffset;
        private int lengthFieldLength = 4;
        private int lengthAdjustment;
        private int initialBytesToStrip = -1;
        private int maxFrameLength = 1024 * 1024;
        private boolean lengthIncludesHeader;

        LengthFieldBuilder() {
        }

        /**
         * The byte order of the length field (default big-endian).
         *
         * @param byteOrder the field's byte order
         * @return this builder
         */
        public LengthFieldBuilder byteOrder(ByteOrder byteOrder) {
            this.byteOrder = byteOrder;
            return this;
        }

        /**
         * Bytes before the length field, e.g. a magic number (default 0).
         *
         * @param offset the field's offset from the frame's start, in bytes
         * @return this builder
         */
        public LengthFieldBuilder lengthFieldOffset(int offset) {
            this.lengthFieldOffset = offset;
            return this;
        }

        /**
         * The length field's size: 1, 2, 3, 4 or 8 bytes (default 4).
         *
         * @param bytes the field's size
         * @return this builder
         */
        public LengthFieldBuilder lengthFieldLength(int bytes) {
            this.lengthFieldLength = bytes;
            return this;
        }

        /**
         * Added to the length field's value to get the bytes that follow the field (default 0).
         *
         * @param adjustment the bytes to add, negative to subtract
         * @return this builder
         */
        public LengthFieldBuilder lengthAdjustment(int adjustment) {
            this.lengthAdjustment = adjustment;
            return this;
        }

        /**
         * Bytes cut from the start of each decoded frame (default: the whole header).
         *
         * @param bytes how many bytes to cut
         * @return this builder
         */
        public LengthFieldBuilder initialBytesToStrip(int bytes) {
            this.initialBytesToStrip = bytes;
            return this;
        }

        /**
         * The largest frame accepted, header included (default 1 MiB).
         *
         * @param bytes the limit; a longer frame closes its connection with a {@link CodecException}
         * @return this builder
         */
        public LengthFieldBuilder maxFrameLength(int bytes) {
            this.maxFrameLength = bytes;
            return this;
        }

        /**
         * Whether the length value counts the header (offset bytes and the field) as well as the
         * body, as Netty's {@code lengthIncludesLengthFieldLength}; applies to decoding and
         * encoding alike (default false).
         *
         * @param includes whether the length counts the header
         * @return this builder
         */
        public LengthFieldBuilder lengthIncludesHeader(boolean includes) {
            this.lengthIncludesHeader = includes;
            return this;
        }

        /**
         * The codec.
         *
         * @return the length-field codec, immutable
         * @throws IllegalArgumentException naming the parameter at fault
         */
        public Codec build() {
            int strip = initialBytesToStrip < 0 ? lengthFieldOffset + lengthFieldLength : initialBytesToStrip;
            return new LengthFieldCodec(byteOrder, lengthFieldOffset, lengthFieldLength, lengthAdjustment, strip,
                    maxFrameLength, lengthIncludesHeader);
        }
    }
}
