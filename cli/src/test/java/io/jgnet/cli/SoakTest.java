package io.jgnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SoakTest {

    private static Soak.Sample sample(long seconds, long rss) {
        return new Soak.Sample(seconds, 80, rss, 10 << 20, 4 << 20, 2 << 20, 100, 10, seconds * 100, 0, 0);
    }

    @Test
    void growthThatLevelsOffPassesAndGrowthThatGoesOnFails() {
        Soak.Growth rss = Soak.GROWTHS.get(1);
        long mib = 1 << 20;
        // Warm-up growth in the first third is not judged; the last third may not pass the middle's peak much.
        List<Soak.Sample> levelled = List.of(sample(10, 100 * mib), sample(20, 300 * mib), sample(30, 400 * mib),
                sample(40, 405 * mib), sample(50, 402 * mib), sample(60, 410 * mib));
        assertThat(rss.judge(levelled)).isNull();
        List<Soak.Sample> leaking = List.of(sample(10, 100 * mib), sample(20, 200 * mib), sample(30, 300 * mib),
                sample(40, 400 * mib), sample(50, 500 * mib), sample(60, 600 * mib));
        assertThat(rss.judge(leaking)).startsWith("RSS bytes grew from " + 400 * mib + " to " + 600 * mib);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aShortSoakRunsEveryScenarioAndChecksEveryReply() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Soak.Result result;
        try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            result = Soak.run(Duration.ofSeconds(6), Duration.ofSeconds(2), 7, Options.builder().loops(2).build(), out);
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(result.firstErrors()).as(printed).isEmpty();
        // Three samples: too few to judge growth, so only the replies decide.
        assertThat(result.passed()).as(printed).isTrue();
        assertThat(result.samples()).hasSize(3).allSatisfy(s -> {
            assertThat(s.fds()).isPositive();
            assertThat(s.rssBytes()).isPositive();
            assertThat(s.heapBytes()).isPositive();
        });
        assertThat(result.samples().getLast().operations()).isPositive();
        for (SoakClients.Scenario scenario : SoakClients.Scenario.values()) {
            assertThat(printed).containsPattern(scenario.name().toLowerCase(java.util.Locale.ROOT) + " [1-9]");
        }
    }
}
