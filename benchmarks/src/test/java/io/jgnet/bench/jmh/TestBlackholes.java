package io.jgnet.bench.jmh;

import org.openjdk.jmh.infra.Blackhole;

/** A Blackhole for calling benchmark methods once from a test, outside JMH. */
final class TestBlackholes {
    private TestBlackholes() {
    }

    /** A new Blackhole; JMH asks whoever makes one by hand to say they know what they are doing. */
    static Blackhole create() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }
}
