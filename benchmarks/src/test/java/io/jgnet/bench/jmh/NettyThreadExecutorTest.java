package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;

class NettyThreadExecutorTest {

    @Test
    void runsItsTasksOnFastThreadLocalThreadsAsNettyEventLoopsDo() throws Exception {
        NettyThreadExecutor executor = new NettyThreadExecutor(1, "jmh-worker");
        try {
            Thread worker = executor.submit(Thread::currentThread).get();
            assertThat(worker).isInstanceOf(FastThreadLocalThread.class);
            assertThat(worker.getName()).startsWith("jmh-worker");
        } finally {
            executor.shutdownNow();
        }
    }
}
