package io.jgnet.consumer.modulepath;

import static io.jgnet.consumer.support.ServerProcess.EXPECTED_WITH_NATIVE_ACCESS;
import static io.jgnet.consumer.support.ServerProcess.NATIVE_PLATFORM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgnet.consumer.support.ServerProcess;
import java.io.DataInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts {@link EchoMain} on the module path exactly as the README says to run an application
 * that requires io.jgnet, and talks to it over 127.0.0.1.
 */
@Timeout(120)
class EchoMainTest {
    private static final String MODULE_PATH = System.getProperty("consumer.module.path");
    private static final String MAIN = "io.jgnet.consumer.modulepath/io.jgnet.consumer.modulepath.EchoMain";

    @Test
    void withTheReadmeFlagItServesOnANativeTransportAndTheJdkWarnsOfNoRestrictedMethod() throws Exception {
        String stderr;
        String transport;
        try (ServerProcess server = new ServerProcess(List.of("--enable-native-access=io.jgnet",
                "--module-path", MODULE_PATH, "--module", MAIN, "tcp://127.0.0.1:0"))) {
            assertEchoes(server.port);
            assertTrue(EXPECTED_WITH_NATIVE_ACCESS.contains(server.transport), server.transport);
            transport = server.transport;
            server.close();
            stderr = server.stderrText();
        }
        assertFalse(stderr.contains("restricted method"), stderr);
        // jgnet's own log line, through the JDK's default System.Logger (java.util.logging).
        assertTrue(stderr.contains("jgnet transport: " + transport), stderr);
    }

    @Test
    void withoutTheFlagItFallsBackToNioAndItsLogSaysWhy() throws Exception {
        String stderr;
        try (ServerProcess server = new ServerProcess(List.of(
                "--module-path", MODULE_PATH, "--module", MAIN, "tcp://127.0.0.1:0"))) {
            assertEchoes(server.port);
            assertEquals("nio", server.transport);
            server.close();
            stderr = server.stderrText();
        }
        assertFalse(stderr.contains("restricted method"), stderr);
        assertTrue(stderr.contains("jgnet transport: nio (auto: "), stderr);
        if (NATIVE_PLATFORM) {
            assertTrue(stderr.contains("epoll unavailable: "), stderr);
            assertTrue(stderr.contains("--enable-native-access=io.jgnet"), stderr);
        }
    }

    private static void assertEchoes(int port) throws Exception {
        byte[] message = "hello from a module".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(message);
            byte[] echo = new byte[message.length];
            new DataInputStream(socket.getInputStream()).readFully(echo);
            assertArrayEquals(message, echo);
        }
    }
}
