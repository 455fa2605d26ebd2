package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct io_uring_cqe}, one completion (16 bytes), and its flags.
 *
 * <pre>
 * struct io_uring_cqe {
 *     __u64 user_data;   // sqe->user_data passed back
 *     __s32 res;         // result code for this event: what the call returned, or -errno
 *     __u32 flags;       // IORING_CQE_F_*; with F_BUFFER the upper 16 bits are the buffer id
 *     __u64 big_cqe[];   // 16 more bytes only if the ring was set up with IORING_SETUP_CQE32
 * };
 *
 *  0                          8            12           16
 *  +--------------------------+------------+------------+
 *  |        user_data         |    res     |   flags    |
 *  +--------------------------+------------+------------+
 *                                          flags: | bid (16) | ... | SOCK_NONEMPTY | MORE | BUFFER |
 * </pre>
 *
 * The same on x86-64 and aarch64. Rings here never set {@code IORING_SETUP_CQE32} (which makes
 * every CQE 32 bytes, for passthrough commands), so the CQ array's stride is {@link #SIZE}.
 *
 * <p>Static and thread-safe.
 */
public final class Cqe {
    public static final int SIZE = 16;
    /** The size of a CQE in a ring set up with {@link IoUringParams#IORING_SETUP_CQE32}. */
    public static final int SIZE_CQE32 = 32;
    public static final int USER_DATA = 0;
    public static final int RES = 8;
    public static final int FLAGS = 12;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"),
            JAVA_INT.withName("res"),
            JAVA_INT.withName("flags"));

    /** The upper 16 bits of {@code flags} are the id of the provided buffer used. */
    public static final int IORING_CQE_F_BUFFER = 1;
    /** The multishot request that posted this stays armed: more CQEs will follow. */
    public static final int IORING_CQE_F_MORE = 1 << 1;
    /** After a recv: the socket had more data queued. */
    public static final int IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
    /** A zero-copy send's "buffer released" notification. */
    public static final int IORING_CQE_F_NOTIF = 1 << 3;
    public static final int IORING_CQE_BUFFER_SHIFT = 16;

    private Cqe() {
    }

    /** The provided-buffer id in {@code flags}; meaningful only with {@link #IORING_CQE_F_BUFFER}. */
    public static int bufferId(int flags) {
        return flags >>> IORING_CQE_BUFFER_SHIFT;
    }

    /** Whether the request that posted a CQE with {@code flags} stays armed. */
    public static boolean hasMore(int flags) {
        return (flags & IORING_CQE_F_MORE) != 0;
    }
}
