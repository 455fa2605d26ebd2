package io.jgnet.transport.nio;

import io.jgnet.Options;
import io.jgnet.transport.Address;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Socket;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A loop's poller on a java.nio {@link Selector}. Readiness-based: on a readable key it reads
 * into the loop's one shared direct buffer until the socket is drained (a short read means it
 * is) or {@link #MAX_READS_PER_EVENT} reads were made, so one busy socket cannot starve the rest.
 *
 * <p>Owned by the loop thread except {@link #wakeup()}.
 */
final class NioPoller implements Poller {
    /** Fairness cap: reads of one socket per readiness event. */
    static final int MAX_READS_PER_EVENT = 16;
    /** Fairness cap: connections or datagrams taken per listener event. */
    static final int MAX_ACCEPTS_PER_EVENT = 64;

    final IoEvents events;
    final Selector selector;
    final ByteBuffer readBuffer;
    /** Connects that completed inside connect(): reported at the next poll, never re-entrantly. */
    private final List<NioSocket> connectedAtOnce = new ArrayList<>();
    /** Made once: a method reference written at each select would be a new object per call. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;

    NioPoller(IoEvents events, int readBufferSize) throws IOException {
        this.events = events;
        this.selector = Selector.open();
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        int handled = reportConnectedAtOnce();
        if (handled > 0) {
            timeoutNanos = 0;
        }
        if (timeoutNanos == 0) {
            handled += selector.selectNow(dispatcher);
        } else if (timeoutNanos < 0) {
            handled += selector.select(dispatcher);
        } else {
            // select(timeout) treats 0 as "forever": wait at least one millisecond.
            handled += selector.select(dispatcher, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        }
        return handled;
    }

    private int reportConnectedAtOnce() {
        if (connectedAtOnce.isEmpty()) {
            return 0;
        }
        List<NioSocket> ready = new ArrayList<>(connectedAtOnce);
        connectedAtOnce.clear();
        for (NioSocket socket : ready) {
            events.onConnected(socket.attachment);
        }
        return ready.size();
    }

    private void dispatch(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment instanceof NioSocket socket) {
            socket.handle(key);
        } else if (attachment instanceof NioListener listener) {
            listener.handle();
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public Listener listen(Address address, Options options, boolean perLoop) throws IOException {
        return NioListener.open(this, address, options, perLoop);
    }

    @Override
    public Socket adopt(Object acceptedOrChannel, Object attachment) throws IOException {
        SelectableChannel channel = (SelectableChannel) acceptedOrChannel;
        channel.configureBlocking(false);
        NioSocket socket = new NioSocket(this, channel, attachment);
        socket.register(SelectionKey.OP_READ);
        return socket;
    }

    /** The JDK has no unix datagram channel: say so instead of its "protocol family not supported". */
    static void refuseUnixDatagrams(Address address) {
        if (address.family() == Address.Family.UNIX) {
            throw new UnsupportedOperationException("the nio transport cannot open unix datagram sockets (" + address
                    + "): the JDK has none; the epoll and io_uring transports can");
        }
    }

    @Override
    public Socket connect(Address address, Options options, Object attachment) throws IOException {
        ProtocolFamily family = switch (address.family()) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNIX -> StandardProtocolFamily.UNIX;
        };
        if (address.protocol() == Address.Protocol.DATAGRAM) {
            refuseUnixDatagrams(address);
            DatagramChannel channel = DatagramChannel.open(family);
            try {
                channel.configureBlocking(false);
                NioSocketOptions.setAll(channel, options.connectionOptions());
                channel.connect(address.socketAddress());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            NioSocket socket = new NioSocket(this, channel, attachment);
            socket.register(SelectionKey.OP_READ);
            connectedAtOnce.add(socket);
            return socket;
        }
        SocketChannel channel = SocketChannel.open(family);
        NioSocket socket = new NioSocket(this, channel, attachment);
        try {
            channel.configureBlocking(false);
            NioSocketOptions.setAll(channel, options.connectionOptions());
            if (channel.connect(address.socketAddress())) {
                socket.register(SelectionKey.OP_READ);
                connectedAtOnce.add(socket);
            } else {
                socket.register(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @Override
    public void discard(Object accepted) {
        try {
            ((SelectableChannel) accepted).close();
        } catch (IOException e) {
            // Nothing more to do for a socket nobody will use.
        }
    }

    @Override
    public void close() throws IOException {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // Closing everything anyway.
            }
        }
        selector.close();
    }
}
