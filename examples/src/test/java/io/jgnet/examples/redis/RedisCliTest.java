package io.jgnet.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.examples.PeerTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every supported command through redis-cli (Debian package redis-tools), one process per
 * command. With its output not a terminal redis-cli prints replies raw: a bulk string or status
 * as is, nil as an empty line, an array one element per line, an error as its text.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisCliTest {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static Path cli;
    private static TestRedis redis;

    @BeforeAll
    static void start() throws Exception {
        redis = TestRedis.start();
    }

    /** Per test, not per class: a class aborted in @BeforeAll is reported as no tests at all, not as skipped ones. */
    @BeforeEach
    void requireTheTool() {
        cli = PeerTools.require("redis-cli", "redis-tools");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void stringsAndConditions() throws Exception {
        assertThat(cli("SET", "cli:k", "hello world")).isEqualTo("OK");
        assertThat(cli("GET", "cli:k")).isEqualTo("hello world");
        assertThat(cli("SET", "cli:k", "x", "NX")).isEmpty();
        assertThat(cli("SET", "cli:k", "v2", "XX")).isEqualTo("OK");
        assertThat(cli("SET", "cli:none", "v", "XX")).isEmpty();
        assertThat(cli("GET", "cli:none")).isEmpty();
        assertThat(cli("MSET", "cli:a", "1", "cli:b", "2")).isEqualTo("OK");
        assertThat(cli("MGET", "cli:a", "cli:none", "cli:b")).isEqualTo("1\n\n2");
        assertThat(cli("EXISTS", "cli:a", "cli:b", "cli:none")).isEqualTo("2");
        assertThat(cli("DEL", "cli:a", "cli:none")).isEqualTo("1");
    }

    @Test
    void counters() throws Exception {
        assertThat(cli("INCR", "cli:n")).isEqualTo("1");
        assertThat(cli("INCRBY", "cli:n", "9")).isEqualTo("10");
        assertThat(cli("DECR", "cli:n")).isEqualTo("9");
        assertThat(cli("DECRBY", "cli:n", "10")).isEqualTo("-1");
        assertThat(cli("INCRBY", "cli:n", "ten")).isEqualTo("ERR value is not an integer or out of range");
    }

    @Test
    void expiry() throws Exception {
        assertThat(cli("SET", "cli:ex", "v", "EX", "100")).isEqualTo("OK");
        assertThat(cli("TTL", "cli:ex")).isEqualTo("100");
        assertThat(cli("PTTL", "cli:ex")).isEqualTo("100000");
        assertThat(cli("SET", "cli:px", "v", "PX", "250")).isEqualTo("OK");
        assertThat(cli("PTTL", "cli:px")).isEqualTo("250");
        assertThat(cli("SET", "cli:plain", "v")).isEqualTo("OK");
        assertThat(cli("EXPIRE", "cli:plain", "30")).isEqualTo("1");
        assertThat(cli("TTL", "cli:plain")).isEqualTo("30");
        redis.advance(Duration.ofSeconds(30));
        assertThat(cli("GET", "cli:plain")).isEmpty();
        assertThat(cli("GET", "cli:px")).isEmpty();
        assertThat(cli("TTL", "cli:ex")).isEqualTo("70");
        assertThat(cli("TTL", "cli:plain")).isEqualTo("-2");
        assertThat(cli("SET", "cli:ex", "v", "EX", "0")).isEqualTo("ERR invalid expire time in 'set' command");
    }

    @Test
    void keysDbsizeAndFlushdbOnTheirOwnServer() throws Exception {
        // FLUSHDB would wipe the other tests' keys: this one gets a server of its own.
        try (TestRedis own = TestRedis.start()) {
            int port = own.port();
            assertThat(cli(port, "MSET", "user:1", "a", "user:2", "b", "user:10", "c", "other", "d")).isEqualTo("OK");
            assertThat(cli(port, "KEYS", "user:?").lines().sorted().toList()).containsExactly("user:1", "user:2");
            assertThat(cli(port, "KEYS", "user:[^1]*")).isEqualTo("user:2");
            assertThat(cli(port, "KEYS", "nobody*")).isEmpty();
            assertThat(cli(port, "KEYS", "*").lines().count()).isEqualTo(4);
            assertThat(cli(port, "DBSIZE")).isEqualTo("4");
            assertThat(cli(port, "FLUSHDB")).isEqualTo("OK");
            assertThat(cli(port, "DBSIZE")).isEqualTo("0");
        }
    }

    @Test
    void connectionCommands() throws Exception {
        assertThat(cli("PING")).isEqualTo("PONG");
        assertThat(cli("PING", "hi there")).isEqualTo("hi there");
        assertThat(cli("ECHO", "echoed")).isEqualTo("echoed");
        assertThat(cli("SELECT", "0")).isEqualTo("OK");
        assertThat(cli("SELECT", "3")).isEqualTo("ERR DB index is out of range");
        assertThat(cli("CLIENT", "SETNAME", "me")).isEqualTo("OK");
        assertThat(cli("CLIENT", "SETINFO", "LIB-NAME", "cli-test")).isEqualTo("OK");
        assertThat(cli("COMMAND", "COUNT")).isEqualTo(Integer.toString(Command.values().length));
        assertThat(cli("COMMAND", "DOCS")).isEmpty();
        assertThat(cli("HELLO", "2").lines().toList()).startsWith("server", "redis", "version", "7.0.0", "proto", "2");
        assertThat(cli("HELLO", "3")).isEqualTo("NOPROTO unsupported protocol version");
        assertThat(cli("QUIT")).isEqualTo("OK");
    }

    @Test
    void errorsUseRedisWords() throws Exception {
        assertThat(cli("FOO", "bar", "baz")).isEqualTo("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz'");
        assertThat(cli("GET")).isEqualTo("ERR wrong number of arguments for 'get' command");
        assertThat(cli("SET", "k", "v", "NX", "XX")).isEqualTo("ERR syntax error");
        assertThat(cli("CLIENT", "KILL")).isEqualTo("ERR unknown subcommand 'KILL'. Try CLIENT HELP.");
    }

    private String cli(String... args) throws Exception {
        return cli(redis.port(), args);
    }

    /** The reply as redis-cli prints it, trailing whitespace removed. */
    private static String cli(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        PeerTools.Result result = PeerTools.run(TOOL_TIMEOUT, command);
        assertThat(result.exitCode()).as("redis-cli %s: %s", args, result.output()).isZero();
        return result.output().stripTrailing();
    }
}
