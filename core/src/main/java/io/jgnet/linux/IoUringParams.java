package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct io_uring_params}, what {@code io_uring_setup} reads (entries, flags) and fills in
 * (sizes, features, and where in the mmapped rings each field lives), with the setup flags,
 * feature bits, SQ ring flags and mmap offsets of {@code <linux/io_uring.h>}.
 *
 * <pre>
 * struct io_sqring_offsets {          struct io_cqring_offsets {
 *     __u32 head;                         __u32 head;
 *     __u32 tail;                         __u32 tail;
 *     __u32 ring_mask;                    __u32 ring_mask;
 *     __u32 ring_entries;                 __u32 ring_entries;
 *     __u32 flags;                        __u32 overflow;
 *     __u32 dropped;                      __u32 cqes;
 *     __u32 array;                        __u32 flags;
 *     __u32 resv1;                        __u32 resv1;
 *     __u64 resv2;   // user_addr         __u64 resv2;   // user_addr
 * };                                  };
 *
 * struct io_uring_params {
 *     __u32 sq_entries;
 *     __u32 cq_entries;
 *     __u32 flags;
 *     __u32 sq_thread_cpu;
 *     __u32 sq_thread_idle;
 *     __u32 features;
 *     __u32 wq_fd;
 *     __u32 resv[3];
 *     struct io_sqring_offsets sq_off;
 *     struct io_cqring_offsets cq_off;
 * };
 *
 *  0            4            8            12           16           20           24     28        40
 *  +------------+------------+------------+------------+------------+------------+------+---------+
 *  | sq_entries | cq_entries |   flags    |sq_thread_cpu|sq_thr_idle|  features  |wq_fd | resv[3] |
 *  +------------+------------+------------+------------+------------+------------+------+---------+
 *  40: sq_off (40 bytes)                     80: cq_off (40 bytes)                              120
 *  +-head-+-tail-+-mask-+-entries-+-flags-+-dropped-+-array-+-resv1-+--resv2--+  (sq_off)
 *  +-head-+-tail-+-mask-+-entries-+-overflow-+-cqes-+-flags-+-resv1-+--resv2--+  (cq_off)
 *   0      4      8      12        16         20     24      28      32      40
 * </pre>
 *
 * The offsets in {@code sq_off} and {@code cq_off} are byte offsets into the SQ and CQ ring
 * mappings ({@link #IORING_OFF_SQ_RING}, {@link #IORING_OFF_CQ_RING}); with
 * {@link #IORING_FEAT_SINGLE_MMAP} both rings are one mapping. The same on x86-64 and aarch64.
 *
 * <p>Static and thread-safe.
 */
public final class IoUringParams {
    // io_uring_setup() flags
    public static final int IORING_SETUP_IOPOLL = 1;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQ_AFF = 1 << 2;
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    public static final int IORING_SETUP_ATTACH_WQ = 1 << 5;
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    /** Keep submitting the rest of a batch when one SQE fails to be issued (5.18). */
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    /** Run completion task work at the next kernel entry instead of by an IPI (5.19). */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    /** CQEs of 32 bytes: {@link Cqe#SIZE} doubles; not used here. */
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    /** Only the thread that created the ring submits (6.0). */
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    /** Run task work only when the issuer waits for completions (6.1; needs SINGLE_ISSUER). */
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;

    // params.features
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    /** Completions that do not fit the CQ are kept by the kernel, never dropped. */
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int IORING_FEAT_RW_CUR_POS = 1 << 3;
    public static final int IORING_FEAT_CUR_PERSONALITY = 1 << 4;
    public static final int IORING_FEAT_FAST_POLL = 1 << 5;
    public static final int IORING_FEAT_POLL_32BITS = 1 << 6;
    public static final int IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
    /** {@code io_uring_enter} takes {@link IoUringSys#IORING_ENTER_EXT_ARG} (5.11). */
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;
    public static final int IORING_FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int IORING_FEAT_RSRC_TAGS = 1 << 10;
    public static final int IORING_FEAT_CQE_SKIP = 1 << 11;
    public static final int IORING_FEAT_LINKED_FILE = 1 << 12;
    /**
     * The wait argument's {@code min_wait_usec} (6.12): wait for {@code min_complete} only that
     * long, then return as soon as there is any completion.
     */
    public static final int IORING_FEAT_MIN_TIMEOUT = 1 << 15;
    /** Names of the feature bits, in bit order, for reports. */
    private static final String[] FEATURE_NAMES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
        "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR",
        "NO_IOWAIT"};

    /** Names of the setup flags, in bit order. */
    private static final String[] SETUP_FLAG_NAMES = {
        "IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED",
        "SUBMIT_ALL", "COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER",
        "DEFER_TASKRUN"};

    // The SQ ring's flags word, written by the kernel
    public static final int IORING_SQ_NEED_WAKEUP = 1;
    /** The CQ overflowed: an enter with GETEVENTS moves the kept completions into it. */
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    public static final int IORING_SQ_TASKRUN = 1 << 2;

    // mmap offsets of the three regions
    public static final long IORING_OFF_SQ_RING = 0L;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;

    public static final StructLayout SQRING_OFFSETS_LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("resv2"));

    public static final StructLayout CQRING_OFFSETS_LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"),
            JAVA_INT.withName("overflow"),
            JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("resv1"),
            JAVA_LONG.withName("resv2"));

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"),
            JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            SQRING_OFFSETS_LAYOUT.withName("sq_off"),
            CQRING_OFFSETS_LAYOUT.withName("cq_off"));

    public static final int SIZE = 120;
    public static final int SQ_ENTRIES = 0;
    public static final int CQ_ENTRIES = 4;
    public static final int FLAGS = 8;
    public static final int FEATURES = 20;
    public static final int SQ_OFF = 40;
    public static final int CQ_OFF = 80;

    // Offsets inside io_sqring_offsets / io_cqring_offsets (add SQ_OFF / CQ_OFF)
    public static final int OFF_HEAD = 0;
    public static final int OFF_TAIL = 4;
    public static final int OFF_RING_MASK = 8;
    public static final int OFF_RING_ENTRIES = 12;
    public static final int SQ_OFF_FLAGS = 16;
    public static final int SQ_OFF_DROPPED = 20;
    public static final int SQ_OFF_ARRAY = 24;
    public static final int CQ_OFF_OVERFLOW = 16;
    public static final int CQ_OFF_CQES = 20;
    public static final int CQ_OFF_FLAGS = 24;

    private IoUringParams() {
    }

    /** {@code "SINGLE_MMAP|NODROP|..."}: the feature bits of {@code features} by name. */
    public static String featureNames(int features) {
        return bitNames(features, FEATURE_NAMES);
    }

    /** {@code "SINGLE_ISSUER|DEFER_TASKRUN"}, {@code "none"}: setup flags by name. */
    public static String setupFlagNames(int flags) {
        return bitNames(flags, SETUP_FLAG_NAMES);
    }

    private static String bitNames(int bits, String[] names) {
        StringBuilder text = new StringBuilder();
        for (int bit = 0; bit < Integer.SIZE; bit++) {
            if ((bits & 1 << bit) != 0) {
                text.append(text.isEmpty() ? "" : "|")
                        .append(bit < names.length ? names[bit] : "bit" + bit);
            }
        }
        return text.isEmpty() ? "none" : text.toString();
    }
}
