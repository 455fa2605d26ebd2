package io.jgnet.transport.iouring;

import io.jgnet.Options;
import io.jgnet.linux.BufRing;
import io.jgnet.linux.CallState;
import io.jgnet.linux.Cqe;
import io.jgnet.linux.ChannelDescriptor;
import io.jgnet.linux.DatagramSender;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.EventFd;
import io.jgnet.linux.Io;
import io.jgnet.linux.IoUring;
import io.jgnet.linux.IoUringSys;
import io.jgnet.linux.Sqe;
import io.jgnet.transport.Address;
import io.jgnet.transport.IoEvents;
import io.jgnet.transport.Listener;
import io.jgnet.transport.Poller;
import io.jgnet.transport.Socket;
import io.jgnet.transport.fd.SocketDescriptors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loop's poller on one io_uring instance: every loop iteration submits what the engine asked
 * for (sends, re-armed receives, accepts, connects, closes) and waits for completions
 * in one {@code io_uring_enter}, then hands each completion to the socket or listener it
 * belongs to.
 *
 * <p>A completion's user data is {@code id << 32 | operation}: {@code id} indexes
 * {@link #handles}, so finding the target of a completion allocates nothing. An id is reused
 * only after every operation submitted for it has completed, so a late completion can never
 * reach the wrong socket.
 *
 * <p>Stream sockets receive into the loop's provided-buffer ring ({@link BufRing}), one receive
 * armed each, multishot with a byte budget where the kernel has it ({@link StreamReceiving}):
 * the kernel picks a buffer when data arrives, the handler reads it in place, and it goes back
 * to the ring after the callback. Datagram listeners receive with a multishot recvmsg into the
 * same buffers, and datagrams go out as sendmsg operations ({@link DatagramRing}). Sockets on a
 * kernel without provided-buffer rings wait with a multishot poll and read the loop's read
 * buffer, as epoll does. Other threads wake the loop through an eventfd whose read stays
 * armed; they signal it only while the loop sleeps (the engine decides that).
 *
 * <p>The ring is created on the loop thread, at the first {@link #poll}: with
 * IORING_SETUP_SINGLE_ISSUER the kernel refuses submissions from any other thread, and the engine
 * opens pollers, and binds listeners, on the thread that starts it. What is asked for before
 * then is armed at the first poll.
 *
 * <p>Owned by the loop thread except {@link #wakeup()}.
 */
final class IoUringPoller implements Poller {
    static final int OP_ACCEPT = 1;
    static final int OP_RECV = 2;
    static final int OP_SEND = 3;
    static final int OP_CONNECT = 4;
    static final int OP_CLOSE = 6;
    static final int OP_CANCEL = 7;
    static final int OP_POLL = 8;
    private static final int OP_WAKE = 9;
    /** A one-shot poll for POLLOUT: a socket full during a sendfile(2) can take more. */
    static final int OP_POLL_OUT = 10;
    /** A file chunk into a socket's pipe, and from the pipe to the socket (see {@link SpliceSending}). */
    static final int OP_SPLICE_IN = 20;
    static final int OP_SPLICE_OUT = 21;
    /**
     * How the loop sends files: {@code sendfile} (the default: sendfile(2) from the loop) or
     * {@code splice} (IORING_OP_SPLICE through a pipe, by the kernel's workers, where the kernel
     * has it). sendfile stays the default because it costs less CPU: measured on kernel 6.18
     * (process-wide, the kernel's workers included), splice took 1.12-1.35x the CPU per 64 MiB
     * file and 1.11-1.18x per 4 KiB file. Splice never blocks the loop on a file missing from
     * the page cache, and answered small files with less latency there (2.3x the requests per
     * second on 4 connections), hence the option.
     */
    static final String FILE_SENDING_PROPERTY = "jgnet.iouring.fileSending";
    /**
     * For tests: {@code single} makes the loop receive as on a kernel without multishot receive
     * (before 6.0) or its byte budget (before 6.17): stream sockets one receive at a time, datagram
     * listeners by a multishot poll and recvfrom. Those kernels answer EINVAL and the loop falls
     * back by itself; this kernel never does, so only this switch keeps that path tested. Read
     * when a loop opens its ring.
     */
    static final String RECEIVE_PROPERTY = "jgnet.iouring.receive";
    private static final int WAKE_ID = 0;

    /** SQ entries: the CQ gets twice as many, and overflow beyond that is kept by the kernel. */
    private static final int RING_ENTRIES = 1024;
    private static final short BUFFER_GROUP = 0;
    /**
     * Provided buffers: a buffer is held only from a receive's completion until its callback
     * returns, so this many serve that many receives completing in one iteration (more get
     * ENOBUFS and are re-armed). Each as large as the engine's read buffer, so that a busy
     * socket is read as fast as epoll reads it.
     */
    private static final int BUFFERS = 128;
    private static final int MAX_BUFFER_SIZE = 64 * 1024;
    static final int MAX_READS_PER_EVENT = 16;
    /**
     * How long a wait for a batch of completions may hold the first one back (kernel 6.12's
     * minimum wait): about what ten 64-byte echo round trips take on a loaded loop.
     */
    private static final long BATCH_WAIT_NANOS = 50_000;
    private static final int MAX_BATCH = 64;
    /** Sockets and listeners below which a wait asks for one completion (see {@link #poll}). */
    private static final int MIN_HANDLES_TO_BATCH = 8;

    final IoEvents events;
    final CallState state = new CallState();
    final SendSegments sendSegments = new SendSegments();
    final DatagramSender datagrams = new DatagramSender(state);
    /** Datagrams received and sent as ring operations (recvmsg, sendmsg). */
    final DatagramRing ringDatagrams = new DatagramRing(this);
    /** For datagrams and poll-driven reads. */
    final ByteBuffer readBuffer;
    final MemorySegment readSegment;
    private final int bufferSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment wakeValue = arena.allocate(ValueLayout.JAVA_LONG);
    private final int wakeFd;
    private final IoUring.Completion dispatch = this::complete;

    IoUring ring;
    private BufRing buffers;
    /** How stream sockets receive into {@link #buffers}; null with it. */
    private StreamReceiving receiving;
    /** Receives as a kernel without multishot receive would ({@link #RECEIVE_PROPERTY}). */
    private boolean oneReceiveAtATime;
    /** Pipes for sending files by splice, or null when files go by sendfile(2). */
    private SplicePipes pipes;
    /** One buffer object per provided buffer, made once, so that delivering a receive allocates nothing. */
    private ByteBuffer[] bufferViews;
    private boolean wakeArmed;
    /** Completions the next wait asks for beyond those of {@link #promptSubmitted}; see {@link #nextBatch}. */
    private int batch = 1;
    /** Operations taken since the last poll that complete when submitted, in the same enter (sends). */
    private int promptSubmitted;
    private volatile boolean closed;

    private Handle[] handles = new Handle[256];
    private int[] freeIds = new int[256];
    private int freeCount;
    private int nextId = 1;
    /** Sockets and listeners to arm (or read again) at the next poll, before it waits. */
    private final List<Handle> due = new ArrayList<>();
    private final List<Handle> dueNow = new ArrayList<>();

    IoUringPoller(IoEvents events, Options options) throws IOException {
        this.events = events;
        this.readBuffer = ByteBuffer.allocateDirect(options.readBufferCap());
        this.readSegment = MemorySegment.ofBuffer(readBuffer);
        this.bufferSize = Math.min(options.readBufferCap(), MAX_BUFFER_SIZE);
        this.wakeFd = EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, state);
    }

    // --------------------------------------------------------------------------- the cycle

    @Override
    public int poll(long timeoutNanos) throws IOException {
        if (ring == null) {
            openRing();
        }
        int handled = armDue();
        if (!wakeArmed) {
            long at = ring.nextSqe();
            Sqe.prepRead(ring.sqes(), at, wakeFd, wakeValue, 0, Long.BYTES, userData(WAKE_ID, OP_WAKE));
            wakeArmed = true;
        }
        boolean wait = timeoutNanos != 0 && handled == 0 && due.isEmpty() && ring.ready() == 0;
        int prompt = promptSubmitted;
        promptSubmitted = 0;
        // A few connections wait for one completion, as they always did: measured on a lone
        // echo connection, the batched wait cost 10-20 us at the median for one enter saved.
        int live = nextId - 1 - freeCount;
        int target = live >= MIN_HANDLES_TO_BATCH ? prompt + batch : 1;
        int result = wait
                ? ring.submitAndWait(target, timeoutNanos < 0 ? -1 : timeoutNanos, BATCH_WAIT_NANOS)
                : ring.submit();
        if (result < 0 && result != -Errno.EINTR && result != -IoUringSys.ETIME
                && result != -Errno.EAGAIN && result != -IoUringSys.EBUSY) {
            throw new ErrnoException("io_uring_enter(fd " + ring.fd() + ")", -result);
        }
        int reaped = ring.reap(dispatch);
        if (wait) {
            batch = nextBatch(reaped - prompt);
        }
        return handled + reaped;
    }

    /**
     * The batch the next wait asks for: as many completions as came unasked-for (receives,
     * accepts, wake-ups) this time, at most a quarter of the handles. So a few connections
     * never wait for a completion that is not coming, and a hundred busy ones are
     * served twenty-five at a time instead of one or two, an {@code io_uring_enter} for each.
     * When fewer come, the minimum wait ends the wait at the first completion after
     * {@link #BATCH_WAIT_NANOS}, and the next batch is what came.
     */
    private int nextBatch(int arrived) {
        int live = nextId - 1 - freeCount;
        return Math.max(1, Math.min(Math.min(arrived, live / 4), MAX_BATCH));
    }

    /** A send (or another operation that completes at once) is submitted with the next poll. */
    void promptOperation() {
        promptSubmitted++;
    }

    private void openRing() throws IOException {
        ring = IoUring.open(RING_ENTRIES, state);
        oneReceiveAtATime = "single".equals(System.getProperty(RECEIVE_PROPERTY));
        if ("splice".equals(System.getProperty(FILE_SENDING_PROPERTY)) && ring.probe().get(Sqe.IORING_OP_SPLICE)) {
            pipes = new SplicePipes(state);
        }
        try {
            buffers = BufRing.register(ring, BUFFER_GROUP, BUFFERS, bufferSize);
            receiving = new StreamReceiving(BUFFER_GROUP, bufferSize, !oneReceiveAtATime);
            bufferViews = new ByteBuffer[BUFFERS];
            for (int bid = 0; bid < BUFFERS; bid++) {
                bufferViews[bid] = buffers.buffers().asSlice(buffers.offset(bid), bufferSize).asByteBuffer();
            }
        } catch (ErrnoException e) {
            // Before 5.19: no provided-buffer rings; sockets then read on readiness.
            buffers = null;
        }
    }

    private int armDue() {
        if (due.isEmpty()) {
            return 0;
        }
        dueNow.addAll(due);
        due.clear();
        for (Handle handle : dueNow) {
            handle.arm();
        }
        int count = dueNow.size();
        dueNow.clear();
        return count;
    }

    /** Arms {@code handle} at the next poll (see {@link Handle#arm}). */
    void armLater(Handle handle) {
        due.add(handle);
    }

    private void complete(long userData, int res, int flags) {
        int id = (int) (userData >>> 32);
        int op = (int) userData;
        if (op == OP_WAKE) {
            wakeArmed = false;
            return;
        }
        if (DatagramRing.operation(op) == DatagramRing.OP_SENDMSG) {
            ringDatagrams.sendCompleted(op);
            op = DatagramRing.OP_SENDMSG;
        }
        Handle handle = id < handles.length ? handles[id] : null;
        if (handle != null) {
            try {
                handle.complete(op, res, flags);
            } catch (RuntimeException | Error e) {
                // An allocation that failed, say: it ends what the completion was for, not the loop.
                handle.completionFailed(e);
            }
        }
    }

    @Override
    public long systemCalls() {
        return state.calls();
    }

    @Override
    public void wakeup() {
        // After close the descriptor number may belong to someone else: never signal it then.
        if (!closed) {
            EventFd.signal(wakeFd);
        }
    }

    // ---------------------------------------------------------------------- handles, SQEs

    static long userData(int id, int op) {
        return (long) id << 32 | op;
    }

    int register(Handle handle) {
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = nextId++;
            if (id >= handles.length) {
                handles = Arrays.copyOf(handles, handles.length * 2);
            }
        }
        handles[id] = handle;
        return id;
    }

    /** Forgets {@code id}: every operation submitted for it has completed. */
    void release(int id) {
        handles[id] = null;
        if (freeCount == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        freeIds[freeCount++] = id;
    }

    /** Whether operations can be submitted now: the ring exists (the loop has polled once). */
    boolean ringOpen() {
        return ring != null;
    }

    MemorySegment sqes() {
        return ring.sqes();
    }

    long nextSqe() {
        return ring.nextSqe();
    }

    /** The provided-buffer ring, or null when the kernel has none (then reads go by readiness). */
    /** Whether {@link #RECEIVE_PROPERTY} asked this loop to receive one at a time. */
    boolean oneReceiveAtATime() {
        return oneReceiveAtATime;
    }

    BufRing buffers() {
        return buffers;
    }

    /** How stream sockets receive into {@link #buffers()}; null when that is null. */
    StreamReceiving receiving() {
        return receiving;
    }

    /** The pipes files are spliced through, or null when they go by sendfile(2). */
    SplicePipes pipes() {
        return pipes;
    }

    /** Provided buffer {@code bid}, holding {@code length} bytes from position 0. */
    ByteBuffer bufferView(int bid, int length) {
        return bufferViews[bid].limit(length).position(0);
    }

    /** Closes {@code fd} now, for sockets no operation was ever submitted for. */
    void closeFd(int fd) {
        SocketDescriptors.closeQuietly(fd, state);
    }

    // ----------------------------------------------------------------------------- seam

    @Override
    public Listener listen(Address address, Options options, boolean perLoop) throws IOException {
        return IoUringListener.open(this, address, options, perLoop);
    }

    @Override
    public Socket adopt(Object acceptedOrChannel, Object attachment) throws IOException {
        if (acceptedOrChannel instanceof NetworkChannel channel) {
            return enroll(channel, attachment);
        }
        if (!(acceptedOrChannel instanceof IoUringListener.Accepted accepted)) {
            throw new IllegalArgumentException("the io_uring transport cannot adopt " + acceptedOrChannel);
        }
        IoUringSocket socket = new IoUringSocket(this, accepted.fd(), false, attachment, accepted.remote(), null);
        socket.packRemote();
        armLater(socket);
        return socket;
    }

    @Override
    public Socket connect(Address address, Options options, Object attachment) throws IOException {
        boolean datagram = address.protocol() == Address.Protocol.DATAGRAM;
        int fd = SocketDescriptors.socket(address, state);
        IoUringSocket socket;
        try {
            SocketDescriptors.prepareDial(fd, address, options, state);
            socket = new IoUringSocket(this, fd, datagram, attachment, address.socketAddress(), null);
        } catch (IOException | RuntimeException e) {
            closeFd(fd);
            throw e;
        }
        socket.startConnect(address.socketAddress());
        return socket;
    }

    @Override
    public void discard(Object accepted) {
        if (accepted instanceof IoUringListener.Accepted a) {
            closeFd(a.fd());
        }
    }

    /** Serves a user's connected JDK channel through its own descriptor (see {@link ChannelDescriptor}). */
    private Socket enroll(NetworkChannel channel, Object attachment) throws IOException {
        SocketDescriptors.Enrolled enrolled = SocketDescriptors.Enrolled.of(channel, state);
        IoUringSocket socket = new IoUringSocket(this, enrolled.fd(), enrolled.datagram(), attachment,
                enrolled.remote(), channel);
        armLater(socket);
        return socket;
    }

    /**
     * Cancels everything in flight and waits (bounded) for the cancellations, so that no
     * operation still uses a descriptor or a buffer when they are freed; then closes every
     * socket and listener, the buffer ring and the ring.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            if (ring != null) {
                long at = ring.nextSqe();
                Sqe.prepCancel(ring.sqes(), at, 0, -1, Sqe.IORING_ASYNC_CANCEL_ANY | Sqe.IORING_ASYNC_CANCEL_ALL,
                        userData(WAKE_ID, OP_CANCEL));
                for (int round = 0; round < 100 && anyInFlight(); round++) {
                    ring.submitAndWait(1, 10_000_000L);
                    ring.reap(this::completeClosing);
                }
            }
            for (Handle handle : handles) {
                if (handle != null) {
                    handle.closeNow();
                }
            }
            if (buffers != null) {
                buffers.close();
            }
            if (pipes != null) {
                pipes.closeAll();
            }
        } finally {
            if (ring != null) {
                ring.close();
            }
            Io.close(wakeFd, state);
            datagrams.close();
            ringDatagrams.close();
            arena.close();
        }
    }

    private boolean anyInFlight() {
        if (wakeArmed) {
            return true;
        }
        for (Handle handle : handles) {
            if (handle != null && handle.inFlight > 0) {
                return true;
            }
        }
        return false;
    }

    /** While closing: count completions down, but raise no more events. */
    private void completeClosing(long userData, int res, int flags) {
        int id = (int) (userData >>> 32);
        int op = (int) userData;
        if (op == OP_WAKE) {
            wakeArmed = false;
            return;
        }
        Handle handle = id < handles.length ? handles[id] : null;
        if (handle != null && (op == OP_CANCEL || (flags & Cqe.IORING_CQE_F_MORE) == 0)) {
            handle.inFlight--;
        }
        if (handle != null && (op == OP_RECV || op == DatagramRing.OP_RECVMSG)
                && (flags & Cqe.IORING_CQE_F_BUFFER) != 0) {
            buffers.recycle(Cqe.bufferId(flags));
        }
    }

    /** Something with operations on the ring: a socket or a listener. Loop thread only. */
    abstract static class Handle {
        final IoUringPoller poller;
        final int id;
        /** Operations submitted and not yet completed (a multishot one until its last CQE). */
        int inFlight;

        Handle(IoUringPoller poller) {
            this.poller = poller;
            this.id = poller.register(this);
        }

        /** Submits what this handle waits for now (called at a poll, on the loop thread). */
        abstract void arm();

        /** One completion of an operation submitted for this handle. */
        abstract void complete(int op, int res, int flags);

        /** The poller is closing and nothing is in flight: release the descriptor now. */
        abstract void closeNow();

        /**
         * Handling a completion of this handle threw {@code failure}. A socket fails its
         * connection with it; by default the loop fails, as before.
         */
        void completionFailed(Throwable failure) {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }

        /** Takes an SQE for this handle's operation {@code op}, counting it in flight. */
        long sqe() {
            inFlight++;
            return poller.nextSqe();
        }

        long userData(int op) {
            return IoUringPoller.userData(id, op);
        }

        /** Cancels every operation of this handle on {@code fd}. */
        void cancelAll(int fd) {
            long at = sqe();
            Sqe.prepCancel(poller.sqes(), at, 0, fd, Sqe.IORING_ASYNC_CANCEL_FD | Sqe.IORING_ASYNC_CANCEL_ALL,
                    userData(OP_CANCEL));
        }
    }
}
