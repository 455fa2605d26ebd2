package io.jgnet.transport.nio;

import io.jgnet.Options;
import io.jgnet.transport.Address;
import io.jgnet.transport.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A bound stream or datagram listener on a {@link NioPoller}. Owned by the loop thread.
 */
final class NioListener implements Listener {
    /** Pending connections the kernel may queue: large, since bursts of connects are normal. */
    private static final int BACKLOG = 4096;

    private final NioPoller poller;
    private final Address address;
    private final NetworkChannel channel;
    private final boolean perLoop;
    private final SocketAddress local;
    private SelectionKey key;
    private NioSocketOptions memberships;
    private boolean closed;

    private NioListener(NioPoller poller, Address address, NetworkChannel channel, boolean perLoop) throws IOException {
        this.poller = poller;
        this.address = address;
        this.channel = channel;
        this.perLoop = perLoop;
        this.local = channel.getLocalAddress();
    }

    static NioListener open(NioPoller poller, Address address, Options options, boolean perLoop) throws IOException {
        ProtocolFamily family = switch (address.family()) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNIX -> StandardProtocolFamily.UNIX;
        };
        if (address.protocol() == Address.Protocol.DATAGRAM) {
            NioPoller.refuseUnixDatagrams(address);
            DatagramChannel channel = DatagramChannel.open(family);
            try {
                // No SO_REUSEADDR unless asked for: on UDP it lets a second socket take the port.
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, false);
                if (perLoop) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                if (options.socketReceiveBuffer() > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, options.socketReceiveBuffer());
                }
                if (options.socketSendBuffer() > 0) {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, options.socketSendBuffer());
                }
                NioSocketOptions.setAll(channel, options.listenerOptions());
                channel.bind(address.socketAddress());
                channel.configureBlocking(false);
                NioListener listener = new NioListener(poller, address, channel, perLoop);
                listener.key = channel.register(poller.selector, SelectionKey.OP_READ, listener);
                return listener;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        ServerSocketChannel channel = ServerSocketChannel.open(family);
        try {
            if (address.family() == Address.Family.UNIX) {
                address.removeStaleUnixSocket();
            } else {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddr());
                if (perLoop) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            if (options.socketReceiveBuffer() > 0) {
                // Set on the listener so accepted sockets inherit it before the handshake.
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.socketReceiveBuffer());
            }
            NioSocketOptions.setAll(channel, options.listenerOptions());
            channel.bind(address.socketAddress(), BACKLOG);
            channel.configureBlocking(false);
            NioListener listener = new NioListener(poller, address, channel, perLoop);
            listener.key = channel.register(poller.selector, SelectionKey.OP_ACCEPT, listener);
            return listener;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Accepts pending connections, or receives pending datagrams, up to the fairness cap. */
    void handle() {
        try {
            if (channel instanceof ServerSocketChannel server) {
                for (int i = 0; i < NioPoller.MAX_ACCEPTS_PER_EVENT && !closed; i++) {
                    SocketChannel accepted = server.accept();
                    if (accepted == null) {
                        return;
                    }
                    poller.events.onAccept(this, accepted, accepted.getRemoteAddress());
                }
            } else {
                DatagramChannel datagrams = (DatagramChannel) channel;
                ByteBuffer buffer = poller.readBuffer;
                for (int i = 0; i < NioPoller.MAX_ACCEPTS_PER_EVENT && !closed; i++) {
                    buffer.clear();
                    SocketAddress sender = datagrams.receive(buffer);
                    if (sender == null) {
                        return;
                    }
                    buffer.flip();
                    poller.events.onDatagram(this, buffer, sender);
                }
            }
        } catch (IOException e) {
            if (outOfDescriptors(e)) {
                poller.events.onDescriptorsExhausted(this);
                return;
            }
            // Anything else: the listener stays; the next readiness event tries again.
            System.getLogger("io.jgnet").log(System.Logger.Level.WARNING, "listener " + address + ": " + e);
        }
    }

    /**
     * Whether accept failed with EMFILE, ENFILE, ENOBUFS or ENOMEM: a shortage that closing
     * connections relieves, so the listener pauses. The JDK says so only in the message, which is
     * strerror's text ("Too many open files", "... in system"); the JDK formats it without the
     * locale, so the text is stable.
     */
    static boolean outOfDescriptors(IOException e) {
        String message = e.getMessage();
        return message != null && (message.startsWith("Too many open files")
                || message.startsWith("No buffer space available") || message.startsWith("Cannot allocate memory"));
    }

    @Override
    public void pauseAccepting() {
        if (key != null && key.isValid()) {
            key.interestOps(0);
        }
    }

    @Override
    public void resumeAccepting() {
        if (key != null && key.isValid()) {
            key.interestOps(channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public void send(ByteBuffer datagram, SocketAddress to) throws IOException {
        ((DatagramChannel) channel).send(datagram, to);
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        NioSocketOptions.set(channel, option, value);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return NioSocketOptions.get(channel, option);
    }

    @Override
    public void membership(boolean join, InetAddress group, NetworkInterface nif) throws IOException {
        if (memberships == null) {
            memberships = new NioSocketOptions();
        }
        memberships.membership((DatagramChannel) channel, join, group, nif);
    }

    @Override
    public boolean perLoop() {
        return perLoop;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // Released regardless.
        }
        address.deleteUnixSocketFile();
    }
}
