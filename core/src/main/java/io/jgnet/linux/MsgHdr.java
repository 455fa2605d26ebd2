package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct msghdr}, the argument of {@code sendmsg(2)}/{@code recvmsg(2)} and of their
 * io_uring operations, and {@code struct io_uring_recvmsg_out}, the header a multishot
 * {@code IORING_OP_RECVMSG} writes at the start of each provided buffer.
 *
 * <pre>
 * struct msghdr {                   0              8        12      16
 *     void         *msg_name;       +--------------+--------+-------+
 *     socklen_t     msg_namelen;    |   msg_name   |namelen | (pad) |
 *     struct iovec *msg_iov;        +--------------+--------+-------+
 *     size_t        msg_iovlen;     16             24             32
 *     void         *msg_control;    +--------------+--------------+
 *     size_t        msg_controllen; |   msg_iov    |  msg_iovlen  |
 *     int           msg_flags;      +--------------+--------------+
 * };                                32             40             48        52      56
 *                                   +--------------+--------------+---------+-------+
 *                                   | msg_control  |msg_controllen|msg_flags| (pad) |
 *                                   +--------------+--------------+---------+-------+
 *
 * struct io_uring_recvmsg_out {     0         4            8            12        16
 *     __u32 namelen;                +---------+------------+------------+---------+
 *     __u32 controllen;             | namelen | controllen | payloadlen |  flags  |
 *     __u32 payloadlen;             +---------+------------+------------+---------+
 *     __u32 flags;
 * };
 * </pre>
 *
 * The same on x86-64 and aarch64 (LP64, glibc). A multishot receive fills each buffer as
 * {@code [recvmsg_out][name: msg_namelen bytes][control: msg_controllen bytes][payload]}: the
 * name and control areas are as large as the msghdr submitted asked for, whatever the kernel
 * put in them, so the payload's offset is fixed per msghdr ({@link #payloadOffset}).
 *
 * <p>Static and thread-safe; a msghdr holds raw addresses, and it and everything it points to
 * must stay alive and unmoved until the operation using it has completed.
 */
public final class MsgHdr {
    public static final int SIZE = 56;
    public static final int NAME = 0;
    public static final int NAMELEN = 8;
    public static final int IOV = 16;
    public static final int IOVLEN = 24;
    public static final int CONTROL = 32;
    public static final int CONTROLLEN = 40;
    public static final int FLAGS = 48;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            JAVA_LONG.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    public static final int OUT_SIZE = 16;
    public static final int OUT_NAMELEN = 0;
    public static final int OUT_CONTROLLEN = 4;
    public static final int OUT_PAYLOADLEN = 8;
    public static final int OUT_FLAGS = 12;

    public static final StructLayout OUT_LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("namelen"),
            JAVA_INT.withName("controllen"),
            JAVA_INT.withName("payloadlen"),
            JAVA_INT.withName("flags"));

    private MsgHdr() {
    }

    /**
     * Fills the msghdr at {@code hdr}: name (raw address and length, 0/0 for none), an iovec
     * array of {@code iovLength} elements (0/0 for none), no control data.
     */
    public static void set(MemorySegment hdr, long name, int nameLength, long iov, int iovLength) {
        hdr.set(JAVA_LONG, NAME, name);
        hdr.set(JAVA_INT, NAMELEN, nameLength);
        hdr.set(JAVA_INT, NAMELEN + 4, 0);
        hdr.set(JAVA_LONG, IOV, iov);
        hdr.set(JAVA_LONG, IOVLEN, iovLength);
        hdr.set(JAVA_LONG, CONTROL, 0L);
        hdr.set(JAVA_LONG, CONTROLLEN, 0L);
        hdr.set(JAVA_INT, FLAGS, 0);
        hdr.set(JAVA_INT, FLAGS + 4, 0);
    }

    /** Sets {@code msg_namelen} alone (the one field a sendmsg changes per destination). */
    public static void nameLength(MemorySegment hdr, int nameLength) {
        hdr.set(JAVA_INT, NAMELEN, nameLength);
    }

    /**
     * Where the payload starts in a buffer a multishot receive filled with {@code hdr}, which asked
     * for {@code nameLength} bytes of name and {@code controlLength} of control data.
     */
    public static int payloadOffset(int nameLength, int controlLength) {
        return OUT_SIZE + nameLength + controlLength;
    }

    /** {@code io_uring_recvmsg_out.namelen} of the buffer at {@code out}: the sender's real length. */
    public static int outNameLength(MemorySegment buffers, long out) {
        return buffers.get(JAVA_INT, out + OUT_NAMELEN);
    }

    /** {@code io_uring_recvmsg_out.payloadlen}: the datagram's length (longer than kept if truncated). */
    public static int outPayloadLength(MemorySegment buffers, long out) {
        return buffers.get(JAVA_INT, out + OUT_PAYLOADLEN);
    }

    /** {@code io_uring_recvmsg_out.flags}: the {@code MSG_*} flags of the receive ({@code MSG_TRUNC}...). */
    public static int outFlags(MemorySegment buffers, long out) {
        return buffers.get(JAVA_INT, out + OUT_FLAGS);
    }
}
