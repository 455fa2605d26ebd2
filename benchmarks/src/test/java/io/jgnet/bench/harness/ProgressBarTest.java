package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLineShowsTheBarTheCountTheClocksAndTheStep() {
        ProgressBar bar = new ProgressBar(err, false, 35, 350, 0, Integer.MAX_VALUE);
        bar.start("echo-4k", "netty-epoll", "round 1");
        assertThat(bar.line(83 * SECOND)).isEqualTo(
                "[....................] 0/35  1:23 elapsed  ~5:50 left  echo-4k \u00b7 netty-epoll \u00b7 round 1");
    }

    @Test
    void theTimeLeftFollowsThePaceOfTheFinishedSteps() {
        ProgressBar bar = new ProgressBar(err, false, 4, 40, 0, Integer.MAX_VALUE);
        bar.finish(10);
        bar.finish(10);
        // Half the estimate is done, and it took 30 s instead of 20: the other 20 s will take 30.
        assertThat(bar.secondsLeft(30)).isEqualTo(30);
        assertThat(bar.line(30 * SECOND)).startsWith("[##########..........] 2/4  0:30 elapsed  ~0:30 left");
    }

    @Test
    void withoutATerminalEachStepIsOnePlainLine() {
        ProgressBar bar = new ProgressBar(err, false, 2, 20, System.nanoTime(), Integer.MAX_VALUE);
        bar.start("echo-64", "jgnet-nio", "round 1");
        bar.finish(10);
        bar.start("echo-64", "jgnet-epoll", "round 1");
        bar.finish(10);
        bar.close();
        assertThat(err()).doesNotContain("\r", "\u001b").hasLineCount(2);
        assertThat(err().lines().toList().get(1)).startsWith("[##########..........] 1/2").endsWith("jgnet-epoll \u00b7 round 1");
    }

    @Test
    void onATerminalOutputErasesTheBarAndTheBarComesBackAfterTheLine() {
        ProgressBar bar = new ProgressBar(err, true, 2, 20, System.nanoTime(), Integer.MAX_VALUE);
        PrintStream out = bar.wrap(err); // one stream for both, as a terminal shows them
        bar.start("echo-64", "jgnet-nio", "round 1");
        out.println("a row");
        String shown = err();
        String erase = "\r\u001b[K";
        // bar, erase, the row, bar again
        assertThat(shown).startsWith(erase + "[").contains("jgnet-nio \u00b7 round 1" + erase + "a row\n" + erase + "[");
        assertThat(shown.substring(shown.lastIndexOf('\n') + 1)).startsWith(erase + "[....................] 0/2");
        bar.close();
        assertThat(err()).endsWith(erase);
    }

    @Test
    void theBarIsCutToTheTerminalsWidthSoItNeverWraps() {
        ProgressBar bar = new ProgressBar(err, true, 35, 350, 0, 40);
        bar.start("resp-p16", "netty-io_uring", "round 3");
        assertThat(bar.line(0)).hasSize(39);
    }

    @Test
    void clocksReadAsMinutesAndSeconds() {
        assertThat(ProgressBar.clock(0)).isEqualTo("0:00");
        assertThat(ProgressBar.clock(83.4)).isEqualTo("1:23");
        assertThat(ProgressBar.clock(3723)).isEqualTo("1:02:03");
    }
}
