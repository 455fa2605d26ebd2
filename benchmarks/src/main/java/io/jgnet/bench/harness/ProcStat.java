package io.jgnet.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time as Linux accounts it in {@code /proc/PID/stat}: user time (utime, field
 * 14) and system time (stime, field 15), in clock ticks, summed over all its threads.
 *
 * <p>Immutable; {@link #read} and {@link #clockTicksPerSecond} are safe from any thread.
 *
 * @param userTicks   time spent in user space (the framework's own code, the JIT, the GC)
 * @param systemTicks time spent in the kernel on the process's behalf (syscalls, loopback TCP)
 */
record ProcStat(long userTicks, long systemTicks) {

    /** utime is field 14 of stat(5); counted from field 3, the first one after the comm field. */
    private static final int UTIME_AFTER_COMM = 14 - 3;

    /** Reads {@code /proc/pid/stat} now. */
    static ProcStat read(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        // Field 2 is "(comm)" and comm may itself hold spaces and parentheses: split after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new ProcStat(Long.parseLong(fields[UTIME_AFTER_COMM]), Long.parseLong(fields[UTIME_AFTER_COMM + 1]));
    }

    /**
     * The whole machine's CPU from the first line of {@code /proc/stat}, in the same ticks:
     * user = busy time of every kind but steal (user, nice, system, irq, softirq), system = steal,
     * the time the hypervisor gave to someone else. Busy time beyond the server's and the load's
     * own is other work on the machine contending with the measurement.
     */
    static ProcStat machine() throws IOException {
        String first = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).getFirst();
        String[] f = first.trim().split("\\s+"); // "cpu user nice system idle iowait irq softirq steal ..."
        long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                + Long.parseLong(f[6]) + Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        return new ProcStat(busy, steal);
    }

    /** The difference {@code this - earlier}: the CPU spent between two readings. */
    ProcStat minus(ProcStat earlier) {
        return new ProcStat(userTicks - earlier.userTicks, systemTicks - earlier.systemTicks);
    }

    long totalTicks() {
        return userTicks + systemTicks;
    }

    /**
     * The kernel's clock tick rate ({@code getconf CLK_TCK}), the unit of utime and stime. It is
     * 100 on nearly every Linux, which is what this returns if getconf cannot be run.
     */
    static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                return Long.parseLong(out);
            }
        } catch (IOException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
