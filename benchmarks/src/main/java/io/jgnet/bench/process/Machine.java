package io.jgnet.bench.process;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine the matrix runs on: its facts, the wait for a quiet machine, and the small parsers
 * every child's lines need. A fact that cannot be read degrades to "unknown" (or the caller's
 * default): a missing fact must not cost a run. Stateless.
 */
public final class Machine {

    /** How long the machine is watched to judge whether other work is running. */
    private static final Duration QUIET_SAMPLE = Duration.ofSeconds(1);

    private Machine() {
    }

    /** The "model name" of /proc/cpuinfo. */
    public static String cpuModel() {
        String line = line(Path.of("/proc/cpuinfo"), "model name");
        return line == null ? "unknown" : line.substring(line.indexOf(':') + 1).trim();
    }

    public static String kernel() {
        String release = line(Path.of("/proc/sys/kernel/osrelease"), "");
        return release == null ? System.getProperty("os.name") + " " + System.getProperty("os.version") : "Linux " + release.trim();
    }

    /**
     * How many idle connections fit this JVM's soft open-file limit (children inherit it) and the
     * ephemeral ports, less {@code margin}; {@code Long.MAX_VALUE} when neither is known.
     */
    public static long connectionCapacity(int margin) {
        long capacity = Long.MAX_VALUE;
        String files = line(Path.of("/proc/self/limits"), "Max open files");
        if (files != null && files.split("\\s+")[3].matches("\\d+")) {
            capacity = Long.parseLong(files.split("\\s+")[3]) - margin;
        }
        String ports = line(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), "");
        if (ports != null) {
            String[] range = ports.trim().split("\\s+");
            capacity = Math.min(capacity, Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1 - margin);
        }
        return Math.max(1, capacity);
    }

    /** The first line of {@code file} starting with {@code prefix}, or null when there is none or no such file. */
    private static String line(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** What {@code command} prints, trimmed, or null when it cannot run or fails (e.g. taskset in a container that forbids it). */
    public static String output(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Waits (at most {@code maxWait}) until other work takes at most {@code busyLimit} cores for a
     * second: on two shared cores, a build elsewhere would otherwise land inside a window.
     */
    public static void waitForQuiet(double busyLimit, Duration maxWait, long ticksPerSecond, PrintStream out)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (boolean said = false; ; said = true) {
            double busy;
            try {
                ProcStat before = ProcStat.machine();
                Thread.sleep(QUIET_SAMPLE.toMillis());
                busy = ProcStat.machine().minus(before).userTicks() / (double) ticksPerSecond / QUIET_SAMPLE.toSeconds();
            } catch (IOException e) {
                return; // no /proc/stat: nothing to wait for
            }
            if (busy <= busyLimit) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                out.println("      machine still busy (" + cores(busy) + "); running anyway");
                return;
            }
            if (!said) {
                out.println("      waiting for the machine to go quiet (" + cores(busy) + " busy)");
            }
        }
    }

    /** "0.42 cores" */
    public static String cores(double cores) {
        return String.format(Locale.ROOT, "%.2f cores", cores);
    }

    /** The {@code key=value} words of a child's line (RESULT, ALLOC, GC done); other words are skipped. */
    public static Map<String, String> keyValues(String line) {
        Map<String, String> values = new HashMap<>();
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                values.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return values;
    }

    /**
     * A class histogram's lines ({@code jcmd PID GC.class_histogram}, or the DiagnosticCommand
     * MBean's {@code gcClassHistogram}): class name to {instances, bytes}, and "Total" to the sums.
     */
    public static Map<String, long[]> classHistogram(String text) {
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") || f.length == 3 && f[0].equals("Total")) {
                byClass.put(f[f.length == 3 ? 0 : 3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return byClass;
    }

    /** VmRSS of {@code /proc/PID/status} in bytes: the memory the process really holds. */
    public static long residentBytes(long pid) throws IOException {
        String line = line(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
        if (line == null) {
            throw new IOException("no VmRSS in /proc/" + pid + "/status");
        }
        return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) * 1024; // kB = KiB
    }

    /** A port nothing listens on now, for a server that cannot pick its own and report it. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
