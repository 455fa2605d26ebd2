package io.jgnet.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Integers are read as Redis's string2ll reads them: strict, and the whole range of a long. */
class IntsTest {

    @Test
    void acceptsCanonicalDecimalsOverTheWholeRangeOfALong() {
        assertThat(parse("0")).isZero();
        assertThat(parse("7")).isEqualTo(7);
        assertThat(parse("-42")).isEqualTo(-42);
        assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void rejectsWhatRedisRejects() {
        for (String bad : new String[] {"", "-", "+1", " 1", "1 ", "01", "-0", "1a", "0x10", "1.5",
                "9223372036854775808", "-9223372036854775809", "123456789012345678901"}) {
            assertThatThrownBy(() -> parse(bad)).as("'%s'", bad).isSameAs(RedisError.NOT_AN_INTEGER);
        }
    }

    private static long parse(String text) {
        return Ints.parse(text.getBytes(StandardCharsets.US_ASCII));
    }
}
