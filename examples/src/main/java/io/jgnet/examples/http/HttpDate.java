package io.jgnet.examples.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date header line, formatted when the engine's ticker says a second has passed rather than
 * once per response: formatting a date allocates, and a response must not.
 *
 * <p>Thread-safe: one loop's ticker writes, every loop reads; the volatile array reference
 * publishes a fully built line, and nobody modifies an array once published.
 */
final class HttpDate {
    /** IMF-fixdate of RFC 9110 section 5.6.7; RFC_1123_DATE_TIME would drop the day's leading zero. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final Clock clock;
    private volatile byte[] line;

    HttpDate(Clock clock) {
        this.clock = clock;
        refresh();
    }

    /** Formats the clock's current second. Called by the ticker. */
    void refresh() {
        line = ("Date: " + IMF_FIXDATE.format(clock.instant()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code "Date: Tue, 15 Nov 1994 08:12:31 GMT\r\n"}. Do not modify the array. */
    byte[] line() {
        return line;
    }
}
