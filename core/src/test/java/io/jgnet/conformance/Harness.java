package io.jgnet.conformance;

import io.jgnet.Engine;
import io.jgnet.EventHandler;
import io.jgnet.Options;
import io.jgnet.TransportKind;
import java.io.IOException;

/**
 * What every group of behaviours needs from the suite: the transport under test, and engines
 * that are stopped after each test whatever its outcome. Implemented once by
 * {@link ConformanceSuite}.
 */
interface Harness {

    /** The transport every engine and client of the test must run on. */
    TransportKind transport();

    /** A builder preset with the transport under test. */
    default Options.Builder options() {
        return Options.builder().transport(transport());
    }

    /** Starts a server on {@code addresses}; stopped after the test. */
    Engine serve(EventHandler handler, Options options, String... addresses) throws IOException;

    /** Starts a client engine (loops, no listeners); stopped after the test. */
    Engine client(EventHandler handler, Options options) throws IOException;

    /** Also stops {@code engine} after the test (for an engine obtained from onBoot). */
    void track(Engine engine);
}
