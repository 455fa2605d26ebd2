package io.jgnet.conformance;

import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Jgnet;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * What every group of behaviours needs from the suite: the transport under test, and engines
 * that are stopped after each test whatever its outcome, and the test's own clients. Implemented
 * by {@link SuiteEngines}, for {@link ConformanceSuite} and for its TLS variant
 * {@link TlsConformanceSuite}.
 *
 * <p>Behaviours that run in both write {@code tcp://} addresses, {@link #connect} their clients
 * and {@link #reset} them through the harness: in the TLS variant ({@link #secure()}) the same
 * code then runs over TLS end to end.
 */
interface Harness {

    /** The transport every engine and client of the test must run on. */
    TransportKind transport();

    /** A builder preset with the transport under test. */
    default Options.Builder options() {
        return Options.builder().transport(transport());
    }

    /**
     * Whether this is the suite's TLS variant: listeners serve {@code tls://} with the test
     * certificate and the test's clients speak TLS.
     */
    default boolean secure() {
        return false;
    }

    /**
     * Starts a server on {@code addresses} that the caller stops (for jqwik properties, which run
     * outside JUnit's lifecycle). In the TLS variant each {@code tcp://} address becomes
     * {@code tls://}, served with {@link TlsTestClients#serverTls()} unless {@code options} has TLS.
     */
    default Engine start(EventHandler handler, Options options, String... addresses) throws IOException {
        if (!secure()) {
            return Jgnet.start(handler, List.of(addresses), options);
        }
        List<String> secured = new ArrayList<>();
        for (String address : addresses) {
            secured.add(address.startsWith("tcp://") ? "tls://" + address.substring("tcp://".length()) : address);
        }
        Options withTls = options.tls() != null ? options : options.toBuilder().tls(TlsTestClients.serverTls()).build();
        return Jgnet.start(handler, secured, withTls);
    }

    /** A blocking client to {@code address}: see {@link #connect(InetSocketAddress, int)}. */
    default Socket connect(InetSocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /**
     * A blocking client to {@code address} ({@link Peers#connect(InetSocketAddress, int)}), in the
     * TLS variant a JDK SSLSocket over it with its handshake done.
     */
    default Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket plain = Peers.connect(address, receiveBuffer);
        return secure() ? TlsTestClients.secure(plain) : plain;
    }

    /** Closes {@code socket} with an RST (and no close_notify before it in the TLS variant). */
    default void reset(Socket socket) throws IOException {
        TlsTestClients.reset(socket);
    }

    /** Starts a server on {@code addresses} ({@link #start}); stopped after the test. */
    Engine serve(EventHandler handler, Options options, String... addresses) throws IOException;

    /** Starts a client engine (loops, no listeners); stopped after the test. */
    Engine client(EventHandler handler, Options options) throws IOException;

    /** Also stops {@code engine} after the test (for an engine obtained from onBoot). */
    void track(Engine engine);
}
