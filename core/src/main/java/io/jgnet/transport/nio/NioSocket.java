package io.jgnet.transport.nio;

import io.jgnet.transport.FileRegion;
import io.jgnet.transport.OutboundRegion;
import io.jgnet.transport.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * A connected stream or datagram channel on a {@link NioPoller}. Write interest is armed only
 * while output is pending. Owned by the loop thread.
 */
final class NioSocket implements Socket {
    private final NioPoller poller;
    private final SelectableChannel channel;
    private final ByteChannel bytes;
    private final boolean datagram;
    final Object attachment;
    private SelectionKey key;
    private SocketAddress local;
    private SocketAddress remote;
    private NioSocketOptions memberships;
    private boolean closed;

    NioSocket(NioPoller poller, SelectableChannel channel, Object attachment) {
        this.poller = poller;
        this.channel = channel;
        this.bytes = (ByteChannel) channel;
        this.datagram = channel instanceof DatagramChannel;
        this.attachment = attachment;
    }

    void register(int ops) throws IOException {
        key = channel.register(poller.selector, ops, this);
    }

    /** Dispatches one ready key. */
    void handle(SelectionKey readyKey) {
        try {
            int ready = readyKey.readyOps();
            if ((ready & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
                return;
            }
            if ((ready & SelectionKey.OP_READ) != 0) {
                readUntilDrained();
            }
            if ((ready & SelectionKey.OP_WRITE) != 0 && readyKey.isValid()) {
                readyKey.interestOps(readyKey.interestOps() & ~SelectionKey.OP_WRITE);
                poller.events.onWritable(attachment);
            }
        } catch (CancelledKeyException e) {
            // Closed by the handler during this dispatch: nothing left to do.
        }
    }

    private void finishConnect() {
        try {
            ((SocketChannel) channel).finishConnect();
            key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            poller.events.onError(attachment, e);
            return;
        }
        poller.events.onConnected(attachment);
    }

    private void readUntilDrained() {
        ByteBuffer buffer = poller.readBuffer;
        // Stop as soon as the handler suspends reading (backpressure) or the key goes away.
        for (int i = 0; i < NioPoller.MAX_READS_PER_EVENT && key.isValid()
                && (key.interestOps() & SelectionKey.OP_READ) != 0; i++) {
            buffer.clear();
            int n;
            try {
                n = bytes.read(buffer);
            } catch (IOException e) {
                poller.events.onError(attachment, e);
                return;
            }
            if (n > 0) {
                buffer.flip();
                poller.events.onRead(attachment, buffer);
                // A short stream read means the socket is drained: skip the read that would
                // only say EAGAIN. Datagrams come one per read, so keep going for those.
                if (!datagram && n < buffer.capacity()) {
                    return;
                }
            } else if (n < 0) {
                poller.events.onReadEnd(attachment);
                return;
            } else {
                return;
            }
        }
    }

    @Override
    public void flush(OutboundRegion out) throws IOException {
        while (!out.isEmpty()) {
            boolean tookAll = out.file() != null ? sendFile(out) : sendBytes(out);
            if (!tookAll) {
                break; // the socket is full: OP_WRITE says when to go on
            }
        }
        if (!out.isEmpty()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    /** Sends the lent region; false if the socket took less (it is full). */
    private boolean sendBytes(OutboundRegion out) throws IOException {
        ByteBuffer pending = out.region();
        int start = pending.position();
        try {
            while (pending.hasRemaining()) {
                if (bytes.write(pending) == 0) {
                    return false;
                }
            }
            return true;
        } finally {
            out.sent(pending.position() - start);
        }
    }

    /**
     * Sends the head file region with {@link FileChannel#transferTo}, which on Linux is
     * sendfile(2) to this socket; false if the socket took less than the whole region.
     */
    private boolean sendFile(OutboundRegion out) throws IOException {
        FileRegion file = out.file();
        FileChannel channel = file.channel();
        long wanted = file.remaining();
        long n = channel.transferTo(file.position(), wanted, bytes);
        if (n == 0 && file.position() >= channel.size()) {
            throw new IOException("the file ended at offset " + file.position() + " with " + wanted
                    + " bytes of the region unsent: it shrank after it was queued");
        }
        out.fileSent(n);
        return n == wanted;
    }

    @Override
    public void sendDatagram(ByteBuffer datagram, SocketAddress to) throws IOException {
        if (to == null || to.equals(remoteAddress())) {
            bytes.write(datagram);
        } else {
            // A connected DatagramChannel sends only to its peer (the kernel would not mind).
            throw new UnsupportedOperationException("the nio transport cannot send from a connected UDP socket to "
                    + to + ", only to its peer " + remoteAddress() + "; send from a UDP listener, or use epoll or"
                    + " io_uring");
        }
    }

    @Override
    public void readInterest(boolean on) {
        if (key.isValid()) {
            int ops = key.interestOps();
            key.interestOps(on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (channel instanceof SocketChannel socket) {
            socket.shutdownOutput();
        }
    }

    @Override
    public long discardInput() throws IOException {
        if (datagram) {
            return 0;
        }
        ByteBuffer scratch = poller.readBuffer;
        long dropped = 0;
        for (int i = 0; i < 256; i++) {
            int n = bytes.read(scratch.clear());
            if (n < 0) {
                return -1;
            }
            if (n == 0) {
                break;
            }
            dropped += n;
        }
        return dropped;
    }

    @Override
    public long unacknowledgedOutput() {
        // The JDK does not give out the descriptor (for SIOCOUTQ): the kernel's TCP table says it too.
        if (datagram || !(localAddress() instanceof InetSocketAddress local)
                || !(remoteAddress() instanceof InetSocketAddress remote)) {
            return -1;
        }
        return ProcNetTcp.sendQueue(local, remote);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // The descriptor is released even when close reports an error.
        }
        poller.events.onClosed(attachment);
    }

    @Override
    public SocketAddress localAddress() {
        if (local == null) {
            try {
                local = ((NetworkChannel) channel).getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remote == null) {
            try {
                remote = channel instanceof SocketChannel socket ? socket.getRemoteAddress()
                        : ((DatagramChannel) channel).getRemoteAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return remote;
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        NioSocketOptions.set((NetworkChannel) channel, option, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return NioSocketOptions.get((NetworkChannel) channel, option);
    }

    @Override
    public void membership(boolean join, InetAddress group, NetworkInterface nif) throws IOException {
        if (memberships == null) {
            memberships = new NioSocketOptions();
        }
        memberships.membership((DatagramChannel) channel, join, group, nif);
    }
}
