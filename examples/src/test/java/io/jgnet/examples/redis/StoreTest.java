package io.jgnet.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jgnet.examples.redis.Store.Condition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The keyspace alone, with a clock moved by hand. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StoreTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Store store = new Store(now::get);

    @Test
    void anExpiredValueIsInvisibleAtOnceAndRemovedWhenTouched() {
        store.set(key("k"), bytes("v"), now.get() + 10, Condition.ALWAYS);
        now.addAndGet(9);
        assertThat(store.get(key("k"))).isEqualTo(bytes("v"));
        assertThat(store.millisToLive(key("k"))).isEqualTo(1);
        now.addAndGet(1);
        assertThat(store.size()).as("not removed until touched").isEqualTo(1);
        assertThat(store.get(key("k"))).isNull();
        assertThat(store.size()).isZero();
        assertThat(store.millisToLive(key("k"))).isEqualTo(-2);
    }

    @Test
    void conditionalSetTreatsAnExpiredKeyAsAbsent() {
        store.set(key("k"), bytes("old"), now.get() + 5, Condition.ALWAYS);
        assertThat(store.set(key("k"), bytes("nx"), Store.NEVER, Condition.IF_ABSENT)).isFalse();
        now.addAndGet(5);
        assertThat(store.set(key("k"), bytes("xx"), Store.NEVER, Condition.IF_PRESENT)).isFalse();
        assertThat(store.set(key("k"), bytes("nx"), Store.NEVER, Condition.IF_ABSENT)).isTrue();
        assertThat(store.get(key("k"))).isEqualTo(bytes("nx"));
        assertThat(store.millisToLive(key("k"))).isEqualTo(-1);
    }

    @Test
    void incrementKeepsTheExpiryAndStartsAnExpiredKeyFromZero() {
        store.set(key("n"), bytes("41"), now.get() + 100, Condition.ALWAYS);
        assertThat(store.incrementBy(key("n"), 1)).isEqualTo(42);
        assertThat(store.millisToLive(key("n"))).isEqualTo(100);
        now.addAndGet(100);
        assertThat(store.incrementBy(key("n"), 5)).isEqualTo(5);
        assertThat(store.millisToLive(key("n"))).isEqualTo(-1);
        store.set(key("n"), bytes(Long.toString(Long.MAX_VALUE)), Store.NEVER, Condition.ALWAYS);
        assertThatThrownBy(() -> store.incrementBy(key("n"), 1)).isSameAs(RedisError.OVERFLOW);
        store.set(key("s"), bytes("12 "), Store.NEVER, Condition.ALWAYS);
        assertThatThrownBy(() -> store.incrementBy(key("s"), 1)).isSameAs(RedisError.NOT_AN_INTEGER);
    }

    @Test
    void expiringAtOrBeforeNowDeletes() {
        store.set(key("k"), bytes("v"), Store.NEVER, Condition.ALWAYS);
        assertThat(store.expireAt(key("k"), now.get())).isTrue();
        assertThat(store.exists(key("k"))).isFalse();
        assertThat(store.expireAt(key("k"), now.get() + 10)).as("gone").isFalse();
    }

    @Test
    void sweepRemovesExpiredKeysWithBoundedWorkPerCall() {
        for (int i = 0; i < 100; i++) {
            store.set(key("short" + i), bytes("v"), now.get() + 1, Condition.ALWAYS);
            store.set(key("long" + i), bytes("v"), Store.NEVER, Condition.ALWAYS);
        }
        now.addAndGet(1);
        int calls = 0;
        int removed = 0;
        do {
            int before = removed;
            removed += store.sweep(30);
            assertThat(removed - before).as("one call examines at most its budget").isLessThanOrEqualTo(30);
            calls++;
        } while (store.size() > 100 && calls < 100);
        assertThat(removed).isEqualTo(100);
        assertThat(calls).as("one pass over 200 keys, 30 at a time").isLessThanOrEqualTo(7);
        assertThat(store.keys(bytes("long*"))).hasSize(100);
    }

    @Test
    void concurrentIncrementsFromManyThreadsAreNeverLost() throws Exception {
        int threads = 8;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                Key probe = Key.newProbe();
                java.nio.ByteBuffer name = java.nio.ByteBuffer.wrap(bytes("counter"));
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    store.incrementBy(probe.probe(name, 0, name.limit()), 1);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(store.get(key("counter"))).asString(StandardCharsets.US_ASCII)
                .isEqualTo(Long.toString((long) threads * each));
    }

    private static Key key(String name) {
        return Key.of(bytes(name));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
