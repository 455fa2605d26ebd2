package io.jgnet.bench.process;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine the matrix runs on: its facts (CPU model, kernel, limits), pinning with taskset,
 * the wait for a quiet machine, and the small parsers every child's lines need. Every fact reader
 * degrades to "unknown" rather than failing: a missing fact must not cost a run. Stateless.
 */
public final class Machine {

    /** How long the machine is watched to judge whether other work is running. */
    private static final Duration QUIET_SAMPLE = Duration.ofSeconds(1);

    private Machine() {
    }

    /** The "model name" of /proc/cpuinfo. */
    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static String kernel() {
        try {
            return "Linux " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
    }

    /** This JVM's soft limit on open files, which children inherit; empty when unlimited or unknown. */
    public static Optional<Long> openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.matches("\\d+") ? Optional.of(Long.parseLong(soft)) : Optional.empty();
                }
            }
        } catch (IOException e) {
            // not Linux: nothing to check against
        }
        return Optional.empty();
    }

    /** How many local ports the kernel hands out to outgoing connections; empty when unknown. */
    public static Optional<Integer> ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Optional.of(Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code taskset} exists and may pin here (containers sometimes forbid it). */
    public static boolean tasksetWorks() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code taskset -c CPU COMMAND}, or the command alone when {@code cpu} is null; taskset execs, so the PID is the command's. */
    public static List<String> pin(String cpu, List<String> command) {
        List<String> pinned = new ArrayList<>();
        if (cpu != null) {
            pinned.addAll(List.of("taskset", "-c", cpu));
        }
        pinned.addAll(command);
        return pinned;
    }

    /**
     * Waits (at most {@code maxWait}) until other work takes at most {@code busyLimit} cores for a
     * second: on two shared cores, a build elsewhere would otherwise land inside a window.
     */
    public static void waitForQuiet(double busyLimit, Duration maxWait, long ticksPerSecond, PrintStream out)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean said = false;
        while (true) {
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
                said = true;
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

    /** VmRSS of {@code /proc/PID/status} in bytes: the memory the process really holds. */
    public static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]) * 1024; // kB = KiB
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** A port nothing listens on now, for a server that cannot pick its own and report it. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
