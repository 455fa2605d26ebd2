package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * mmap(2) and munmap(2), for memory shared with the kernel (io_uring's rings, a provided-buffer
 * ring):
 *
 * <pre>
 * void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
 * int   munmap(void *addr, size_t length);
 * </pre>
 *
 * A mapping is returned as a {@link MemorySegment} of exactly {@code length} bytes with no arena
 * behind it: nothing frees it but {@link #unmap}, and using the segment after that crashes the
 * JVM. Its owner (one ring) unmaps it once, on close, after the last access.
 *
 * <p>Static and thread-safe; the {@link CallState} passed in belongs to the calling thread.
 */
public final class Mman {
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    /** The same on x86-64 and aarch64 (asm-generic/mman-common.h). */
    public static final int MAP_ANONYMOUS = 0x20;
    /** Pre-fault the pages: a ring is touched at once anyway. */
    public static final int MAP_POPULATE = 0x8000;

    private static final long MAP_FAILED = -1;

    private static final MethodHandle MMAP = Libc.downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_LONG));
    private static final MethodHandle MUNMAP = Libc.downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));

    private Mman() {
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: a new mapping of {@code length} bytes. */
    @SuppressWarnings("restricted") // the kernel guarantees length bytes at the address
    public static MemorySegment map(long length, int prot, int flags, int fd, long offset,
            CallState state) throws IOException {
        long address;
        try {
            address = (long) MMAP.invokeExact(state.capture, 0L, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (address == MAP_FAILED) {
            throw new ErrnoException("mmap(" + length + " bytes, fd " + fd + ", offset 0x"
                    + Long.toHexString(offset) + ")", state.errno());
        }
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    /** {@code mmap} of {@code length} zeroed private bytes, page-aligned. */
    public static MemorySegment anonymous(long length, CallState state) throws IOException {
        return map(length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, state);
    }

    /** {@code munmap(mapping.address(), mapping.byteSize())}. */
    public static void unmap(MemorySegment mapping, CallState state) throws IOException {
        int result;
        try {
            result = (int) MUNMAP.invokeExact(state.capture, mapping.address(), mapping.byteSize());
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (result < 0) {
            throw new ErrnoException("munmap(" + mapping.byteSize() + " bytes)", state.errno());
        }
    }
}
