package io.jgnet.transport.iouring;

import static io.jgnet.transport.iouring.IoUringPoller.OP_CANCEL;
import static io.jgnet.transport.iouring.IoUringPoller.OP_CLOSE;
import static io.jgnet.transport.iouring.IoUringPoller.OP_CONNECT;
import static io.jgnet.transport.iouring.IoUringPoller.OP_POLL;
import static io.jgnet.transport.iouring.IoUringPoller.OP_POLL_OUT;
import static io.jgnet.transport.iouring.IoUringPoller.OP_RECV;
import static io.jgnet.transport.iouring.IoUringPoller.OP_SEND;
import static io.jgnet.transport.iouring.IoUringPoller.OP_SPLICE_IN;
import static io.jgnet.transport.iouring.IoUringPoller.OP_SPLICE_OUT;

import io.jgnet.linux.Cqe;
import io.jgnet.linux.Epoll;
import io.jgnet.linux.Errno;
import io.jgnet.linux.ErrnoException;
import io.jgnet.linux.Io;
import io.jgnet.linux.IoUringSys;
import io.jgnet.linux.JdkSocketOptions;
import io.jgnet.linux.Multicast;
import io.jgnet.linux.SockAddr;
import io.jgnet.linux.Sockets;
import io.jgnet.linux.Sqe;
import io.jgnet.transport.FileRegion;
import io.jgnet.transport.OutboundRegion;
import io.jgnet.transport.fd.FileSending;
import io.jgnet.transport.fd.PeerAddress;
import io.jgnet.transport.Socket;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * One connected socket on an {@link IoUringPoller}. Owned by the loop thread.
 *
 * <p><b>Reading</b> is a multishot receive into buffers the kernel picks from the loop's
 * provided buffers, with a byte budget per arming and re-armed when it ends (the budget is
 * spent, or the ring ran dry: ENOBUFS), or one receive at a time, re-armed at each completion,
 * on a kernel without that ({@link StreamReceiving}); a dialed datagram socket receives one
 * datagram per receive from the same buffers; without provided-buffer rings, a multishot poll
 * and reads. A datagram written to the peer goes as a sendmsg operation ({@link DatagramRing}).
 * Suspending cancels the receive; bytes whose
 * completion was already on its way, at most one arming's budget and a buffer, are kept
 * ({@link SuspendedInput}) and handed over, before anything new, when reading resumes, and an
 * end of stream seen meanwhile follows them. On a datagram socket that is at most the one
 * datagram the receive took, handed over whole; the datagrams after it wait in the kernel's
 * receive buffer, which drops new ones once full, as UDP does. A peer that hangs up while reading is off loses
 * nothing: the receive armed on resume reads what the kernel still holds, then the end of stream.
 *
 * <p><b>Sending</b> is one send per flush of the region the engine lends
 * ({@link OutboundRegion#region()}); it stays lent until the completion, which reports
 * {@link OutboundRegion#sent} and asks the engine to flush again (the rest of a partial send,
 * or what was written meanwhile). A file region is sent by the loop itself with sendfile(2) on
 * the non-blocking socket; when the socket is full, a one-shot POLLOUT poll on the ring says when
 * to go on. Asked for ({@code -Djgnet.iouring.fileSending=splice}) and where the kernel has it,
 * it goes by IORING_OP_SPLICE through a pipe instead ({@link SpliceSending}), which never blocks
 * the loop on a file missing from the page cache, at the cost of two operations run by kernel
 * workers per chunk.
 *
 * <p><b>Closing</b> cancels what is in flight on the descriptor and closes it with a ring
 * operation once every operation has completed, so that no operation outlives the descriptor
 * and the descriptor number is not reused under one. A region lent at that moment goes back to
 * the engine with the send's (cancelled) completion; the close's own completion is reported as
 * {@link io.jgnet.transport.IoEvents#onClosed}, the last event of the socket.
 */
final class IoUringSocket extends IoUringPoller.Handle implements Socket {
    /** The cause when even the words for a failed completion cannot be allocated. */
    private static final IOException COMPLETION_FAILED =
            new IOException("handling a completion failed, and there was no memory to say more");
    private final int fd;
    private final boolean datagram;
    private final Object attachment;
    /** The peer's address; null while it is {@link #packedRemote} and no one asked for it. */
    private SocketAddress remote;
    /** An accepted IPv4 peer's address, packed until asked for (see {@link PeerAddress}). */
    private long packedRemote = PeerAddress.NONE;
    /** For an enrolled JDK channel: its owner, closed in place of the bare descriptor. */
    private final Closeable channel;
    /** Receives into provided buffers (else: poll, then read). */
    private final boolean providedBuffers;
    private SocketAddress local;

    private boolean connecting;
    private boolean connectSubmitted;
    private MemorySegment connectAddress;
    private int connectAddressLength;

    private boolean wantRead = true;
    private boolean readArmed;
    private boolean cancelPending;
    /** End of stream or a read error was reported: nothing more is read. */
    private boolean ended;
    /** The current receive is multishot (it ends with a completion without F_MORE). */
    private boolean multishot;
    /** Bytes that arrived while reading was off, and an end of stream after them; null without provided buffers. */
    private final SuspendedInput suspended;
    /** Queued for {@link #arm()} at the next poll. */
    private boolean queued;

    /** The region lent to a send, or whose file a splice is sending. */
    private OutboundRegion sending;
    /** Sends files by splice, made at the first file when the loop splices. */
    private SpliceSending splice;
    /** A file region waits for the POLLOUT poll in flight. */
    private boolean pollingOut;
    private boolean shutdownAfterSend;
    private boolean closed;
    private boolean closeSubmitted;
    private boolean fdReleased;

    IoUringSocket(IoUringPoller poller, int fd, boolean datagram, Object attachment, SocketAddress remote,
            Closeable channel) {
        super(poller);
        this.fd = fd;
        this.datagram = datagram;
        this.attachment = attachment;
        this.remote = remote;
        this.channel = channel;
        this.providedBuffers = poller.buffers() != null;
        // A datagram socket's receive is one-shot, so at most one datagram (one buffer) can come
        // after a suspension: a second would be refused with a cause, never merged with the first.
        this.suspended = !providedBuffers ? null
                : new SuspendedInput(datagram ? poller.buffers().bufferSize() : poller.receiving().heldAtMost());
    }

    // ---------------------------------------------------------------------- arming

    void startConnect(SocketAddress address) {
        connecting = true;
        connectAddress = Arena.ofAuto().allocate(SockAddr.STORAGE_SIZE, SockAddr.STORAGE_ALIGNMENT);
        connectAddressLength = SockAddr.encode(address, connectAddress);
        if (poller.ringOpen()) {
            submitConnect();
        } else {
            queue();
        }
    }

    private void submitConnect() {
        connectSubmitted = true;
        long at = sqe();
        Sqe.prepConnect(poller.sqes(), at, fd, connectAddress, connectAddressLength, userData(OP_CONNECT));
    }

    private void queue() {
        if (!queued) {
            queued = true;
            poller.armLater(this);
        }
    }

    @Override
    void arm() {
        queued = false;
        if (closed) {
            return;
        }
        if (connecting) {
            if (!connectSubmitted) {
                submitConnect();
            }
            return;
        }
        if (!wantRead) {
            return;
        }
        if (suspended != null) {
            if (suspended.holdsBytes() && !handOverKept()) {
                return;
            }
            if (suspended.takeEnd()) {
                ended = true;
                poller.events.onReadEnd(attachment);
                return;
            }
        }
        if (!readArmed && !ended) {
            armRead();
        } else if (!providedBuffers && readArmed) {
            // Poll-driven: the last burst stopped at its cap, or reading resumed; what is
            // queued raised no new wake-up.
            readReady();
        }
    }

    private void armRead() {
        readArmed = true;
        long at = sqe();
        if (providedBuffers && !datagram) {
            multishot = poller.receiving().prepare(poller.sqes(), at, fd, userData(OP_RECV));
        } else if (providedBuffers) {
            // One datagram per receive: a byte budget means nothing to a datagram socket.
            multishot = false;
            Sqe.prepRecvSelect(poller.sqes(), at, fd, poller.buffers().group(), userData(OP_RECV));
        } else {
            Sqe.prepPollAdd(poller.sqes(), at, fd, Epoll.EPOLLIN | Epoll.EPOLLRDHUP, true, userData(OP_POLL));
        }
    }

    // ------------------------------------------------------------------ completions

    @Override
    void complete(int op, int res, int flags) {
        boolean last = (flags & Cqe.IORING_CQE_F_MORE) == 0;
        switch (op) {
            case OP_RECV -> received(res, flags, last);
            case OP_POLL -> polled(res, last);
            case OP_SEND -> sendDone(res);
            case OP_SPLICE_IN -> {
                inFlight--;
                splice.filled(res);
            }
            case OP_SPLICE_OUT -> spliced(res);
            case OP_POLL_OUT -> {
                inFlight--;
                pollingOut = false;
                if (!closed) {
                    poller.events.onWritable(attachment);
                }
            }
            case OP_CONNECT -> connected(res);
            case DatagramRing.OP_SENDMSG -> datagramSent(res);
            case OP_CANCEL -> {
                inFlight--;
                cancelPending = false;
            }
            case OP_CLOSE -> {
                inFlight--;
                gone();
                return;
            }
            default -> throw new IllegalStateException("unknown io_uring operation " + op);
        }
        if (closed) {
            finishClose();
        }
    }

    private void received(int res, int flags, boolean last) {
        if (last) {
            inFlight--;
            readArmed = false;
        }
        if (res > 0) {
            int bid = Cqe.bufferId(flags);
            ByteBuffer data = poller.bufferView(bid, res);
            try {
                poller.receiving().delivered(multishot);
                if (!closed) {
                    if (wantRead && !suspended.holdsBytes()) {
                        poller.events.onRead(attachment, data);
                    } else {
                        keep(data);
                    }
                }
            } finally {
                poller.buffers().recycle(bid);
            }
        } else if (res == 0 && datagram) {
            // An empty datagram, not an end of stream: nothing to deliver.
            if ((flags & Cqe.IORING_CQE_F_BUFFER) != 0) {
                poller.buffers().recycle(Cqe.bufferId(flags));
            }
        } else if (res == 0) {
            if (!closed) {
                endOfStream();
            }
        } else if (!poller.receiving().refused(res, multishot)
                && res != -Errno.ENOBUFS && res != -IoUringSys.ECANCELED) {
            // ENOBUFS: the ring ran dry this iteration; its buffers are all back once the
            // completions are handled, so re-arming at the next poll finds them.
            failed("recv", res);
        }
        rearmIfWanted();
    }

    private void polled(int res, boolean last) {
        if (last) {
            inFlight--;
            readArmed = false;
        }
        if (res > 0 && !closed && wantRead) {
            readReady();
        } else if (res < 0 && res != -IoUringSys.ECANCELED) {
            failed("poll", res);
        }
        rearmIfWanted();
    }

    private void rearmIfWanted() {
        if (!readArmed && !closed && !ended && wantRead && (suspended == null || !suspended.endWaits())) {
            armRead();
        }
    }

    private void endOfStream() {
        if (wantRead && (suspended == null || !suspended.holdsBytes())) {
            ended = true;
            poller.events.onReadEnd(attachment);
        } else {
            suspended.endAfter();
        }
    }

    private void failed(String call, int res) {
        if (!closed && !ended) {
            ended = true;
            poller.events.onError(attachment, new ErrnoException(call + "(fd " + fd + ")", -res));
        }
    }

    @Override
    void completionFailed(Throwable failure) {
        if (closed) {
            return;
        }
        ended = true;
        IOException cause;
        try {
            cause = new IOException("handling a completion for fd " + fd + " failed: " + failure, failure);
        } catch (OutOfMemoryError again) {
            cause = COMPLETION_FAILED;
        }
        poller.events.onError(attachment, cause);
    }

    /**
     * Bytes that arrived while reading was off: kept for when it resumes. Past the bound, or
     * without memory for them, the connection fails with that cause; the loop goes on.
     */
    private void keep(ByteBuffer data) {
        try {
            suspended.keep(data);
        } catch (IOException e) {
            if (!ended) {
                ended = true;
                poller.events.onError(attachment, e);
            }
        }
    }

    /**
     * Hands the kept bytes over through the loop's read buffer (the engine's read views are made
     * once per buffer object, so it gets the objects it always gets). False if the handler
     * suspended reading again or closed meanwhile; what it did not get stays kept.
     */
    private boolean handOverKept() {
        ByteBuffer chunk;
        while ((chunk = suspended.next(poller.readBuffer)) != null) {
            poller.events.onRead(attachment, chunk);
            if (closed || !wantRead) {
                return false;
            }
        }
        return true;
    }

    /** Poll-driven reading: read until the kernel has no more, in a fair slice. */
    private void readReady() {
        ByteBuffer buffer = poller.readBuffer;
        for (int i = 0; i < IoUringPoller.MAX_READS_PER_EVENT; i++) {
            if (closed || ended || !wantRead) {
                return;
            }
            long n = Io.read(fd, poller.readSegment, 0, buffer.capacity(), poller.state);
            if (n > 0) {
                buffer.limit((int) n).position(0);
                poller.events.onRead(attachment, buffer);
            } else if (n == 0) {
                if (!datagram) {
                    ended = true;
                    poller.events.onReadEnd(attachment);
                    return;
                }
            } else if (n == -Errno.EAGAIN) {
                return;
            } else if (n != -Errno.EINTR) {
                failed("read", (int) n);
                return;
            }
        }
        queue();
    }

    private void sendDone(int res) {
        inFlight--;
        OutboundRegion out = sending;
        sending = null;
        out.sent(Math.max(res, 0));
        if (closed) {
            return;
        }
        if (res < 0) {
            poller.events.onError(attachment, new ErrnoException("send(fd " + fd + ")", -res));
            return;
        }
        if (shutdownAfterSend && out.isEmpty()) {
            shutdownAfterSent();
        }
        poller.events.onWritable(attachment);
    }

    private void spliced(int res) {
        inFlight--;
        OutboundRegion out = sending;
        sending = null;
        int sent;
        try {
            sent = splice.drained(res, closed ? null : out.file());
        } catch (IOException e) {
            if (!closed) {
                poller.events.onError(attachment, e);
            }
            return;
        }
        if (closed) {
            return;
        }
        out.fileSent(sent);
        if (shutdownAfterSend && out.isEmpty()) {
            shutdownAfterSent();
        }
        if (splice.holdsBytes() && res != -IoUringSys.ECANCELED) {
            awaitWritable(); // the socket took less than the pipe held: it is full
            return;
        }
        poller.events.onWritable(attachment);
    }

    private void connected(int res) {
        inFlight--;
        connecting = false;
        connectAddress = null;
        if (closed) {
            return;
        }
        if (res < 0) {
            poller.events.onError(attachment, Sockets.connectFailure("connect(" + remote + ")", -res));
            return;
        }
        poller.events.onConnected(attachment);
        if (!closed && wantRead && !readArmed) {
            armRead();
        }
    }

    // ------------------------------------------------------------------------ seam

    @Override
    public void flush(OutboundRegion out) throws IOException {
        if (closed) {
            throw new IOException("socket closed");
        }
        if (sending != null || pollingOut || connecting || out.isEmpty()) {
            return;
        }
        FileRegion file = out.file();
        if (file != null && poller.pipes() != null) {
            if (splice == null) {
                splice = new SpliceSending(this, fd);
            }
            splice.submit(file);
            sending = out;
            return;
        }
        if (file != null) {
            sendFile(out, file);
            return;
        }
        ByteBuffer region = out.region();
        sending = out;
        poller.promptOperation();
        long at = sqe();
        Sqe.prepSend(poller.sqes(), at, fd, poller.sendSegments.of(region), region.position(), region.remaining(),
                Sockets.MSG_NOSIGNAL, userData(OP_SEND));
    }

    /** sendfile(2) now; the rest after POLLOUT, or at once the bytes that follow a region fully sent. */
    private void sendFile(OutboundRegion out, FileRegion file) throws IOException {
        long wanted = Math.min(file.remaining(), FileSending.MAX_PER_CALL);
        long n;
        do {
            n = FileSending.sendfile(fd, file, poller.state);
        } while (n == -Errno.EINTR);
        out.fileSent(Math.max(n, 0));
        if (n == wanted) {
            flush(out);
            return;
        }
        awaitWritable();
    }

    private void awaitWritable() {
        pollingOut = true;
        long at = sqe();
        Sqe.prepPollAdd(poller.sqes(), at, fd, Epoll.EPOLLOUT, false, userData(OP_POLL_OUT));
    }

    @Override
    public void sendDatagram(ByteBuffer datagram, SocketAddress to) throws IOException {
        if (to == null && !closed && !connecting && poller.ringDatagrams.send(this, fd, datagram, null)) {
            return;
        }
        poller.ringDatagrams.submitQueued();
        poller.datagrams.send(fd, datagram, to);
    }

    /** A write's sendmsg completed; a refusal (ECONNREFUSED after an ICMP error...) fails the socket. */
    private void datagramSent(int res) {
        inFlight--;
        if (res < 0 && res != -Errno.EAGAIN && res != -IoUringSys.ECANCELED && !closed) {
            poller.events.onError(attachment, new ErrnoException("send(fd " + fd + ")", -res));
        }
    }

    @Override
    public long discardInput() throws IOException {
        if (closed || connecting) {
            return 0;
        }
        // A plain read beside the ring: bytes the ring already took come as completions and
        // are dropped by the engine the same way.
        return io.jgnet.transport.fd.SocketDescriptors.discardInput(fd, poller.readSegment,
                poller.readBuffer.capacity(), poller.state);
    }

    @Override
    public long unacknowledgedOutput() {
        return closed || connecting ? -1
                : io.jgnet.transport.fd.SocketDescriptors.unacknowledgedOutput(fd, poller.state);
    }

    @Override
    public void readInterest(boolean on) {
        wantRead = on;
        if (closed || connecting) {
            return;
        }
        if (!on) {
            if (readArmed && !cancelPending && poller.ringOpen()) {
                cancelPending = true;
                long at = sqe();
                Sqe.prepCancel(poller.sqes(), at, userData(providedBuffers ? OP_RECV : OP_POLL), 0, 0,
                        userData(OP_CANCEL));
            }
        } else if (!ended) {
            queue();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (closed) {
            return;
        }
        if (sending != null) {
            shutdownAfterSend = true;
        } else {
            // A system call, not IORING_OP_SHUTDOWN: the kernel never runs that one inline but
            // hands it to an io-wq worker, a thread woken for every connection's FIN.
            Sockets.shutdown(fd, Sockets.SHUT_WR, poller.state);
        }
    }

    /** The half-close asked for while a send was in flight, now that it has sent everything. */
    private void shutdownAfterSent() {
        shutdownAfterSend = false;
        try {
            Sockets.shutdown(fd, Sockets.SHUT_WR, poller.state);
        } catch (IOException e) {
            // The peer is gone (reset): its receive side reports that, as for any socket.
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wantRead = false;
        if (suspended != null) {
            suspended.clear();
        }
        if (!poller.ringOpen()) {
            closeNow();
        } else if (channel != null) {
            // The JDK channel is closed now, as the engine's onClose promises: the operations in
            // flight hold the socket itself, and are cancelled by what they are, not by number.
            if (inFlight > 0) {
                cancel(readArmed, providedBuffers ? OP_RECV : OP_POLL);
                cancel(sending != null, OP_SEND);
                cancel(sending != null && splice != null, OP_SPLICE_OUT);
                cancel(pollingOut, OP_POLL_OUT);
                cancel(connecting, OP_CONNECT);
                poller.ring.submit();
            }
            closeNow();
        } else if (inFlight > 0) {
            cancelAll(fd);
        }
        finishClose();
    }

    private void cancel(boolean inFlight, int op) {
        if (inFlight) {
            long at = sqe();
            Sqe.prepCancel(poller.sqes(), at, userData(op), 0, 0, userData(OP_CANCEL));
        }
    }

    /** Once nothing is in flight: closes the descriptor with a ring operation, and forgets the id. */
    private void finishClose() {
        if (inFlight > 0 || closeSubmitted) {
            return;
        }
        closeSubmitted = true;
        if (splice != null) {
            splice.release();
        }
        if (fdReleased) {
            gone();
        } else {
            fdReleased = true;
            long at = sqe();
            Sqe.prepClose(poller.sqes(), at, fd, userData(OP_CLOSE));
        }
    }

    /** Nothing is in flight and the descriptor is closed: the id is free and the engine is told. */
    private void gone() {
        poller.release(id);
        poller.events.onClosed(attachment);
    }

    @Override
    void closeNow() {
        closed = true;
        if (fdReleased) {
            return;
        }
        fdReleased = true;
        if (channel == null) {
            poller.closeFd(fd);
        } else {
            try {
                channel.close();
            } catch (IOException e) {
                // The descriptor is released even when close reports an error.
            }
        }
    }

    @Override
    public SocketAddress localAddress() {
        if (local == null && !closed) {
            try {
                local = Sockets.localAddress(fd, poller.state);
            } catch (IOException e) {
                return null;
            }
        }
        return local;
    }

    /** Bytes received after reading was suspended and not handed over yet (for tests). */
    int suspendedBytes() {
        return suspended == null ? 0 : suspended.size();
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remote == null && packedRemote != PeerAddress.NONE) {
            remote = PeerAddress.unpack(packedRemote);
        }
        return remote;
    }

    @Override
    public boolean isInet() {
        return packedRemote != PeerAddress.NONE || remote instanceof InetSocketAddress;
    }

    /** Accepted: keeps the peer's address packed (it came from the kernel: no host name is lost). */
    void packRemote() {
        packedRemote = PeerAddress.pack(remote);
        if (packedRemote != PeerAddress.NONE) {
            remote = null;
        }
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        JdkSocketOptions.set(fd, option, value, poller.state);
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        return JdkSocketOptions.get(fd, option, poller.state);
    }

    @Override
    public void membership(boolean join, InetAddress group, NetworkInterface nif) throws IOException {
        Multicast.membership(fd, join, group, JdkSocketOptions.index(nif), poller.state);
    }
}
