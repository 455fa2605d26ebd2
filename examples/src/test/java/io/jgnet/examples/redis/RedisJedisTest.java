package io.jgnet.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** Every supported command through Jedis, a real client, against the server on two loops. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisJedisTest {
    private TestRedis redis;
    private Jedis jedis;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        jedis = connect();
    }

    @AfterEach
    void stop() throws Exception {
        jedis.close();
        redis.close();
    }

    private Jedis connect() {
        return new Jedis(redis.address().getHostString(), redis.port());
    }

    @Test
    void pingAndEcho() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hello there")).isEqualTo("hello there");
        assertThat(jedis.echo("a\r\nb")).isEqualTo("a\r\nb");
    }

    @Test
    void setGetAndTheConditionsNxAndXx() {
        assertThat(jedis.get("k")).isNull();
        assertThat(jedis.set("k", "v1")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v1");
        assertThat(jedis.set("k", "v2", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "v2", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(jedis.set("absent", "x", SetParams.setParams().xx())).isNull();
        assertThat(jedis.set("fresh", "x", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(jedis.mget("k", "absent", "fresh")).containsExactly("v2", null, "x");
    }

    @Test
    void valuesAndKeysAreBinarySafe() {
        byte[] key = new byte[256];
        byte[] value = new byte[256 * 1024];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        assertThat(jedis.set(key, value)).isEqualTo("OK");
        assertThat(jedis.get(key)).isEqualTo(value);
    }

    @Test
    void expiryWithExAndPxFollowsTheServersClock() {
        jedis.set("ex", "v", SetParams.setParams().ex(10));
        jedis.set("px", "v", SetParams.setParams().px(1));
        jedis.set("plain", "v");
        assertThat(jedis.ttl("ex")).isEqualTo(10);
        assertThat(jedis.pttl("px")).isEqualTo(1);
        assertThat(jedis.ttl("plain")).isEqualTo(-1);
        assertThat(jedis.ttl("absent")).isEqualTo(-2);
        redis.advance(Duration.ofMillis(1));
        assertThat(jedis.get("px")).isNull();
        redis.advance(Duration.ofMillis(8_400));
        assertThat(jedis.ttl("ex")).as("1.599 s rounds to 2").isEqualTo(2);
        assertThat(jedis.pttl("ex")).isEqualTo(1_599);
        redis.advance(Duration.ofMillis(1_599));
        assertThat(jedis.get("ex")).isNull();
        assertThat(jedis.ttl("ex")).isEqualTo(-2);
        assertThat(jedis.get("plain")).isEqualTo("v");
    }

    @Test
    void expireSetsATimeToLiveAndANonPositiveOneDeletes() {
        jedis.set("k", "v");
        assertThat(jedis.expire("k", 100)).isEqualTo(1);
        assertThat(jedis.ttl("k")).isEqualTo(100);
        assertThat(jedis.expire("absent", 100)).isZero();
        assertThat(jedis.expire("k", 0)).isEqualTo(1);
        assertThat(jedis.exists("k")).isFalse();
    }

    @Test
    void theSweepRemovesExpiredKeysNobodyReads() {
        for (int i = 0; i < 50; i++) {
            jedis.set("gone" + i, "v", SetParams.setParams().px(5));
        }
        jedis.set("stays", "v");
        redis.advance(Duration.ofMillis(5));
        // DBSIZE counts expired keys until they are removed; only the ticker's sweep removes these.
        // Polled, not slept on: each DBSIZE is a round trip, and the bound is far above the few
        // sweeps (5 ms apart) that 51 keys need.
        long size = jedis.dbSize();
        for (int polls = 0; size > 1 && polls < 1_000_000; polls++) {
            size = jedis.dbSize();
        }
        assertThat(size).isEqualTo(1);
    }

    @Test
    void delAndExistsCountKeys() {
        jedis.mset("a", "1", "b", "2", "c", "3");
        assertThat(jedis.exists("a", "b", "nope", "a")).isEqualTo(3);
        assertThat(jedis.del("a", "b", "nope")).isEqualTo(2);
        assertThat(jedis.exists("a")).isFalse();
        assertThat(jedis.dbSize()).isEqualTo(1);
    }

    @Test
    void counters() {
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 41)).isEqualTo(42);
        assertThat(jedis.decr("n")).isEqualTo(41);
        assertThat(jedis.decrBy("n", 50)).isEqualTo(-9);
        assertThat(jedis.get("n")).isEqualTo("-9");
        jedis.set("text", "abc");
        assertThatThrownBy(() -> jedis.incr("text")).isInstanceOf(JedisDataException.class)
                .hasMessage("ERR value is not an integer or out of range");
        jedis.set("max", Long.toString(Long.MAX_VALUE));
        assertThatThrownBy(() -> jedis.incr("max")).hasMessage("ERR increment or decrement would overflow");
    }

    @Test
    void keysFiltersWithGlobPatterns() {
        jedis.mset("user:1", "a", "user:2", "b", "user:10", "c", "session:1", "d");
        assertThat(jedis.keys("*")).hasSize(4);
        assertThat(jedis.keys("user:?")).containsExactlyInAnyOrder("user:1", "user:2");
        assertThat(jedis.keys("user:[^2]*")).containsExactlyInAnyOrder("user:1", "user:10");
        assertThat(jedis.keys("nothing*")).isEmpty();
    }

    @Test
    void dbsizeAndFlushdb() {
        jedis.mset("a", "1", "b", "2");
        assertThat(jedis.dbSize()).isEqualTo(2);
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
    }

    @Test
    void connectionCommands() {
        assertThat(jedis.select(0)).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.select(1)).hasMessage("ERR DB index is out of range");
        assertThat(jedis.clientSetname("worker-1")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("worker-1");
        assertThat(jedis.clientId()).isPositive();
        assertThat(jedis.commandCount()).isEqualTo(Command.values().length);
    }

    @Test
    void helloWithResp2IsAnsweredAndResp3IsRefusedSoClientsFallBack() {
        HostAndPort at = new HostAndPort(redis.address().getHostString(), redis.port());
        try (Jedis resp2 = new Jedis(at, DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build())) {
            assertThat(resp2.ping()).isEqualTo("PONG");
        }
        assertThatThrownBy(() -> new Jedis(at, DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build()))
                .isInstanceOf(JedisDataException.class)
                .hasMessageStartingWith("NOPROTO");
    }

    @Test
    void errorsUseRedisWords() {
        ProtocolCommand foo = () -> "FOO".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> jedis.sendCommand(foo, "a", "b"))
                .hasMessage("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.GET))
                .hasMessage("ERR wrong number of arguments for 'get' command");
        assertThatThrownBy(() -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX"))
                .hasMessage("ERR syntax error");
        assertThatThrownBy(() -> jedis.set("k", "v", SetParams.setParams().ex(0)))
                .hasMessage("ERR invalid expire time in 'set' command");
        assertThat(jedis.ping()).as("errors leave the connection usable").isEqualTo("PONG");
    }

    @Test
    void quitAnswersOkThenCloses() {
        ProtocolCommand quit = () -> "QUIT".getBytes(StandardCharsets.US_ASCII);
        assertThat((byte[]) jedis.sendCommand(quit)).asString(StandardCharsets.US_ASCII).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.ping()).isInstanceOf(JedisConnectionException.class);
    }

    @Test
    void aPipelineGetsEveryReplyInOrder() {
        int n = 2_000;
        List<Response<String>> sets = new ArrayList<>();
        List<Response<Long>> incrs = new ArrayList<>();
        List<Response<String>> gets = new ArrayList<>();
        Pipeline pipeline = jedis.pipelined();
        for (int i = 0; i < n; i++) {
            sets.add(pipeline.set("key" + i, "value" + i));
            incrs.add(pipeline.incr("counter"));
            gets.add(pipeline.get("key" + i));
        }
        pipeline.sync();
        for (int i = 0; i < n; i++) {
            assertThat(sets.get(i).get()).isEqualTo("OK");
            assertThat(incrs.get(i).get()).isEqualTo(i + 1);
            assertThat(gets.get(i).get()).isEqualTo("value" + i);
        }
    }

    @Test
    void incrementsFromClientsOnEveryLoopAreNeverLost() throws Exception {
        int clients = 6;
        int each = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try (Jedis client = connect()) {
                    Pipeline pipeline = client.pipelined();
                    for (int i = 0; i < each; i++) {
                        pipeline.incr("shared");
                    }
                    pipeline.sync();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(jedis.get("shared")).isEqualTo(Integer.toString(clients * each));
    }
}
