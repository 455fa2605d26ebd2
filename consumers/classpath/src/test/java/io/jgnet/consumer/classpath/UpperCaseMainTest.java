package io.jgnet.consumer.classpath;

import static io.jgnet.consumer.support.ServerProcess.EXPECTED_WITH_NATIVE_ACCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgnet.consumer.support.ServerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts {@link UpperCaseMain} on the class path exactly as the README says to run an application
 * that uses jgnet's jar there, and talks to it over 127.0.0.1.
 */
@Timeout(120)
class UpperCaseMainTest {
    @Test
    void withTheReadmeFlagItServesOnANativeTransportAndLogsThroughLogback() throws Exception {
        String stderr;
        String transport;
        try (ServerProcess server = new ServerProcess(List.of("--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("consumer.class.path"), UpperCaseMain.class.getName(),
                "tcp://127.0.0.1:0"))) {
            assertTrue(EXPECTED_WITH_NATIVE_ACCESS.contains(server.transport), server.transport);
            transport = server.transport;
            try (Socket socket = new Socket("127.0.0.1", server.port)) {
                OutputStream out = socket.getOutputStream();
                out.write("hello\nclass path\r\n".getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("HELLO", in.readLine());
                assertEquals("CLASS PATH", in.readLine());
            }
            server.close();
            stderr = server.stderrText();
        }
        assertFalse(stderr.contains("restricted method"), stderr);
        // Logback's pattern (logback.xml), not java.util.logging's two-line default.
        assertTrue(stderr.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[[^]]+\\] io\\.jgnet - jgnet transport: "
                + transport + ".*"), stderr);
    }
}
