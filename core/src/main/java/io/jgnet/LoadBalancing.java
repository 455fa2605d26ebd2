package io.jgnet;

/**
 * How a new connection picks its event loop. Immutable; safe from any thread.
 */
public enum LoadBalancing {
    /** Each loop in turn (the default). */
    ROUND_ROBIN,
    /** The loop with the fewest connections now. */
    LEAST_CONNECTIONS,
    /** A hash of the peer's IP address: one client host always lands on the same loop. */
    SOURCE_ADDRESS_HASH,
    /** A uniformly random loop. */
    RANDOM,
    /**
     * A consistent-hash ring of the loops (virtual nodes), keyed by the peer's address: few
     * clients move when the number of loops changes.
     */
    CONSISTENT_HASH
}
