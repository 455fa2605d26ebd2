package io.jgnet.bench.jmh;

import io.netty.buffer.PooledByteBufAllocator;

/**
 * The Netty allocator the buffer and pool benchmarks compare against: a
 * {@link PooledByteBufAllocator} preferring direct memory, with Netty's default arenas and cache
 * sizes, and per-thread caches on every thread.
 *
 * <p>Why not {@code PooledByteBufAllocator.DEFAULT} (or {@code ByteBufAllocator.DEFAULT}, which
 * is the adaptive allocator in 4.2): the brief compares with the pooled one, and since 4.2 it
 * gives thread caches only to Netty's own {@code FastThreadLocalThread}s
 * (io.netty.allocator.useCacheForAllThreads is false by default). The benchmarks run on such
 * threads ({@link NettyThreadExecutor}), as an event loop does; asking for caches on all threads
 * as well keeps the unit tests, which call the methods on JUnit's plain thread, on the same
 * path. Netty caches only buffers up to 32 KiB per thread
 * (io.netty.allocator.maxCachedBufferCapacity); larger ones come from the arena, as in a server.
 */
final class NettyAllocators {
    private NettyAllocators() {
    }

    /** A new pooled direct allocator with thread caches for every thread. Any thread. */
    static PooledByteBufAllocator pooledWithThreadCaches() {
        return new PooledByteBufAllocator(true,
                PooledByteBufAllocator.defaultNumHeapArena(),
                PooledByteBufAllocator.defaultNumDirectArena(),
                PooledByteBufAllocator.defaultPageSize(),
                PooledByteBufAllocator.defaultMaxOrder(),
                PooledByteBufAllocator.defaultSmallCacheSize(),
                PooledByteBufAllocator.defaultNormalCacheSize(),
                true);
    }
}
