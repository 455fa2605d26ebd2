package io.jgnet.engine;

import io.jgnet.transport.OutboundRegion;
import io.jgnet.transport.Transport;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Socket;
import io.jgnet.transport.Listener;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Address;
import io.jgnet.Options;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A transport with no kernel: a test plays the kernel and the peers (the engine's own unit
 * tests, and {@link EmbeddedConnection} for users' handler tests). Each loop gets a
 * {@link MemoryPoller}; the test makes things happen with {@link #onLoop}, which runs a step on
 * the loop thread inside {@code poll} exactly where a real transport would report events, and
 * waits for it. Sockets are {@link MemorySocket}s whose "kernel" holds bytes the engine is not
 * reading, takes output up to a window the test sets, and remembers shutdowns and closes.
 *
 * <p>Thread-safety: {@link #onLoop} from the test thread; everything else on the loop thread.
 */
final class MemoryTransport implements Transport {
    final List<MemoryPoller> pollers = new ArrayList<>();

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public synchronized Poller openPoller(IoEvents events, Options options) {
        MemoryPoller poller = new MemoryPoller(events);
        pollers.add(poller);
        return poller;
    }

    /** The poller of loop {@code index} (in creation order; an acceptor loop comes after the loops). */
    synchronized MemoryPoller poller(int index) {
        return pollers.get(index);
    }

    /** Runs {@code step} on the loop of {@code poller}, as an I/O event, and returns its result. */
    static <T> T onLoop(MemoryPoller poller, Supplier<T> step) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        poller.steps.add(() -> {
            try {
                T result = step.get();
                // Reported at the next poll, once the loop has run the tasks, timers and flushes
                // the step caused: the test then sees the iteration's outcome, not half of it.
                poller.afterIteration = () -> done.complete(result);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        poller.wakeup();
        return done.get(20, TimeUnit.SECONDS);
    }

    static void onLoop(MemoryPoller poller, Runnable step) throws Exception {
        onLoop(poller, () -> {
            step.run();
            return null;
        });
    }

    /** A loop's poller: runs the test's steps as its events; wakes on {@link #wakeup}. */
    static final class MemoryPoller implements Poller {
        final IoEvents events;
        final ConcurrentLinkedQueue<Runnable> steps = new ConcurrentLinkedQueue<>();
        private final BlockingQueue<Object> wakeups = new LinkedBlockingQueue<>();
        /** Sockets whose kernel has something to report now that they are read again. */
        final ArrayDeque<MemorySocket> readable = new ArrayDeque<>();
        /** The listeners bound on this poller, in order. */
        final List<MemoryListener> listeners = new ArrayList<>();
        /** Completes the last step's wait, at the start of the next iteration. Loop thread only. */
        private Runnable afterIteration;
        /** Thrown from the next poll: lets the engine's tests see a loop that cannot go on. */
        volatile Throwable failNextPoll;
        /** How long the last poll was allowed to wait (0: the loop had work and did not sleep). */
        volatile long lastTimeoutNanos;

        MemoryPoller(IoEvents events) {
            this.events = events;
        }

        @Override
        public int poll(long timeoutNanos) throws IOException {
            lastTimeoutNanos = timeoutNanos;
            Runnable finished = afterIteration;
            if (finished != null) {
                afterIteration = null;
                finished.run();
            }
            if (steps.isEmpty() && readable.isEmpty() && timeoutNanos != 0) {
                try {
                    if (timeoutNanos < 0) {
                        wakeups.take();
                    } else {
                        wakeups.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            wakeups.clear();
            Throwable failure = failNextPoll;
            if (failure != null) {
                failNextPoll = null;
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (IOException) failure;
            }
            int handled = 0;
            while (!readable.isEmpty()) {
                readable.poll().deliverHeld();
                handled++;
            }
            // One step per poll: the loop then runs its tasks, timers and flushes before the
            // next, so each step sees what the previous one caused, as a peer would.
            Runnable step = steps.poll();
            if (step != null) {
                step.run();
                handled++;
            }
            return handled;
        }

        @Override
        public void wakeup() {
            wakeups.offer(Boolean.TRUE);
        }

        @Override
        public Listener listen(Address address, Options options, boolean reusePort) {
            MemoryListener listener = new MemoryListener(this, address);
            listeners.add(listener);
            return listener;
        }

        @Override
        public Socket adopt(Object acceptedOrChannel, Object attachment) {
            MemorySocket socket = (MemorySocket) acceptedOrChannel;
            socket.attachment = attachment;
            return socket;
        }

        @Override
        public Socket connect(Address address, Options options, Object attachment) {
            MemorySocket socket = new MemorySocket(this, address.socketAddress());
            socket.attachment = attachment;
            steps.add(() -> events.onConnected(attachment));
            return socket;
        }

        @Override
        public void discard(Object accepted) {
            ((MemorySocket) accepted).close();
        }

        @Override
        public String whyNotEnrollable(NetworkChannel channel) {
            return "the memory transport has no channels";
        }

        @Override
        public void close() {
        }
    }

    /** A listener the test connects to with {@link #connect}. */
    static final class MemoryListener implements Listener {
        private final MemoryPoller poller;
        private final Address address;
        private int nextPort = 40_000;
        boolean paused;
        /** How often the engine paused and resumed accepting (read on the loop thread). */
        int pauses;
        int resumes;

        MemoryListener(MemoryPoller poller, Address address) {
            this.poller = poller;
            this.address = address;
        }

        /**
         * A peer connects, but the accept fails for want of descriptors (EMFILE or ENFILE: the
         * engine cannot tell them apart, nor need it). Loop thread.
         */
        void refuseForWantOfDescriptors() {
            poller.events.onDescriptorsExhausted(this);
        }

        /** A peer connects; on the loop, the listener accepts it at once. Returns the server side's socket. */
        MemorySocket connect() {
            MemorySocket socket = new MemorySocket(poller, new InetSocketAddress("127.0.0.1", nextPort++));
            poller.events.onAccept(this, socket, socket.remote);
            return socket;
        }

        @Override
        public SocketAddress localAddress() {
            return address.socketAddress();
        }

        @Override
        public Address address() {
            return address;
        }

        @Override
        public void send(ByteBuffer datagram, SocketAddress to) {
            throw new UnsupportedOperationException("stream listener");
        }

        @Override
        public <T> void setOption(SocketOption<T> option, T value) {
            throw noOption(option);
        }

        @Override
        public <T> T getOption(SocketOption<T> option) {
            throw noOption(option);
        }

        @Override
        public void membership(boolean join, InetAddress group, NetworkInterface nif) {
            throw noOption(null);
        }

        @Override
        public boolean perLoop() {
            return true;
        }

        @Override
        public void pauseAccepting() {
            paused = true;
            pauses++;
        }

        @Override
        public void resumeAccepting() {
            paused = false;
            resumes++;
        }

        @Override
        public void close() {
        }
    }

    /**
     * One connected socket and the kernel under it. Bytes "from the peer" are delivered at once
     * while the engine reads, else held; a hang-up or end of stream is reported like epoll does:
     * a hang-up only while not reading, and what is held is delivered, then the end, once
     * reading resumes. Output is taken up to {@link #window} bytes, the rest waits for
     * {@link #drain}.
     */
    static final class MemorySocket implements Socket {
        private final MemoryPoller poller;
        final SocketAddress remote;
        Object attachment;
        boolean reading = true;
        boolean outputShut;
        boolean closed;
        private boolean ended;
        private boolean hungUp;
        private final ArrayDeque<byte[]> held = new ArrayDeque<>();
        /** What the engine sent, as the peer would read it. */
        final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        /** A window the kernel never closes: the peer reads all that comes, however much over the connection's life. */
        static final int UNLIMITED = Integer.MAX_VALUE;
        /**
         * How many more bytes the kernel takes before the engine must wait for writability, or
         * {@link #UNLIMITED}: that is not counted down, else a reading peer would stall after 2 GiB.
         */
        int window = UNLIMITED;
        /** Thrown by the next flush (ENOBUFS, ENOMEM...): a send the kernel refuses. */
        IOException failNextFlush;
        /** Output the peer has not acknowledged, as SIOCOUTQ says. Loop thread. */
        long unacknowledged;
        /** What each look for unread input finds: a peer that keeps sending after our FIN. Loop thread. */
        long unreadEachLook;

        MemorySocket(MemoryPoller poller, SocketAddress remote) {
            this.poller = poller;
            this.remote = remote;
        }

        /** The peer sent {@code bytes}. Loop thread. */
        void peerSends(byte[] bytes) {
            held.add(bytes);
            if (reading) {
                deliverHeld();
            }
        }

        /** The peer shut down its output (FIN). Loop thread. */
        void peerEnds() {
            ended = true;
            if (reading) {
                deliverHeld();
            }
        }

        /** The peer is gone both ways after sending what it sent (hang-up, no error). Loop thread. */
        void peerHangsUp() {
            ended = true;
            hungUp = true;
            if (reading) {
                deliverHeld();
            } else {
                poller.events.onHangUp(attachment);
            }
        }

        /** The peer reset the connection. Loop thread. */
        void peerResets() {
            poller.events.onError(attachment, new IOException("connection reset by peer"));
        }

        /** The peer read {@code n} bytes: the kernel takes that many more, and says it is writable. Loop thread. */
        void drain(int n) {
            window = n;
            if (!closed) {
                poller.events.onWritable(attachment);
            }
        }

        void deliverHeld() {
            while (reading && !closed && !held.isEmpty()) {
                poller.events.onRead(attachment, ByteBuffer.wrap(held.poll()));
            }
            if (reading && !closed && ended && held.isEmpty()) {
                ended = false;
                poller.events.onReadEnd(attachment);
            }
        }

        boolean hasHungUp() {
            return hungUp;
        }

        @Override
        public void flush(OutboundRegion out) throws IOException {
            if (closed || outputShut) {
                throw new IOException("broken pipe");
            }
            IOException failure = failNextFlush;
            if (failure != null) {
                failNextFlush = null;
                throw failure;
            }
            io.jgnet.transport.FileRegion file = out.file();
            if (file != null) {
                // The in-memory peer reads the file's bytes; the window applies as to any bytes.
                ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(file.remaining(), window));
                int read = file.channel().read(bytes, file.position());
                if (read <= 0 && bytes.hasRemaining()) {
                    throw new IOException("the file ended at offset " + file.position());
                }
                sent.write(bytes.array(), 0, bytes.position());
                took(bytes.position());
                out.fileSent(bytes.position());
                if (!out.isEmpty() && window > 0) {
                    flush(out);
                }
                return;
            }
            ByteBuffer region = out.region();
            int n = Math.min(region.remaining(), window);
            byte[] bytes = new byte[n];
            region.get(bytes);
            sent.writeBytes(bytes);
            took(n);
            out.sent(n);
        }

        private void took(int n) {
            if (window != UNLIMITED) {
                window -= n;
            }
        }

        @Override
        public void sendDatagram(ByteBuffer datagram, SocketAddress to) {
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            sent.writeBytes(bytes);
        }

        @Override
        public void readInterest(boolean on) {
            boolean was = reading;
            reading = on;
            if (on && !was && (!held.isEmpty() || ended)) {
                poller.readable.add(this);
            }
        }

        @Override
        public void shutdownOutput() {
            outputShut = true;
        }

        @Override
        public long discardInput() {
            return unreadEachLook;
        }

        @Override
        public long unacknowledgedOutput() {
            return unacknowledged;
        }

        /** Closes at once, as a readiness transport does: the socket is gone within the call. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                poller.events.onClosed(attachment);
            }
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 9);
        }

        @Override
        public SocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public <T> void setOption(SocketOption<T> option, T value) {
        }

        @Override
        public <T> T getOption(SocketOption<T> option) {
            throw noOption(option);
        }

        @Override
        public void membership(boolean join, InetAddress group, NetworkInterface nif) {
            throw noOption(null);
        }
    }

    /** What the in-memory transport says to a socket option (or, for null, multicast): it has none. */
    private static UnsupportedOperationException noOption(SocketOption<?> option) {
        return new UnsupportedOperationException("the in-memory transport has no "
                + (option == null ? "multicast" : "socket option " + option.name()));
    }
}
