package io.jgnet.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The native memory one thread's calls into this package use, allocated once so that no call
 * allocates: the errno capture segment that {@code Linker.Option.captureCallState} fills on
 * every call, and scratch space for by-reference arguments (an {@code epoll_event} for
 * {@code epoll_ctl}, an {@code int} or {@code struct linger} option value, a {@code socklen_t},
 * a {@code sockaddr_storage} for the address conveniences, the eventfd counter).
 *
 * <p>Threading: a {@code CallState} belongs to one thread at a time, typically one per event
 * loop, used only by that loop's thread. Two threads using one at once would overwrite each
 * other's errno and scratch. It is not confined to the thread that created it (an engine may
 * build a poller on one thread and run it on another); hand it over with a happens-before edge,
 * as {@link Thread#start()} gives. The memory is freed by the garbage collector once the
 * {@code CallState} is unreachable (about 200 bytes, so there is nothing to close).
 *
 * <p>It also counts the calls on the I/O path made with it ({@link #calls()}, readable from any
 * thread: reads, writes, sends, receives, accepts, epoll_wait, io_uring_enter), so that a loop can
 * report its system calls.
 */
public final class CallState {
    /** {@code sizeof(struct sockaddr_storage)}, 8-aligned. */
    private static final long SOCKADDR_SIZE = SockAddr.STORAGE_SIZE;

    /** Large enough for the largest value scratch user, the 16-byte aarch64 epoll_event. */
    private static final long VALUE_SIZE = 16;

    private static final VarHandle CALLS;

    static {
        try {
            CALLS = MethodHandles.lookup().findVarHandle(CallState.class, "calls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final MemorySegment capture;
    /**
     * Calls on the I/O path (those whose result goes through {@code Libc.orMinusErrno}, and
     * epoll_wait): written plainly by the owning thread, read by any (opaque). Counting in the
     * capture argument itself, through a method, cost the hot path an allocation: the FFM stub's
     * slice of the capture segment was no longer scalar-replaced.
     */
    long calls;
    /** A sockaddr_storage for bind/connect/getsockname conveniences. */
    final MemorySegment sockaddr;
    /** A socklen_t for value-result length arguments. */
    final MemorySegment length;
    /** Scratch for one small by-reference value. */
    final MemorySegment value;
    /** The file descriptor {@link FileChannelDescriptor} found last, tried first next time; -1 for none. */
    int lastFileDescriptor = -1;

    /** Allocates the state; not a restricted operation, so safe before the probe. */
    public CallState() {
        Arena arena = Arena.ofAuto();
        capture = arena.allocate(Libc.CAPTURE_LAYOUT);
        sockaddr = arena.allocate(SOCKADDR_SIZE, 8);
        length = arena.allocate(Integer.BYTES, Integer.BYTES);
        value = arena.allocate(VALUE_SIZE, 8);
    }

    /**
     * The errno captured by the last call made with this state. Meaningful only right after a
     * call that failed (the C library leaves errno alone on success).
     */
    public int errno() {
        return Libc.errno(capture);
    }

    /**
     * The calls into the kernel made with this state so far. Any thread: the count is whole and
     * eventually fresh.
     *
     * @return the number of calls
     */
    public long calls() {
        return (long) CALLS.getOpaque(this);
    }
}
