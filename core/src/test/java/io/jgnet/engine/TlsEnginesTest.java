package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Tls;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** Engines set only what differs from their defaults, and end up with exactly what the Tls says. */
class TlsEnginesTest {

    @Test
    void aServerEngineHasTheProtocolsSuitesAndAuthOfItsTlsWhetherOrNotTheyAreTheDefaults() {
        Tls defaults = Tls.builder().build();
        Tls narrow = Tls.builder().protocols("TLSv1.3").cipherSuites("TLS_AES_128_GCM_SHA256")
                .applicationProtocols("h2", "http/1.1").clientAuth(Tls.ClientAuth.REQUIRED).build();
        TlsEngines engines = new TlsEngines();
        for (Tls tls : List.of(defaults, narrow, defaults)) { // a second Tls on the same loop, then the first again
            for (int i = 0; i < 2; i++) {
                SSLEngine engine = engines.server(tls);
                assertThat(engine.getUseClientMode()).isFalse();
                assertThat(List.of(engine.getEnabledProtocols())).isEqualTo(tls.protocols());
                assertThat(List.of(engine.getEnabledCipherSuites())).isEqualTo(tls.cipherSuites());
                assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
                assertThat(List.of(engine.getSSLParameters().getApplicationProtocols())).isEqualTo(tls.applicationProtocols());
                assertThat(engine.getNeedClientAuth()).isEqualTo(tls.clientAuth() == Tls.ClientAuth.REQUIRED);
            }
        }
    }

    @Test
    void aClientEngineVerifiesTheHostAndSendsTheNameItWasGiven() {
        Tls tls = Tls.builder().protocols("TLSv1.3", "TLSv1.2").build();
        SSLEngine named = TlsEngines.client(tls, "example.org", 443, "example.org");
        assertThat(named.getUseClientMode()).isTrue();
        assertThat(named.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(named.getSSLParameters().getServerNames()).hasSize(1);
        assertThat(List.of(named.getEnabledProtocols())).isEqualTo(tls.protocols());
        assertThat(List.of(named.getEnabledCipherSuites())).isEqualTo(tls.cipherSuites());
        SSLEngine literal = TlsEngines.client(tls, "127.0.0.1", 443, null);
        assertThat(literal.getSSLParameters().getServerNames()).isNull();
    }
}
