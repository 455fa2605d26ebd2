package io.jgnet.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The Date line: IMF-fixdate, and refreshed by the ticker rather than per response. */
class HttpDateTest {

    @Test
    void formatsImfFixdateWithATwoDigitDay() {
        HttpDate date = new HttpDate(Clock.fixed(Instant.parse("2025-03-07T09:05:03Z"), ZoneOffset.UTC));
        assertThat(new String(date.line(), StandardCharsets.US_ASCII)).isEqualTo("Date: Fri, 07 Mar 2025 09:05:03 GMT\r\n");
    }

    @Test
    void theTickerRefreshesTheLineResponsesCarry() {
        SteppingClock clock = new SteppingClock(Instant.parse("1994-11-06T08:49:37Z"));
        HttpServer server = new HttpServer(HttpConfig.defaults(), HttpServer.exampleRoutes(), clock);
        assertThat(new String(server.dateLine(), StandardCharsets.US_ASCII)).isEqualTo("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
        clock.now = clock.now.plusSeconds(1);
        assertThat(new String(server.dateLine(), StandardCharsets.US_ASCII)).as("not reformatted per read").contains("08:49:37");
        assertThat(server.onTick()).hasSeconds(1);
        assertThat(new String(server.dateLine(), StandardCharsets.US_ASCII)).isEqualTo("Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n");
    }

    /** A clock the test moves by hand. */
    private static final class SteppingClock extends Clock {
        Instant now;

        SteppingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
