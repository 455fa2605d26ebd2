package io.jgnet.consumer.classpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jgnet.Action;
import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * jgnet's System.Logger entries arrive in Logback through slf4j-jdk-platform-logging, under the
 * logger name the README gives, with their level and exception.
 */
@Timeout(60)
class LoggingTest {
    private final Logger jgnetLogger = (Logger) LoggerFactory.getLogger("io.jgnet");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void listen() {
        events.start();
        jgnetLogger.addAppender(events);
    }

    @AfterEach
    void stopListening() {
        jgnetLogger.detachAppender(events);
    }

    @Test
    void theTransportChoiceAndAThrowingCallbackAreLoggedToLogback() throws Exception {
        // onBoot asks to shut down at once; the throwing onShutdown is a failure jgnet logs (and
        // survives): a WARNING with the exception.
        Jgnet.run(new EventHandler() {
            @Override
            public Action onBoot(Engine engine) {
                return Action.SHUTDOWN;
            }

            @Override
            public void onShutdown(Engine engine) {
                throw new IllegalStateException("thrown by the test's onShutdown");
            }
        }, "tcp://127.0.0.1:0", Options.defaults());

        List<ILoggingEvent> logged = List.copyOf(events.list);
        ILoggingEvent transport = logged.stream()
                .filter(e -> e.getFormattedMessage().startsWith("jgnet transport: ")).findFirst().orElse(null);
        assertNotNull(transport, "no transport line among " + logged);
        assertEquals("io.jgnet", transport.getLoggerName());
        assertEquals(Level.INFO, transport.getLevel());

        ILoggingEvent shutdown = logged.stream()
                .filter(e -> e.getFormattedMessage().equals("onShutdown threw")).findFirst().orElse(null);
        assertNotNull(shutdown, "no onShutdown line among " + logged);
        assertEquals("io.jgnet", shutdown.getLoggerName());
        assertEquals(Level.WARN, shutdown.getLevel());
        assertNotNull(shutdown.getThrowableProxy());
        assertTrue(shutdown.getThrowableProxy().getMessage().contains("thrown by the test's onShutdown"));
    }
}
