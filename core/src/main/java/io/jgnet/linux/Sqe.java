package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct io_uring_sqe}, one submission (64 bytes), with the opcodes, {@code IOSQE_*}
 * flags and per-operation flags of {@code <linux/io_uring.h>}, and writers that fill one SQE
 * for one operation.
 *
 * <pre>
 * struct io_uring_sqe {
 *     __u8  opcode;          // type of operation for this sqe
 *     __u8  flags;           // IOSQE_ flags
 *     __u16 ioprio;          // ioprio; for send/recv/accept: IORING_RECV_MULTISHOT ...
 *     __s32 fd;              // file descriptor to do IO on
 *     union { __u64 off; __u64 addr2; struct { __u32 cmd_op; __u32 __pad1; }; };
 *     union { __u64 addr; __u64 splice_off_in; };
 *     __u32 len;             // buffer size or number of iovecs
 *     union { __kernel_rwf_t rw_flags; __u32 fsync_flags; __u16 poll_events;
 *             __u32 poll32_events; __u32 sync_range_flags; __u32 msg_flags;
 *             __u32 timeout_flags; __u32 accept_flags; __u32 cancel_flags; __u32 open_flags;
 *             __u32 statx_flags; __u32 fadvise_advice; __u32 splice_flags;
 *             __u32 rename_flags; __u32 unlink_flags; __u32 hardlink_flags;
 *             __u32 xattr_flags; __u32 msg_ring_flags; __u32 uring_cmd_flags; ... };
 *     __u64 user_data;       // data to be passed back at completion time
 *     union { __u16 buf_index; __u16 buf_group; } __attribute__((packed));
 *     __u16 personality;
 *     union { __s32 splice_fd_in; __u32 file_index; __u32 optlen; struct { __u16 addr_len; __u16 __pad3[1]; }; };
 *     union { struct { __u64 addr3; __u64 __pad2[1]; }; __u8 cmd[0]; };
 * };
 *
 *  0      1      2        4              8                              16
 *  +------+------+--------+--------------+------------------------------+
 *  |opcode|flags | ioprio |      fd      |        off / addr2           |
 *  +------+------+--------+--------------+------------------------------+
 *  16                           24             28             32
 *  +----------------------------+--------------+--------------+
 *  |   addr / splice_off_in     |     len      | op_flags(u32)|
 *  +----------------------------+--------------+--------------+
 *  32                           40       42          44             48
 *  +----------------------------+--------+-----------+--------------+
 *  |         user_data          |buf_idx/|personality|splice_fd_in/ |
 *  |                            |buf_grp |           |file_index    |
 *  +----------------------------+--------+-----------+--------------+
 *  48                           56                           64
 *  +----------------------------+----------------------------+
 *  |           addr3            |          __pad2            |
 *  +----------------------------+----------------------------+
 * </pre>
 *
 * The same on x86-64 and aarch64. ({@code IORING_SETUP_SQE128} doubles the size for
 * passthrough commands; not used here.)
 *
 * <p>Each writer clears the whole SQE first, so no field of an earlier use leaks into the next,
 * and stores only raw addresses: memory an SQE points to must stay alive and unmoved until its
 * completion (not only until submission). Static and thread-safe; an SQE array belongs to its
 * ring's thread.
 */
