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

/**
 * A test server in a JVM of its own, for faults that would take down the test's JVM with it (no
 * descriptors, no direct memory): {@code main} runs on this class path, prints
 * {@code READY <port> ...} on its first line, and is destroyed by {@link #close}.
 *
 * @param process the server's JVM
 * @param out     its standard output, after the READY line
 * @param ready   the READY line's words after "READY": the port first
 */
record ServerJvm(Process process, BufferedReader out, String[] ready) implements AutoCloseable {

    static ServerJvm start(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String[] ready = Peers.await(Peers.inBackground(out::readLine)).split(" ");
        assertThat(ready[0]).isEqualTo("READY");
        return new ServerJvm(process, out, java.util.Arrays.copyOfRange(ready, 1, ready.length));
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(ready[0]));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
