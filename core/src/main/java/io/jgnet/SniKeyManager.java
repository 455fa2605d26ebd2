package io.jgnet;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate for a TLS handshake by the host name the client asked for (SNI): an
 * exact name first, then a {@code *.domain} wildcard, else the default certificate. Aliases are
 * the host names themselves ({@link #DEFAULT} for the default).
 *
 * <p>Immutable; SSLEngines of every loop call it at once.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    static final String DEFAULT = "";

    /** A certificate chain, leaf first, and its private key. */
    record Identity(List<X509Certificate> chain, PrivateKey key) {
    }

    private final Map<String, Identity> byName;

    /** {@code byName}: lower-case host names (or "*.domain"), and {@link #DEFAULT}. */
    SniKeyManager(Map<String, Identity> byName) {
        this.byName = Map.copyOf(byName);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String alias = aliasFor(requestedName(engine.getHandshakeSession()));
        return alias != null && fits(byName.get(alias), keyType) ? alias : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(byName.get(DEFAULT), keyType) ? DEFAULT : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        Identity identity = byName.get(DEFAULT);
        for (String keyType : keyTypes) {
            if (fits(identity, keyType)) {
                return DEFAULT;
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity identity = byName.get(alias);
        return identity == null ? null : identity.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity identity = byName.get(alias);
        return identity == null ? null : identity.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(byName.get(DEFAULT), keyType) ? new String[] {DEFAULT} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String[] aliases = byName.entrySet().stream().filter(e -> fits(e.getValue(), keyType))
                .map(Map.Entry::getKey).toArray(String[]::new);
        return aliases.length == 0 ? null : aliases;
    }

    private String aliasFor(String name) {
        if (name != null) {
            if (byName.containsKey(name)) {
                return name;
            }
            int dot = name.indexOf('.');
            if (dot > 0 && byName.containsKey("*" + name.substring(dot))) {
                return "*" + name.substring(dot);
            }
        }
        return byName.containsKey(DEFAULT) ? DEFAULT : null;
    }

    static String requestedName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                    return ((SNIHostName) name).getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    /**
     * Whether the key can sign for {@code keyType}, as the JDK names key types: the key's own
     * algorithm, "RSASSA-PSS" for an RSA key (TLS 1.3's rsa_pss_rsae), "EC_..." for EC, and
     * "EdDSA" for Ed25519/Ed448.
     */
    private static boolean fits(Identity identity, String keyType) {
        if (identity == null || keyType == null) {
            return false;
        }
        String algorithm = identity.key().getAlgorithm();
        return keyType.equals(algorithm)
                || keyType.equals("RSASSA-PSS") && algorithm.equals("RSA")
                || keyType.startsWith(algorithm + "_")
                || keyType.equals("EdDSA") && (algorithm.equals("Ed25519") || algorithm.equals("Ed448"))
                || algorithm.equals("EdDSA") && (keyType.equals("Ed25519") || keyType.equals("Ed448"));
    }
}
