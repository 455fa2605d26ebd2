package io.jgnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsCipherOrderTest {

    @Test
    void eachAes128GcmSuiteMovesBeforeItsAes256TwinAndNothingElseMoves() {
        String[] jdk = {
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"};
        assertThat(Tls.aes128First(jdk)).containsExactly(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void theDefaultIsTheJdksOwnSetReordered() {
        Tls tls = Tls.builder().build();
        List<String> jdk = List.of(tls.context().getDefaultSSLParameters().getCipherSuites());
        assertThat(tls.cipherSuites()).containsExactlyInAnyOrderElementsOf(jdk);
        assertThat(tls.cipherSuites().indexOf("TLS_AES_128_GCM_SHA256"))
                .isLessThan(tls.cipherSuites().indexOf("TLS_AES_256_GCM_SHA384"));
    }

    @Test
    void suitesGivenToTheBuilderAreKeptInTheirOrder() {
        Tls tls = Tls.builder().cipherSuites("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256").build();
        assertThat(tls.cipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
    }
}
