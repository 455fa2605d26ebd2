package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/**
 * {@code struct iovec}, the scatter/gather element of {@code readv} and {@code writev}.
 *
 * <pre>
 * struct iovec {               0                 8                 16
 *     void  *iov_base;         +-----------------+-----------------+
 *     size_t iov_len;          |    iov_base     |     iov_len     |
 * };                           +-----------------+-----------------+
 * </pre>
 *
 * The same on x86-64 and aarch64 (LP64). An iovec array holds raw addresses: the memory they
 * point to must stay alive until the call that uses the array returns.
 *
 * <p>Static and thread-safe; an array belongs to whoever allocated it.
 */
public final class IoVec {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("iov_base"),
            JAVA_LONG.withName("iov_len"));

    public static final int SIZE = 16;
    public static final int BASE_OFFSET = 0;
    public static final int LEN_OFFSET = 8;

    /** {@code IOV_MAX} (UIO_MAXIOV): the kernel refuses more elements with EINVAL. */
    public static final int MAX = 1024;

    private IoVec() {
    }

    /** Allocates an array of {@code count} iovecs. */
    public static MemorySegment allocate(SegmentAllocator allocator, int count) {
        return allocator.allocate(LAYOUT, count);
    }

    /** Points element {@code index} at {@code [offset, offset + length)} of {@code buf}. */
    public static void set(MemorySegment iovecs, int index, MemorySegment buf, long offset,
            long length) {
        set(iovecs, index, Libc.address(buf, offset, length), length);
    }

    /** Sets element {@code index} to a raw address and length. */
    public static void set(MemorySegment iovecs, int index, long address, long length) {
        long at = (long) index * SIZE;
        iovecs.set(JAVA_LONG, at + BASE_OFFSET, address);
        iovecs.set(JAVA_LONG, at + LEN_OFFSET, length);
    }

    /** The {@code iov_base} of element {@code index}. */
    public static long base(MemorySegment iovecs, int index) {
        return iovecs.get(JAVA_LONG, (long) index * SIZE + BASE_OFFSET);
    }

    /** The {@code iov_len} of element {@code index}. */
    public static long length(MemorySegment iovecs, int index) {
        return iovecs.get(JAVA_LONG, (long) index * SIZE + LEN_OFFSET);
    }
}
