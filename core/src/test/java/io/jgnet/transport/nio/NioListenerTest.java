package io.jgnet.transport.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class NioListenerTest {
    /** The JDK reports accept's errno only as strerror's text: these are the shortages that pause a listener. */
    @Test
    void acceptShortagesAreToldFromOtherFailuresByTheirMessage() {
        assertThat(NioListener.outOfDescriptors(new IOException("Too many open files"))).isTrue();
        assertThat(NioListener.outOfDescriptors(new IOException("Too many open files in system"))).isTrue();
        assertThat(NioListener.outOfDescriptors(new IOException("No buffer space available"))).isTrue();
        assertThat(NioListener.outOfDescriptors(new IOException("Cannot allocate memory"))).isTrue();
        assertThat(NioListener.outOfDescriptors(new IOException("Connection reset by peer"))).isFalse();
        assertThat(NioListener.outOfDescriptors(new IOException((String) null))).isFalse();
    }
}
