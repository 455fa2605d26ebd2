package io.jgnet.examples.redis;

import java.nio.ByteBuffer;

/** Decimal integers as Redis reads them (its {@code string2ll}), straight from the bytes. */
final class Ints {
    /** "-9223372036854775808" is the longest text a long can have. */
    private static final int MAX_DIGITS = 20;

    private Ints() {
    }

    /**
     * The integer in {@code in[index, index + length)}: an optional '-', then "0" or digits
     * without a leading zero, in range of a long. No '+', no spaces (Redis rejects them too).
     *
     * @throws RedisError {@link RedisError#NOT_AN_INTEGER} otherwise
     */
    static long parse(ByteBuffer in, int index, int length) {
        if (length < 1 || length > MAX_DIGITS) {
            throw RedisError.NOT_AN_INTEGER;
        }
        int end = index + length;
        if (length == 1 && in.get(index) == '0') {
            return 0;
        }
        boolean negative = in.get(index) == '-';
        int i = negative ? index + 1 : index;
        if (i == end || in.get(i) < '1' || in.get(i) > '9') {
            throw RedisError.NOT_AN_INTEGER;
        }
        // Accumulate negatively: the negative range is one larger, so Long.MIN_VALUE fits.
        long value = 0;
        for (; i < end; i++) {
            int digit = in.get(i) - '0';
            if (digit < 0 || digit > 9 || value < Long.MIN_VALUE / 10) {
                throw RedisError.NOT_AN_INTEGER;
            }
            value *= 10;
            if (value < Long.MIN_VALUE + digit) {
                throw RedisError.NOT_AN_INTEGER;
            }
            value -= digit;
        }
        if (negative) {
            return value;
        }
        if (value == Long.MIN_VALUE) {
            throw RedisError.NOT_AN_INTEGER;
        }
        return -value;
    }

    /** {@link #parse(ByteBuffer, int, int)} over a whole array (a stored value). */
    static long parse(byte[] text) {
        return parse(ByteBuffer.wrap(text), 0, text.length);
    }
}
