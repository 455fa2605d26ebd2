package io.jgnet.bench.harness;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The matrix's progress on standard error. On a terminal it is one line redrawn in place:
 * <pre>
 * [#######.............] 12/35  1:23 elapsed  ~2:40 left  echo-4k · netty-epoll · round 1
 * </pre>
 * and the standard output that {@link #wrap} returns erases that line before it prints and draws
 * it again after each completed line, so rows and bar never mix on one line. When standard error
 * is not a terminal (piped, in CI) each step is one plain line instead, nothing is redrawn.
 *
 * <p>The time left is estimated from the steps' expected durations, scaled by how the finished
 * steps compared with their estimate. Used from the orchestrator's thread only.
 */
final class ProgressBar {

    private static final int WIDTH = 20;
    /** Erase the current line: carriage return, then ANSI "erase in line" (every terminal knows it). */
    private static final String ERASE = "\r\u001b[K";

    private final PrintStream err;
    private final boolean terminal;
    private final int total;
    private final double estimatedTotalSeconds;
    private final long startNanos;
    private final String separator;
    private final int columns;
    private Thread ticker;
    private int done;
    private double estimatedDoneSeconds;
    private String current = "";
    private boolean drawn;

    /**
     * @param err                   where the bar goes
     * @param terminal              whether {@code err} is a terminal (redraw) or not (one line per step)
     * @param total                 the number of steps
     * @param estimatedTotalSeconds the steps' expected durations, summed
     */
    ProgressBar(PrintStream err, boolean terminal, int total, double estimatedTotalSeconds) {
        this(err, terminal, total, estimatedTotalSeconds, System.nanoTime(), terminal ? terminalColumns() : Integer.MAX_VALUE);
    }

    /** As above, with the start time and the terminal's width given (for tests). */
    ProgressBar(PrintStream err, boolean terminal, int total, double estimatedTotalSeconds, long startNanos, int columns) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.estimatedTotalSeconds = estimatedTotalSeconds;
        this.startNanos = startNanos;
        this.columns = columns;
        this.separator = err.charset().newEncoder().canEncode('\u00b7') ? " \u00b7 " : " - ";
    }

    /** Whether this JVM's standard error is an interactive terminal. */
    static boolean stderrIsTerminal() {
        // Since JDK 22 System.console() exists even when redirected; isTerminal() says whether it is one.
        return System.console() != null && System.console().isTerminal();
    }

    /** Announces the step that starts now: {@code what} names it (workload, kind, round). */
    synchronized void start(String... what) {
        current = String.join(separator, what);
        if (terminal) {
            draw(System.nanoTime());
        } else {
            err.println(line(System.nanoTime()));
            err.flush();
        }
    }

    /** Marks the current step done; {@code estimatedSeconds} is what it was expected to take. */
    synchronized void finish(double estimatedSeconds) {
        done++;
        estimatedDoneSeconds += estimatedSeconds;
        if (terminal) {
            draw(System.nanoTime());
        }
    }

    /**
     * On a terminal, redraws the bar every second so the clocks move during a long step. Only a
     * bar that is showing is redrawn: output in the middle of a line keeps it away.
     */
    synchronized void startTicking() {
        if (terminal && ticker == null) {
            ticker = Thread.ofPlatform().daemon().name("progress-bar").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(1000);
                        synchronized (this) {
                            if (drawn) {
                                draw(System.nanoTime());
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            });
        }
    }

    /** Stops the ticking and removes the bar from the terminal for good, at the end of the run. */
    synchronized void close() {
        if (ticker != null) {
            ticker.interrupt();
            ticker = null;
        }
        erase();
    }

    /**
     * A standard output that keeps out of the bar's way: before any output the bar is erased,
     * and once a line is complete it is drawn again below it.
     */
    PrintStream wrap(PrintStream out) {
        if (!terminal) {
            return out;
        }
        OutputStream guard = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (ProgressBar.this) {
                    erase();
                    out.write(b, off, len);
                    if (len > 0 && b[off + len - 1] == '\n') {
                        out.flush();
                        draw(System.nanoTime());
                    }
                }
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
        return new PrintStream(guard, true, out.charset());
    }

    /** The bar's text at {@code now}, without any control characters. */
    String line(long now) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        double elapsed = (now - startNanos) / 1e9;
        String text = String.format(Locale.ROOT, "[%s] %d/%d  %s elapsed  ~%s left  %s", bar, done, total,
                clock(elapsed), clock(secondsLeft(elapsed)), current);
        return text.length() < columns ? text : text.substring(0, Math.max(0, columns - 1));
    }

    /**
     * What is left of the estimate, scaled by the pace so far: if the finished steps took 20%
     * longer than expected, so will the rest. Before any step finishes, the plain estimate.
     */
    double secondsLeft(double elapsed) {
        double left = Math.max(0, estimatedTotalSeconds - estimatedDoneSeconds);
        if (estimatedDoneSeconds > 0 && elapsed > 0) {
            left *= elapsed / estimatedDoneSeconds;
        }
        return left;
    }

    /** "1:23", or "1:02:03" past an hour. */
    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void draw(long now) {
        err.print(ERASE + line(now));
        err.flush();
        drawn = true;
    }

    private void erase() {
        if (drawn) {
            err.print(ERASE);
            err.flush();
            drawn = false;
        }
    }

    /**
     * The terminal's width: $COLUMNS if the shell exported it, else what {@code stty size} says
     * about /dev/tty, else 80. A bar longer than the line would wrap, and a carriage return
     * cannot go back up to erase the first part.
     */
    static int terminalColumns() {
        try {
            String columns = System.getenv("COLUMNS");
            if (columns != null && columns.matches("\\d+")) {
                return Integer.parseInt(columns);
            }
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            if (stty.waitFor() == 0 && size.length == 2 && size[1].matches("\\d+")) {
                return Integer.parseInt(size[1]);
            }
        } catch (IOException e) {
            // no tty to ask
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }
}
