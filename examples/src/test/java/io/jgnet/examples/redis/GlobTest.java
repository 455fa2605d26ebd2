package io.jgnet.examples.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** KEYS patterns, with Redis's stringmatchlen as the reference for every quirk. */
class GlobTest {

    @Test
    void starMatchesAnyRunIncludingNone() {
        assertMatches("*", "", "a", "hello");
        assertMatches("h*llo", "hllo", "hello", "heeeello");
        assertNoMatch("h*llo", "hell", "xhello");
        assertMatches("**", "");
        assertMatches("a*b*c", "abc", "aXbYc", "abbbc");
        assertNoMatch("a*b*c", "aXbY", "acb");
    }

    @Test
    void aStarRetriesFromItsLastPositionSoLaterLiteralsCanMatchLater() {
        assertMatches("*a*b", "xaybzb", "ab");
        assertNoMatch("*a*b", "xaybzc");
        // Many stars against a long near-miss: linear retries, no blow-up, no stack.
        assertNoMatch("*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(2000));
    }

    @Test
    void questionMarkMatchesExactlyOneByte() {
        assertMatches("h?llo", "hello", "hallo");
        assertNoMatch("h?llo", "hllo", "heello");
    }

    @Test
    void setsRangesAndNegation() {
        assertMatches("h[ae]llo", "hello", "hallo");
        assertNoMatch("h[ae]llo", "hillo");
        assertMatches("h[^e]llo", "hallo", "hbllo");
        assertNoMatch("h[^e]llo", "hello");
        assertMatches("h[a-b]llo", "hallo", "hbllo");
        assertNoMatch("h[a-b]llo", "hcllo");
        assertMatches("h[b-a]llo", "hallo", "hbllo"); // a reversed range is swapped, as in Redis
    }

    @Test
    void backslashMakesTheNextByteLiteralInAndOutOfSets() {
        assertMatches("h\\*llo", "h*llo");
        assertNoMatch("h\\*llo", "hello");
        assertMatches("\\?", "?");
        assertNoMatch("\\?", "a");
        assertMatches("[\\]]", "]");
        assertMatches("[\\^a]", "^", "a");
        assertMatches("a\\", "a\\"); // a trailing backslash is itself
    }

    @Test
    void redisQuirksOfUnclosedAndEmptySets() {
        assertMatches("[abc", "a", "c");       // an unclosed set runs to the end of the pattern
        assertNoMatch("[abc", "ab", "d");
        assertNoMatch("[]", "", "]", "a");     // an empty set matches nothing
        assertMatches("[^]", "a", "]");        // ... and its negation any one byte
    }

    @Test
    void bytesAreComparedUnsigned() {
        byte[] pattern = {'[', 0x00, '-', (byte) 0xff, ']'};
        assertThat(Glob.matches(pattern, new byte[] {(byte) 0x80})).isTrue();
        assertThat(Glob.matches(pattern, new byte[] {0x7f})).isTrue();
    }

    private static void assertMatches(String pattern, String... texts) {
        for (String text : texts) {
            assertThat(Glob.matches(bytes(pattern), bytes(text))).as("'%s' matches '%s'", pattern, text).isTrue();
        }
    }

    private static void assertNoMatch(String pattern, String... texts) {
        for (String text : texts) {
            assertThat(Glob.matches(bytes(pattern), bytes(text))).as("'%s' matches '%s'", pattern, text).isFalse();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
