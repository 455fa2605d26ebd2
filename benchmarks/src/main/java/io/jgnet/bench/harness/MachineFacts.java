package io.jgnet.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Facts about the machine the matrix records with its results and checks before it runs: the
 * CPU model, the kernel, the limits the idle workload must fit in, and what a JVM started like
 * the servers says about Netty's native transports and jgnet's native access. Every reader
 * degrades to "unknown" rather than failing: a missing fact must not cost a run. Stateless.
 */
final class MachineFacts {

    private MachineFacts() {
    }

    /** The "model name" of /proc/cpuinfo, e.g. "AMD EPYC 7B13". */
    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String kernel() {
        try {
            return "Linux " + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
    }

    /**
     * The soft limit on open files this JVM has, which its children inherit (the JVM has already
     * raised its own to the hard limit); empty when unlimited or unknown.
     */
    static Optional<Long> openFilesLimit() {
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

    /** How many local ports the kernel hands out for outgoing connections; empty when unknown. */
    static Optional<Integer> ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Optional.of(Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs {@code BenchServers check} in a JVM started like the servers and returns its
     * "key: value" facts (netty.epoll.available, netty.io_uring.available, netty.unsafe,
     * jgnet.native-access, jvm), or a single "check" fact saying why there are none.
     */
    static Map<String, String> serverCheck(Path log) throws InterruptedException {
        ServerKind.Context context = ServerKind.Context.current();
        List<String> command = new ArrayList<>(List.of(context.java()));
        command.addAll(EchoBench.SERVER_JVM);
        command.addAll(List.of("-cp", context.classPath(), ServerKind.JAVA_SERVERS_MAIN, "check"));
        Map<String, String> facts = new LinkedHashMap<>();
        try (Child child = Child.start("check", command, log)) {
            for (String line = ""; !line.startsWith("jvm: "); ) {
                line = child.await(l -> l.matches("[a-z][\\w.-]*: .*"), Measurer.START_TIMEOUT, "the check's jvm: line");
                int colon = line.indexOf(": ");
                facts.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
        } catch (IOException e) {
            facts.put("check", "failed: " + SummaryTable.brief(String.valueOf(e.getMessage())));
        }
        return facts;
    }
}
