package io.jgnet.transport.iouring;

import io.jgnet.linux.BufRing;
import io.jgnet.linux.IoVec;
import io.jgnet.linux.MsgHdr;
import io.jgnet.linux.SockAddr;
import io.jgnet.linux.SockAddrCache;
import io.jgnet.linux.Sockets;
import io.jgnet.linux.Sqe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A loop's datagrams as ring operations: receiving with a multishot {@code IORING_OP_RECVMSG}
 * into the loop's provided buffers, and sending with {@code IORING_OP_SENDMSG} from memory of
 * its own that stays put until the completion.
 *
 * <p><b>Receiving.</b> One msghdr, shared by every datagram socket of the loop, tells the kernel
 * to keep room for a {@code sockaddr_storage} at the head of each buffer ({@link MsgHdr}): a
 * completion carries the sender and the payload, and the sender is decoded through a
 * {@link SockAddrCache}, so a peer seen before costs no allocation.
 *
 * <p><b>Sending.</b> {@value #SLOTS} slots, each a msghdr, one iovec, a sockaddr and
 * {@value #PAYLOAD} bytes of payload, taken by a send and given back by its completion: the
 * caller's bytes are copied in (they may be a view of a provided buffer, recycled when the
 * callback returns), so nothing the engine owns is lent. Sends carry {@code MSG_DONTWAIT}: the
 * kernel runs them when the loop next enters the ring, in the order they were taken, and a full
 * socket buffer drops the datagram ({@code -EAGAIN}) as a readiness transport's sendto does,
 * instead of parking it for later. A datagram larger than a slot, or one sent while every slot is
 * in flight, is refused ({@link #send} returns false) and the caller sends it itself, after
 * {@link #submitQueued} so that it still leaves after the ones before it.
 *
 * <p>The slots' memory is made at the first send, so a loop that sends no datagram holds none.
 * Owned by the loop thread; freed by {@link #close} once nothing is in flight.
 */
final class DatagramRing {
    /** Operation code of a send; its slot rides in the bits above ({@link #sendOp}). */
    static final int OP_SENDMSG = 30;
    static final int OP_RECVMSG = 31;
    private static final int OP_BITS = 8;

    static final int SLOTS = 64;
    /** Enough for a datagram of an Ethernet MTU and then some; larger ones go by sendto(2). */
    static final int PAYLOAD = 2048;
    private static final int HEADER = 256;
    private static final int IOV_AT = MsgHdr.SIZE;
    private static final int NAME_AT = IOV_AT + IoVec.SIZE;
    /** Room for the sender at the head of a receive buffer: any address family fits. */
    private static final int NAME_ROOM = SockAddr.STORAGE_SIZE;

    private final IoUringPoller poller;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveHeader = arena.allocate(MsgHdr.SIZE, 8);
    private final SockAddrCache senders = new SockAddrCache();

    private MemorySegment headers;
    private MemorySegment payloads;
    private ByteBuffer payloadBuffer;
    /** Per slot, made once: its msghdr, its iovec, its sockaddr. */
    private MemorySegment[] msgHeaders;
    private MemorySegment[] iovecs;
    private MemorySegment[] names;
    /** The destination each slot's sockaddr holds (and its length), so that the same one is not encoded again. */
    private SocketAddress[] encoded;
    private int[] encodedLengths;
    private int[] free;
    private int freeCount;
    private long received;
    private long sent;

    DatagramRing(IoUringPoller poller) {
        this.poller = poller;
        MsgHdr.set(receiveHeader, 0, NAME_ROOM, 0, 0);
    }

    /** The loop's cache of datagram senders, for listeners that receive with recvfrom instead. */
    SockAddrCache senders() {
        return senders;
    }

    static int sendOp(int slot) {
        return slot << OP_BITS | OP_SENDMSG;
    }

    /** The operation a completion's {@code op} names, with any slot stripped. */
    static int operation(int op) {
        return op & ((1 << OP_BITS) - 1);
    }

    // ------------------------------------------------------------------------ receiving

    /** Arms a multishot receive on {@code fd} for {@code handle}, counted in its operations. */
    void armReceive(IoUringPoller.Handle handle, int fd, BufRing buffers) {
        long at = handle.sqe();
        Sqe.prepRecvmsgMultishot(poller.sqes(), at, fd, receiveHeader.address(), buffers.group(),
                handle.userData(OP_RECVMSG));
    }

    /** The sender of the datagram in provided buffer {@code bid}. */
    SocketAddress sender(BufRing buffers, int bid) {
        MemorySegment memory = buffers.buffers();
        long out = buffers.offset(bid);
        int length = Math.min(MsgHdr.outNameLength(memory, out), NAME_ROOM);
        received++;
        return length == 0 ? null : senders.decode(memory, out + MsgHdr.OUT_SIZE, length);
    }

    /** The payload of the datagram in provided buffer {@code bid}, as a view made once per buffer. */
    ByteBuffer payload(BufRing buffers, int bid, int res) {
        int at = MsgHdr.payloadOffset(NAME_ROOM, 0);
        int length = Math.min(MsgHdr.outPayloadLength(buffers.buffers(), buffers.offset(bid)), res - at);
        return poller.bufferView(bid, at + length).position(at);
    }

    // -------------------------------------------------------------------------- sending

    /**
     * Queues {@code datagram} (its remaining bytes, consumed) to {@code to}, or to the peer of a
     * connected socket when {@code to} is null, as a SENDMSG on {@code fd} for {@code handle}.
     * False, with nothing consumed, when it does not fit a slot or none is free.
     */
    boolean send(IoUringPoller.Handle handle, int fd, ByteBuffer datagram, SocketAddress to) {
        int length = datagram.remaining();
        if (length > PAYLOAD || !poller.ringOpen()) {
            return false;
        }
        if (headers == null) {
            allocateSlots();
        }
        if (freeCount == 0) {
            return false;
        }
        int slot = free[--freeCount];
        long header = (long) slot * HEADER;
        int nameLength = 0;
        if (to != null && encoded[slot] != to) {
            try {
                encodedLengths[slot] = SockAddr.encode(to, names[slot]);
            } catch (IllegalArgumentException e) {
                free[freeCount++] = slot;
                throw e;
            }
            encoded[slot] = to;
        }
        if (to != null) {
            nameLength = encodedLengths[slot];
        }
        int payloadAt = slot * PAYLOAD;
        payloadBuffer.put(payloadAt, datagram, datagram.position(), length);
        datagram.position(datagram.limit());
        long base = headers.address() + header;
        IoVec.set(iovecs[slot], 0, payloads.address() + payloadAt, length);
        MsgHdr.set(msgHeaders[slot], to == null ? 0 : base + NAME_AT, nameLength, base + IOV_AT, 1);
        long at = handle.sqe();
        Sqe.prepSendmsg(poller.sqes(), at, fd, base, Sockets.MSG_NOSIGNAL | Sockets.MSG_DONTWAIT,
                handle.userData(sendOp(slot)));
        poller.promptOperation();
        sent++;
        return true;
    }

    /** The completion of the send in {@code op}'s slot: the slot is free again. */
    void sendCompleted(int op) {
        free[freeCount++] = op >>> OP_BITS;
    }

    /** Hands the kernel the sends queued so far, so that one sent directly now leaves after them. */
    void submitQueued() {
        if (poller.ringOpen() && poller.ring.unsubmitted() > 0) {
            poller.ring.submit();
        }
    }

    private void allocateSlots() {
        headers = arena.allocate((long) SLOTS * HEADER, 8);
        payloads = arena.allocate((long) SLOTS * PAYLOAD, 8);
        payloadBuffer = payloads.asByteBuffer();
        msgHeaders = new MemorySegment[SLOTS];
        iovecs = new MemorySegment[SLOTS];
        names = new MemorySegment[SLOTS];
        encoded = new SocketAddress[SLOTS];
        encodedLengths = new int[SLOTS];
        free = new int[SLOTS];
        for (int slot = 0; slot < SLOTS; slot++) {
            long header = (long) slot * HEADER;
            msgHeaders[slot] = headers.asSlice(header, MsgHdr.SIZE);
            iovecs[slot] = headers.asSlice(header + IOV_AT, IoVec.SIZE);
            names[slot] = headers.asSlice(header + NAME_AT, SockAddr.STORAGE_SIZE);
            free[slot] = SLOTS - 1 - slot;
        }
        freeCount = SLOTS;
    }

    /** Datagrams received and sent through the ring so far (for tests). */
    long received() {
        return received;
    }

    long sent() {
        return sent;
    }

    /** Frees the memory; the poller calls it once no operation is in flight. */
    void close() {
        arena.close();
    }
}
