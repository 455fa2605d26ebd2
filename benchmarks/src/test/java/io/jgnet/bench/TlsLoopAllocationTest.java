package io.jgnet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.TransportKind;
import org.junit.jupiter.api.Test;

/**
 * A TLS echo allocates, on jgnet's loop thread, no more than the JDK's SSLEngine does for the same
 * two records on its own ({@link TlsRecordFloor}): all ~2.9 KB per request is the engine's
 * (mostly its AES-GCM, made anew per record), none of it jgnet's. Fails if the TLS layer adds an
 * allocation per record of its own, or hands the engine buffers that cost it more (a direct
 * packet buffer costs the JDK ~200 B per wrap, a direct ciphertext source ~220 B per unwrap, the
 * single-buffer wrap and unwrap forms 24 B each). How fine it is: in one JVM the floor reads
 * ~50 B per request above the loop (2,951 against 2,901 B here after 20,000 of each; the JIT's
 * state differs between the two call sites), so what it catches is an addition of ~70 B or more
 * per request, not a lone 24 B object.
 */
class TlsLoopAllocationTest {
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 20_000;
    /** Bytes per echo the loop may allocate beyond the engine's: one-offs amortised over the run, not an object per record. */
    private static final double SLACK = 16;

    @Test
    void tlsEchoAllocatesOnlyWhatTheEngineDoes() throws Exception {
        TlsRecordFloor.Bytes floor = new TlsRecordFloor(64).measure(WARMUP + MEASURED, MEASURED);
        double loop = LoopAllocation.measure(TransportKind.NIO, LoopAllocation.TLS_ECHO, WARMUP, MEASURED);

        assertThat(floor.total()).as("the JDK's own bytes per record pair").isGreaterThan(0);
        assertThat(loop).as("loop-thread bytes per TLS echo, against the engine's %s", floor)
                .isLessThanOrEqualTo(floor.total() + SLACK);
    }
}
