package io.jgnet.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;

class NettyComparisonTest {

    @Test
    void runsItsTasksOnFastThreadLocalThreadsAsNettyEventLoopsDo() throws Exception {
        NettyComparison.NettyThreads executor = new NettyComparison.NettyThreads(1, "jmh-worker");
        try {
            Thread worker = executor.submit(Thread::currentThread).get();
            assertThat(worker).isInstanceOf(FastThreadLocalThread.class);
            assertThat(worker.getName()).startsWith("jmh-worker");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theForkNamesThatExecutorByItsBinaryName() throws Exception {
        String property = "-Djmh.executor.class=";
        String name = Arrays.stream(NettyComparison.class.getAnnotation(Fork.class).jvmArgsAppend())
                .filter(a -> a.startsWith(property)).findFirst().orElseThrow().substring(property.length());
        assertThat(Class.forName(name)).isEqualTo(NettyComparison.NettyThreads.class);
    }
}
