package io.jgnet.bench.jmh;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads as Netty's event loops run: {@code FastThreadLocalThread}s, made by
 * Netty's {@link DefaultThreadFactory}. On such a thread Netty's FastThreadLocals (its Recycler,
 * the pooled allocator's thread cache) take their fast path; on a plain thread they fall back
 * to a JDK ThreadLocal, which a Netty server never pays. The benchmarks that run Netty code ask
 * their forked JVM for it:
 *
 * <pre>{@code -Djmh.executor=CUSTOM -Djmh.executor.class=io.jgnet.bench.jmh.NettyThreadExecutor}</pre>
 *
 * <p>JMH makes one per run, through the public (int, String) constructor, and submits its
 * workers to it; jgnet's code does not care which thread it runs on.
 */
public final class NettyThreadExecutor extends ThreadPoolExecutor {

    /** A fixed pool of {@code maxThreads} FastThreadLocalThreads named after {@code prefix}. */
    public NettyThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
