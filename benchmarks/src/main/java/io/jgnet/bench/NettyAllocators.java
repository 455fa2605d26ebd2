package io.jgnet.bench;

import io.netty.buffer.PooledByteBufAllocator;

/**
 * The Netty allocator the buffer and pool benchmarks compare against: a
 * {@link PooledByteBufAllocator} preferring direct memory, with Netty's default arenas and cache
 * sizes, and per-thread caches turned on for every thread.
 *
 * <p>Why not {@code PooledByteBufAllocator.DEFAULT}: since 4.2 it gives thread caches only to
 * Netty's own {@code FastThreadLocalThread}s (io.netty.allocator.useCacheForAllThreads is false
 * by default). A Netty event loop runs on such a thread and allocates from its cache; a JMH
 * worker thread is a plain thread and would go to the shared arenas instead, which is not what a
 * Netty server does. Asking for caches on all threads puts the benchmark thread where an event
 * loop would be. Netty still caches only buffers up to 32 KiB per thread
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
