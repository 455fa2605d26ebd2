package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A test server in a JVM of its own, for faults that would take down the test's JVM with it (no
 * descriptors, no direct memory): {@code main} runs on this class path, prints
 * {@code READY <port> ...} on its first line, and is killed by {@link #close}.
 *
 * <p>A child must never outlive its test, whatever happens: a start that fails kills it before
 * throwing; {@link #close} kills it (SIGKILL: a server out of descriptors or memory may not get
 * through an orderly exit) and waits, bounded, for it to be gone; and {@link #killAll}, run after
 * every conformance test and when this JVM exits, kills any a test left behind (one abandoned by
 * its timeout, whose thread never reached its {@code close}).
 *
 * @param process the server's JVM
 * @param out     its standard output, after the READY line
 * @param ready   the READY line's words after "READY": the port first
 */
record ServerJvm(Process process, BufferedReader out, String[] ready) implements AutoCloseable {
    /** Switches of the test's JVM that the server's must run with too. */
    private static final List<String> FORWARDED = List.of("jgnet.iouring.receive", "jgnet.iouring.fileSending");
    /** Started and not yet known to be gone. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ServerJvm::killAll, "kill-server-jvms"));
    }

    static ServerJvm start(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        for (String name : FORWARDED) {
            String value = System.getProperty(name);
            if (value != null) {
                command.add("-D" + name + "=" + value);
            }
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        RUNNING.add(process);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = Peers.await(Peers.inBackground(out::readLine));
            assertThat(line).as("the server's first line (null: it exited with %s)",
                    process.isAlive() ? "nothing yet" : process.exitValue()).startsWith("READY ");
            String[] ready = line.split(" ");
            return new ServerJvm(process, out, java.util.Arrays.copyOfRange(ready, 1, ready.length));
        } catch (Throwable t) {
            kill(process);
            throw t;
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(ready[0]));
    }

    @Override
    public void close() {
        kill(process);
    }

    /** Kills every server JVM still running (after each test, and when this JVM exits). */
    static void killAll() {
        for (Process process : RUNNING) {
            kill(process);
        }
    }

    /**
     * Kills {@code process} and whatever it started, and waits until it is gone, at most
     * {@link Peers#GUARD}; an AssertionError if it is still there then.
     */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        boolean gone;
        try {
            gone = process.waitFor(Peers.GUARD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gone = !process.isAlive();
        }
        if (gone) {
            RUNNING.remove(process);
            return;
        }
        throw new AssertionError("server JVM " + process.pid() + " still runs " + Peers.GUARD.toSeconds()
                + " s after SIGKILL");
    }
}
