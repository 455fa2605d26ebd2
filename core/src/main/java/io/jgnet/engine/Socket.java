package io.jgnet.engine;

import io.jgnet.buffer.ElasticBuffer;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * One connected socket as the engine sees it. Owned by the loop thread of its poller.
 */
public interface Socket {

    /**
     * Sends as much of {@code out} as the kernel takes now, consuming what was sent. When bytes
     * remain, the poller reports {@link IoEvents#onWritable} once more can go (and the engine
     * calls flush again). Returns {@code true} when {@code out} is empty.
     */
    boolean flush(ElasticBuffer out) throws IOException;

    /** Sends one datagram on a connected datagram socket, bypassing any buffering. */
    void sendDatagram(ByteBuffer datagram) throws IOException;

    /** Stops or resumes reading (used while a connection drains its output before closing). */
    void readInterest(boolean on);

    /** Shuts down the sending side after the output is sent (half-close). */
    void shutdownOutput() throws IOException;

    /** Closes the socket. Idempotent. */
    void close();

    /** Whether this is a datagram socket. */
    boolean isDatagram();

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    <T> void setOption(SocketOption<T> option, T value) throws IOException;
}
