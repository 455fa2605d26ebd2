package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}, 5.19): a group of equal buffers the
 * kernel picks from for each receive of an SQE with {@link Sqe#IOSQE_BUFFER_SELECT}, reporting
 * the one it filled in the CQE ({@link Cqe#bufferId}). The application hands buffers (back) by
 * writing ring entries and moving the tail.
 *
 * <pre>
 * struct io_uring_buf {               0          8      12     14     16
 *     __u64 addr;                     +----------+------+------+------+
 *     __u32 len;                      |   addr   | len  | bid  | resv |
 *     __u16 bid;                      +----------+------+------+------+
 *     __u16 resv;
 * };
 *
 * struct io_uring_buf_ring {          the tail overlays bufs[0].resv:
 *     union {                         0                       14     16
 *         struct {                    +-----------------------+------+----------+----------+--
 *             __u64 resv1;            |  resv1, resv2, resv3  | tail | bufs[1]  | bufs[2]  |
 *             __u32 resv2;            +-----------------------+------+----------+----------+--
 *             __u16 resv3;            |<-------------- bufs[0] ------>|
 *             __u16 tail;
 *         };
 *         struct io_uring_buf bufs[];
 *     };
 * };
 *
 * struct io_uring_buf_reg {           0             8              12     14     16        40
 *     __u64 ring_addr;                +-------------+--------------+------+------+---------+
 *     __u32 ring_entries;             |  ring_addr  | ring_entries | bgid | pad  | resv[3] |
 *     __u16 bgid;                     +-------------+--------------+------+------+---------+
 *     __u16 pad;
 *     __u64 resv[3];
 * };
 * </pre>
 *
 * The ring memory is page-aligned (an anonymous mapping), as the kernel requires; the buffers
 * are one native block of {@code entries * bufferSize} bytes, buffer {@code bid} at
 * {@code bid * bufferSize}. The tail is published with a release store (as the SQ tail, see
 * {@link IoUring}) so the kernel never sees an entry before its address and length.
 *
 * <p>Threading: belongs to its ring's thread, like the ring. A buffer whose id came in a CQE is
 * the caller's until {@link #recycle}d; the kernel may fill any other buffer at any time.
 */
public final class BufRing implements AutoCloseable {
    public static final StructLayout BUF_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"),
            JAVA_SHORT.withName("bid"),
            JAVA_SHORT.withName("resv"));
    public static final int BUF_SIZE = 16;
    public static final int BUF_ADDR = 0;
    public static final int BUF_LEN = 8;
    public static final int BUF_BID = 12;
    /** {@code offsetof(struct io_uring_buf_ring, tail)}. */
    public static final int TAIL = 14;

    public static final StructLayout REG_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("ring_addr"),
            JAVA_INT.withName("ring_entries"),
            JAVA_SHORT.withName("bgid"),
            JAVA_SHORT.withName("pad"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("resv"));
    public static final int REG_SIZE = 40;
    public static final int REG_RING_ADDR = 0;
    public static final int REG_RING_ENTRIES = 8;
    public static final int REG_BGID = 12;

    /** The kernel's limit on ring entries. */
    public static final int MAX_ENTRIES = 1 << 15;

    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final IoUring ring;
    private final short group;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final MemorySegment entryRing;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffers;
    /** Entries written since the last {@link #advance()}, past the published tail. */
    private int staged;
    private short tail;
    private boolean closed;

    private BufRing(IoUring ring, short group, int entries, int bufferSize,
            MemorySegment entryRing) {
        this.ring = ring;
        this.group = group;
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.entryRing = entryRing;
        this.buffers = arena.allocate((long) entries * bufferSize, Long.BYTES);
    }

    /**
     * Registers group {@code group} of {@code entries} buffers (a power of two up to
     * {@link #MAX_ENTRIES}) of {@code bufferSize} bytes each on {@code ring}, and hands the
     * kernel every buffer.
     *
     * @throws ErrnoException EINVAL on a kernel without provided-buffer rings (before 5.19) or
     *         with bad sizes, EEXIST when the group is taken
     */
    public static BufRing register(IoUring ring, short group, int entries, int bufferSize)
            throws IOException {
        if (entries <= 0 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two up to "
                    + MAX_ENTRIES + ": " + entries);
        }
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        }
        CallState state = ring.state();
        MemorySegment entryRing = Mman.anonymous((long) entries * BUF_SIZE, state);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment reg = scratch.allocate(REG_SIZE, Long.BYTES);
            reg.set(JAVA_LONG, REG_RING_ADDR, entryRing.address());
            reg.set(JAVA_INT, REG_RING_ENTRIES, entries);
            reg.set(JAVA_SHORT, REG_BGID, group);
            IoUringSys.register(ring.fd(), IoUringSys.IORING_REGISTER_PBUF_RING, reg, 1, state);
        } catch (IOException | RuntimeException e) {
            Mman.unmap(entryRing, state);
            throw e;
        }
        BufRing bufRing = new BufRing(ring, group, entries, bufferSize, entryRing);
        for (int bid = 0; bid < entries; bid++) {
            bufRing.add(bid);
        }
        bufRing.advance();
        return bufRing;
    }

    /** The group id SQEs name in {@code buf_group}. */
    public short group() {
        return group;
    }

    public int entries() {
        return entries;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** The block holding every buffer: buffer {@code bid} starts at {@link #offset(int)}. */
    public MemorySegment buffers() {
        return buffers;
    }

    /** The byte offset of buffer {@code bid} in {@link #buffers()}. */
    public long offset(int bid) {
        return (long) bid * bufferSize;
    }

    /**
     * Writes buffer {@code bid} into the next free ring entry; the kernel sees it after
     * {@link #advance()}. Handing the kernel a buffer it still holds is a caller bug the kernel
     * cannot detect (two receives would share it), so only add ids that came back in a CQE.
     */
    public void add(int bid) {
        if (bid < 0 || bid >= entries) {
            throw new IndexOutOfBoundsException("buffer id " + bid + " of " + entries);
        }
        long at = (long) ((tail + staged) & mask) * BUF_SIZE;
        entryRing.set(JAVA_LONG, at + BUF_ADDR, buffers.address() + offset(bid));
        entryRing.set(JAVA_INT, at + BUF_LEN, bufferSize);
        entryRing.set(JAVA_SHORT, at + BUF_BID, (short) bid);
        staged++;
    }

    /** Publishes every buffer {@link #add}ed since the last call (one release store). */
    public void advance() {
        tail = (short) (tail + staged);
        staged = 0;
        SHORT.setRelease(entryRing, (long) TAIL, tail);
    }

    /** Gives buffer {@code bid} back to the kernel after its CQE was handled: add and advance. */
    public void recycle(int bid) {
        add(bid);
        advance();
    }

    /**
     * Unregisters the group and frees the ring and the buffers. Call before closing the ring,
     * and only when no receive selecting from this group is in flight. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        CallState state = ring.state();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment reg = scratch.allocate(REG_SIZE, Long.BYTES);
            reg.set(JAVA_SHORT, REG_BGID, group);
            IoUringSys.register(ring.fd(), IoUringSys.IORING_UNREGISTER_PBUF_RING, reg, 1, state);
        } finally {
            Mman.unmap(entryRing, state);
            arena.close();
        }
    }
}
