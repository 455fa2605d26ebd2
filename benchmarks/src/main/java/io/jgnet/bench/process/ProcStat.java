package io.jgnet.bench.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time in clock ticks, of a process ({@code /proc/PID/stat}, over all its threads) or of the
 * machine ({@code /proc/stat}: user is busy time of every kind but steal, system is steal).
 * Immutable; the readers are safe from any thread.
 *
 * @param userTicks   user-space time (the framework, the JIT, the GC)
 * @param systemTicks kernel time on the process's behalf (syscalls, loopback TCP)
 */
public record ProcStat(long userTicks, long systemTicks) {

    /** utime is field 14 of proc(5); counted from field 3, the first after the "(comm)" field. */
    private static final int UTIME_AFTER_COMM = 14 - 3;

    /** Reads {@code /proc/pid/stat} now. */
    public static ProcStat read(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        // comm may itself hold spaces and parentheses: split after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new ProcStat(Long.parseLong(f[UTIME_AFTER_COMM]), Long.parseLong(f[UTIME_AFTER_COMM + 1]));
    }

    /** The machine: user + nice + system + irq + softirq as user, steal as system. */
    public static ProcStat machine() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).getFirst().trim().split("\\s+");
        long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
        return new ProcStat(busy, f.length > 8 ? Long.parseLong(f[8]) : 0);
    }

    public ProcStat minus(ProcStat earlier) {
        return new ProcStat(userTicks - earlier.userTicks, systemTicks - earlier.systemTicks);
    }

    public long totalTicks() {
        return userTicks + systemTicks;
    }

    /** {@code getconf CLK_TCK}, the unit of the ticks; 100 (nearly every Linux) if it cannot be asked. */
    public static long clockTicksPerSecond() {
        String out = Machine.output("getconf", "CLK_TCK");
        return out != null && out.matches("\\d+") ? Long.parseLong(out) : 100;
    }
}