public final class Sqe {
    public static final int SIZE = 64;
    public static final int OPCODE = 0;
    public static final int FLAGS = 1;
    public static final int IOPRIO = 2;
    public static final int FD = 4;
    /** {@code off}, {@code addr2}. */
    public static final int OFF = 8;
    public static final int ADDR = 16;
    public static final int LEN = 24;
    /** The union of per-operation flags: {@code rw_flags}, {@code msg_flags}, ... */
    public static final int OP_FLAGS = 28;
    public static final int USER_DATA = 32;
    /** {@code buf_index}, {@code buf_group}. */
    public static final int BUF_GROUP = 40;
    public static final int PERSONALITY = 42;
    /** {@code splice_fd_in}, {@code file_index}, {@code optlen}, {@code addr_len}. */
    public static final int FILE_INDEX = 44;
    public static final int ADDR3 = 48;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"),
            JAVA_BYTE.withName("flags"),
            JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"),
            JAVA_LONG.withName("off"),
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_INT.withName("rw_flags"),
            JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_group"),
            JAVA_SHORT.withName("personality"),
            JAVA_INT.withName("file_index"),
            JAVA_LONG.withName("addr3"),
            JAVA_LONG.withName("__pad2"));

    // enum io_uring_op: only the operations a network event loop uses are named
    public static final byte IORING_OP_NOP = 0;
    public static final byte IORING_OP_READV = 1;
    public static final byte IORING_OP_WRITEV = 2;
    public static final byte IORING_OP_POLL_ADD = 6;
    public static final byte IORING_OP_POLL_REMOVE = 7;
    public static final byte IORING_OP_SENDMSG = 9;
    public static final byte IORING_OP_RECVMSG = 10;
    public static final byte IORING_OP_TIMEOUT = 11;
    public static final byte IORING_OP_TIMEOUT_REMOVE = 12;
    public static final byte IORING_OP_ACCEPT = 13;
    public static final byte IORING_OP_ASYNC_CANCEL = 14;
    public static final byte IORING_OP_LINK_TIMEOUT = 15;
    public static final byte IORING_OP_CONNECT = 16;
    public static final byte IORING_OP_CLOSE = 19;
    public static final byte IORING_OP_READ = 22;
    public static final byte IORING_OP_WRITE = 23;
    public static final byte IORING_OP_SEND = 26;
    public static final byte IORING_OP_RECV = 27;
    public static final byte IORING_OP_SHUTDOWN = 34;
    public static final byte IORING_OP_MSG_RING = 40;
    public static final byte IORING_OP_SEND_ZC = 47;
    /** Not in every kernel a loop runs on: check {@link IoUring#probe()} before use. */
    public static final byte IORING_OP_SPLICE = 30;

    // splice_flags
    /** Do not block on the pipe (the descriptors' own flags still apply). */
    public static final int SPLICE_F_NONBLOCK = 2;

    // sqe->flags
    public static final byte IOSQE_FIXED_FILE = 1;
    public static final byte IOSQE_IO_DRAIN = 1 << 1;
    public static final byte IOSQE_IO_LINK = 1 << 2;
    public static final byte IOSQE_IO_HARDLINK = 1 << 3;
    public static final byte IOSQE_ASYNC = 1 << 4;
    /** Take the buffer from the provided-buffer group in {@code buf_group} ({@link BufRing}). */
    public static final byte IOSQE_BUFFER_SELECT = 1 << 5;
    public static final byte IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    // send/recv flags, in sqe->ioprio
    public static final short IORING_RECVSEND_POLL_FIRST = 1;
    /** Keep receiving: one CQE per arrival, each with {@link Cqe#IORING_CQE_F_MORE} but the last. */
    public static final short IORING_RECV_MULTISHOT = 1 << 1;
    public static final short IORING_RECVSEND_FIXED_BUF = 1 << 2;
    // accept flags, in sqe->ioprio
    /** Keep accepting: one CQE per connection, each with {@link Cqe#IORING_CQE_F_MORE} but the last. */
    public static final short IORING_ACCEPT_MULTISHOT = 1;

    // timeout_flags
    public static final int IORING_TIMEOUT_ABS = 1;
    public static final int IORING_TIMEOUT_BOOTTIME = 1 << 2;
    public static final int IORING_TIMEOUT_REALTIME = 1 << 3;
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;

    // poll32_events flags (in len for POLL_ADD)
    public static final int IORING_POLL_ADD_MULTI = 1;

    // cancel_flags
    public static final int IORING_ASYNC_CANCEL_ALL = 1;
    public static final int IORING_ASYNC_CANCEL_FD = 1 << 1;
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;

    // IORING_OP_MSG_RING command, in addr
    public static final long IORING_MSG_DATA = 0;

    private Sqe() {
    }

    /**
     * Clears the SQE at byte {@code at} of {@code sqes} and sets the fields every operation has.
     * The {@code prep*} writers below call this; use it directly for an opcode they lack.
     */
    public static void prep(MemorySegment sqes, long at, byte opcode, int fd, long addr, int len,
            long off, long userData) {
        for (int word = 0; word < SIZE; word += Long.BYTES) {
            sqes.set(JAVA_LONG, at + word, 0L);
        }
        sqes.set(JAVA_BYTE, at + OPCODE, opcode);
        sqes.set(JAVA_INT, at + FD, fd);
        sqes.set(JAVA_LONG, at + OFF, off);
        sqes.set(JAVA_LONG, at + ADDR, addr);
        sqes.set(JAVA_INT, at + LEN, len);
        sqes.set(JAVA_LONG, at + USER_DATA, userData);
    }

    /** ORs {@code IOSQE_*} flags into the SQE's {@code flags}. */
    public static void addFlags(MemorySegment sqes, long at, byte flags) {
        sqes.set(JAVA_BYTE, at + FLAGS, (byte) (sqes.get(JAVA_BYTE, at + FLAGS) | flags));
    }

    /** {@code IORING_OP_NOP}: completes at once with {@code res} 0. */
    public static void prepNop(MemorySegment sqes, long at, long userData) {
        prep(sqes, at, IORING_OP_NOP, -1, 0, 0, 0, userData);
    }

    /** {@code IORING_OP_READ}: {@code read(fd, buf + offset, count)} ({@code res}: bytes or -errno). */
    public static void prepRead(MemorySegment sqes, long at, int fd, MemorySegment buf,
            long offset, int count, long userData) {
        prep(sqes, at, IORING_OP_READ, fd, Libc.address(buf, offset, count), count, 0, userData);
    }

    /** {@code IORING_OP_WRITEV}: {@code writev(fd, iovecs, count)}; see {@link IoVec}. */
    public static void prepWritev(MemorySegment sqes, long at, int fd, MemorySegment iovecs,
            int count, long userData) {
        prep(sqes, at, IORING_OP_WRITEV, fd,
                Libc.arrayAddress(iovecs, count, IoVec.SIZE, "iovecs"), count, 0, userData);
    }

    /** {@code IORING_OP_SEND}: {@code send(fd, buf + offset, count, msgFlags)}. */
    public static void prepSend(MemorySegment sqes, long at, int fd, MemorySegment buf,
            long offset, int count, int msgFlags, long userData) {
        prep(sqes, at, IORING_OP_SEND, fd, Libc.address(buf, offset, count), count, 0, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, msgFlags);
    }

    /** {@code IORING_OP_RECV}: {@code recv(fd, buf + offset, count, msgFlags)}. */
    public static void prepRecv(MemorySegment sqes, long at, int fd, MemorySegment buf,
            long offset, int count, int msgFlags, long userData) {
        prep(sqes, at, IORING_OP_RECV, fd, Libc.address(buf, offset, count), count, 0, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, msgFlags);
    }

    /**
     * Multishot {@code IORING_OP_RECV} into buffers of provided-buffer group {@code group}: one
     * CQE per arrival, its buffer id in the flags ({@link Cqe#bufferId}), until a CQE without
     * {@link Cqe#IORING_CQE_F_MORE} (end of stream, an error, or {@code -ENOBUFS} when the group
     * ran dry) ends it.
     */
    public static void prepRecvMultishot(MemorySegment sqes, long at, int fd, short group,
            long userData) {
        prepRecvMultishot(sqes, at, fd, group, 0, userData);
    }

    /**
     * {@link #prepRecvMultishot(MemorySegment, long, int, short, long) Multishot receive} that
     * ends (a CQE without {@link Cqe#IORING_CQE_F_MORE}) once it has received {@code limit}
     * bytes in all, 0 for no limit (kernel 6.17: {@code optlen}, in the {@code file_index}
     * word). The last receive may pass the limit by up to one buffer less a byte: the kernel
     * checks it after each receive. Kernels without it refuse a non-zero limit with EINVAL.
     */
    public static void prepRecvMultishot(MemorySegment sqes, long at, int fd, short group, int limit,
            long userData) {
        prep(sqes, at, IORING_OP_RECV, fd, 0, 0, 0, userData);
        sqes.set(JAVA_SHORT, at + IOPRIO, IORING_RECV_MULTISHOT);
        sqes.set(JAVA_BYTE, at + FLAGS, IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, at + BUF_GROUP, group);
        sqes.set(JAVA_INT, at + FILE_INDEX, limit);
    }

    /**
     * One-shot {@code IORING_OP_RECV} into a buffer the kernel picks from provided-buffer group
     * {@code group} when data arrives (its id in the CQE's flags, {@link Cqe#bufferId}), at most
     * one buffer's worth: the caller re-arms it after each completion, so that a reader that stops
     * has at most one receive in flight.
     */
    public static void prepRecvSelect(MemorySegment sqes, long at, int fd, short group,
            long userData) {
        prep(sqes, at, IORING_OP_RECV, fd, 0, 0, 0, userData);
        sqes.set(JAVA_BYTE, at + FLAGS, IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, at + BUF_GROUP, group);
    }

    /** {@code IORING_OP_SENDMSG}: {@code sendmsg(fd, msghdr, msgFlags)}; msghdr is a raw address. */
    public static void prepSendmsg(MemorySegment sqes, long at, int fd, long msghdr, int msgFlags,
            long userData) {
        prep(sqes, at, IORING_OP_SENDMSG, fd, msghdr, 1, 0, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, msgFlags);
    }

    /** {@code IORING_OP_RECVMSG}: {@code recvmsg(fd, msghdr, msgFlags)}; msghdr is a raw address. */
    public static void prepRecvmsg(MemorySegment sqes, long at, int fd, long msghdr, int msgFlags,
            long userData) {
        prep(sqes, at, IORING_OP_RECVMSG, fd, msghdr, 1, 0, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, msgFlags);
    }

    /**
     * Multishot {@code IORING_OP_RECVMSG} into buffers of provided-buffer group {@code group}
     * (kernel 6.0+): one CQE per datagram, its buffer laid out as {@link MsgHdr} says
     * ({@code io_uring_recvmsg_out}, the sender's address, the payload), until a CQE without
     * {@link Cqe#IORING_CQE_F_MORE} ends it. {@code msghdr} (a raw address, alive until then)
     * says only how much room to keep for the name and control data.
     */
    public static void prepRecvmsgMultishot(MemorySegment sqes, long at, int fd, long msghdr,
            short group, long userData) {
        prep(sqes, at, IORING_OP_RECVMSG, fd, msghdr, 1, 0, userData);
        sqes.set(JAVA_SHORT, at + IOPRIO, IORING_RECV_MULTISHOT);
        sqes.set(JAVA_BYTE, at + FLAGS, IOSQE_BUFFER_SELECT);
        sqes.set(JAVA_SHORT, at + BUF_GROUP, group);
    }

    /**
     * {@code IORING_OP_ACCEPT} without the peer address: {@code accept4(fd, NULL, NULL, flags)}
     * ({@code res}: the new descriptor or -errno); multishot keeps accepting.
     */
    public static void prepAccept(MemorySegment sqes, long at, int fd, int flags,
            boolean multishot, long userData) {
        prep(sqes, at, IORING_OP_ACCEPT, fd, 0, 0, 0, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, flags);
        if (multishot) {
            sqes.set(JAVA_SHORT, at + IOPRIO, IORING_ACCEPT_MULTISHOT);
        }
    }

    /** {@code IORING_OP_CONNECT}: {@code connect(fd, sockaddr, length)}. */
    public static void prepConnect(MemorySegment sqes, long at, int fd, MemorySegment sockaddr,
            int length, long userData) {
        prep(sqes, at, IORING_OP_CONNECT, fd, Libc.address(sockaddr, 0, length), 0, length,
                userData);
    }

    /** {@code IORING_OP_CLOSE}: {@code close(fd)}. */
    public static void prepClose(MemorySegment sqes, long at, int fd, long userData) {
        prep(sqes, at, IORING_OP_CLOSE, fd, 0, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_TIMEOUT}: completes with {@code -ETIME} when the {@link IoUringSys#TIMESPEC_LAYOUT
     * __kernel_timespec} at {@code timespec} expires, or with 0 once {@code count} other
     * completions have been posted ({@code count} 0: time only).
     */
    public static void prepTimeout(MemorySegment sqes, long at, MemorySegment timespec,
            int count, int timeoutFlags, long userData) {
        prep(sqes, at, IORING_OP_TIMEOUT, -1,
                Libc.address(timespec, 0, IoUringSys.TIMESPEC_SIZE), 1, count, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, timeoutFlags);
    }

    /**
     * {@code IORING_OP_ASYNC_CANCEL} of the request whose user data is {@code target} (or, with
     * {@link #IORING_ASYNC_CANCEL_FD}, of those on descriptor {@code fd}). The cancelled request
     * completes with {@code -ECANCELED}; this one with 0, {@code -ENOENT} or {@code -EALREADY}.
     */
    public static void prepCancel(MemorySegment sqes, long at, long target, int fd,
            int cancelFlags, long userData) {
        prep(sqes, at, IORING_OP_ASYNC_CANCEL, fd, target, 0, 0, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, cancelFlags);
    }

    /**
     * {@code IORING_OP_MSG_RING} with {@link #IORING_MSG_DATA}: posts a CQE with {@code res} and
     * user data {@code targetUserData} to the ring {@code ringFd}, waking it if it waits.
     */
    public static void prepMsgRing(MemorySegment sqes, long at, int ringFd, int res,
            long targetUserData, long userData) {
        prep(sqes, at, IORING_OP_MSG_RING, ringFd, IORING_MSG_DATA, res, targetUserData,
                userData);
    }

    /** {@code IORING_OP_POLL_ADD}: completes with the ready {@code EPOLL*} mask of {@code fd}. */
    public static void prepPollAdd(MemorySegment sqes, long at, int fd, int pollEvents,
            boolean multishot, long userData) {
        prep(sqes, at, IORING_OP_POLL_ADD, fd, 0, multishot ? IORING_POLL_ADD_MULTI : 0, 0,
                userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, pollEvents);
    }

    /**
     * {@code IORING_OP_SPLICE}: {@code splice(in, offIn, out, offOut, count, flags)}, one end a
     * pipe ({@code res}: bytes moved or -errno). An offset of -1 means the descriptor has none
     * (a pipe, a socket). Always run by a kernel worker, never inline: the submitting thread does
     * not block, whatever the file.
     */
    public static void prepSplice(MemorySegment sqes, long at, int in, long offIn, int out, long offOut,
            int count, int spliceFlags, long userData) {
        prep(sqes, at, IORING_OP_SPLICE, out, offIn, count, offOut, userData);
        sqes.set(JAVA_INT, at + OP_FLAGS, spliceFlags);
        sqes.set(JAVA_INT, at + FILE_INDEX, in);
    }
}
