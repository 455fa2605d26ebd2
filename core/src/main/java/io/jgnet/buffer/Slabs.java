package io.jgnet.buffer;

import io.jgnet.linux.CallState;
import io.jgnet.linux.Linux;
import io.jgnet.linux.Mman;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Where a {@link BufferPool}'s memory comes from, and how it goes back: each slab has an
 * {@link Arena} of its own, and closing that arena returns the memory to the operating system
 * at once.
 *
 * <p>Large slabs ({@value #MAPPED_MIN} bytes and up) are mapped with {@code mmap} and unmapped
 * on close where the Linux system-call layer is usable. Through {@code malloc} they would not
 * reliably go back: glibc raises its mmap threshold after the first large free (up to 32 MiB),
 * so later large buffers come from heap arenas, whose free memory stays resident. Elsewhere, and
 * for small slabs, the arena allocates with {@code malloc} and frees on close.
 *
 * <p>Owned by the pool's thread, like the pool (its {@link CallState} is that thread's).
 */
final class Slabs {
    /** From this size on a slab is its own mapping: whole pages, unmapped on free. */
    static final int MAPPED_MIN = 64 * 1024;
    private static final long PAGE = 4096;
    private static final long ALIGNMENT = 64;

    /** Whether large slabs are mapped: only once the Linux layer has said it works here. */
    private static final boolean MAPPING = Linux.isAvailable();

    private final CallState state = MAPPING ? new CallState() : null;

    /** A slab: its buffer (exactly {@code size} bytes) and the arena whose close frees it. */
    record Slab(ByteBuffer buffer, Arena arena) {
    }

    /** A new slab of {@code size} bytes, within the process's {@link DirectMemoryBudget}. */
    Slab allocate(int size) {
        DirectMemoryBudget.reserve(size);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment memory = MAPPING && size >= MAPPED_MIN ? map(size, arena) : arena.allocate(size, ALIGNMENT);
            return new Slab(memory.asSlice(0, size).asByteBuffer(), arena);
        } catch (RuntimeException | OutOfMemoryError e) {
            free(arena, size);
            throw e;
        }
    }

    /** Frees a slab of {@code size} bytes that {@link #allocate} made. */
    void free(Arena arena, int size) {
        try {
            arena.close();
        } finally {
            DirectMemoryBudget.release(size);
        }
    }

    @SuppressWarnings("restricted") // the mapping is exactly its length; munmap runs once, on close
    private MemorySegment map(int size, Arena arena) {
        long length = (size + PAGE - 1) & -PAGE;
        MemorySegment mapping;
        try {
            mapping = Mman.anonymous(length, state);
        } catch (IOException e) {
            throw new OutOfMemoryError("cannot map a buffer of " + size + " bytes: " + e.getMessage());
        }
        return mapping.reinterpret(arena, Slabs.this::unmap);
    }

    private void unmap(MemorySegment mapping) {
        try {
            Mman.unmap(mapping, state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
