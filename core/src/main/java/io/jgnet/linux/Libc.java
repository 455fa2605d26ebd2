package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Plumbing shared by the facility classes: the linker, symbol lookup in the C library, and the
 * errno capture layout. Holds no handles of its own except {@code strerror}, created lazily, so
 * that loading this class makes no restricted call.
 *
 * <p>Static and thread-safe.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();

    /** On Linux the default lookup covers libc, which the JVM has already loaded. */
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    /** What {@code captureCallState("errno")} writes: on Linux, one {@code int errno}. */
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(PathElement.groupElement("errno"));

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Libc() {
    }

    /**
     * A handle for {@code name} whose first parameter is the errno capture segment
     * ({@link CallState#capture}). Restricted: only call with native access enabled.
     */
    @SuppressWarnings("restricted") // callers run only after Linux.isAvailable() said yes
    static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /**
     * A handle for glibc's {@code long syscall(long number, ...)} with three long arguments and
     * errno capture. The hot path uses it for read and write: the named wrappers are
     * cancellation points, and their enable/disable-cancel bookkeeping costs user time on every
     * message that a JVM thread, which is never cancelled, does not need.
     */
    @SuppressWarnings("restricted")
    static MethodHandle syscall3() {
        return LINKER.downcallHandle(symbol("syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /**
     * A handle for {@code syscall(long number, ...)} with six long arguments and errno capture,
     * for system calls libc has no wrapper for (io_uring's). Unused trailing arguments are
     * passed as 0; the kernel ignores them.
     */
    @SuppressWarnings("restricted")
    static MethodHandle syscall6() {
        return LINKER.downcallHandle(symbol("syscall"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                        JAVA_LONG, JAVA_LONG, JAVA_LONG),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    /** A handle for {@code name} without errno capture, for calls any thread may make. */
    @SuppressWarnings("restricted")
    static MethodHandle downcallWithoutErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** Whether libc exports {@code name}; a lookup, not a restricted call. */
    static boolean hasSymbol(String name) {
        return LOOKUP.find(name).isPresent();
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    /** The errno the last call captured into {@code capture}. */
    static int errno(MemorySegment capture) {
        return capture.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** {@code result} if the call succeeded, else {@code -errno}: the hot-path convention. */
    static long orMinusErrno(long result, CallState state) {
        state.calls++;
        return result >= 0 ? result : -errno(state.capture);
    }

    static int orMinusErrno(int result, CallState state) {
        state.calls++;
        return result >= 0 ? result : -errno(state.capture);
    }

    /**
     * The raw address of {@code [offset, offset + count)} of {@code buf}, after the checks the
     * linker would have made had we passed a slice: native, open, in bounds. Passing the address
     * as a {@code long} (the same register as a pointer on LP64) avoids allocating that slice.
     */
    static long address(MemorySegment buf, long offset, long count) {
        if (!buf.isNative()) {
            throw new IllegalArgumentException("not native memory: " + buf);
        }
        if (!buf.scope().isAlive()) {
            throw new IllegalStateException("memory already freed: " + buf);
        }
        Objects.checkFromIndexSize(offset, count, buf.byteSize());
        return buf.address() + offset;
    }

    /**
     * The raw address of a struct array argument after checking that it can hold {@code count}
     * elements of {@code size} (and, as {@link #address}, that it is native and open): passed as
     * a {@code long} for the same reason. The caller keeps {@code array} reachable until the call
     * has returned.
     */
    static long arrayAddress(MemorySegment array, long count, long size, String what) {
        if (count < 0 || count * size > array.byteSize()) {
            throw new IndexOutOfBoundsException(
                    count + " " + what + " do not fit in " + array.byteSize() + " bytes");
        }
        return address(array, 0, count * size);
    }

    /** {@code strerror(errno)}: the C library's text, e.g. "Bad file descriptor". */
    @SuppressWarnings("restricted") // strerror's result is a NUL-terminated string
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) StrError.HANDLE.invokeExact(errno);
            // glibc returns its constant table entry, or for unknown values a per-thread
            // buffer (glibc >= 2.32); we copy it at once, before this thread calls again.
            return text.equals(MemorySegment.NULL)
                    ? "errno " + errno
                    : text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /**
     * Rethrows what a downcall's {@code invokeExact} threw. Downcalls declare {@code Throwable}
     * but only throw unchecked exceptions (a closed arena, a wrong thread) or errors.
     */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected exception from a native call", t);
    }

    /** Created on first use: only failure paths need it. */
    private static final class StrError {
        static final MethodHandle HANDLE =
                downcallWithoutErrno("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
}
