package io.jgnet.engine;

import io.jgnet.LoadBalancing;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

/**
 * Picks the event loop for a new connection. Called by whichever thread accepts or dials, so
 * every implementation is thread-safe.
 *
 * @param <L> the loop type (generic so the policies can be tested without running loops)
 */
abstract class LoadBalancer<L> {
    final List<L> loops;

    LoadBalancer(List<L> loops) {
        this.loops = List.copyOf(loops);
    }

    /** The loop for a connection from {@code remote} (which may be {@code null} for a dial). */
    abstract L pick(SocketAddress remote);

    static <L> LoadBalancer<L> of(LoadBalancing kind, List<L> loops, ToIntFunction<L> connectionCount) {
        return switch (kind) {
            case ROUND_ROBIN -> new RoundRobin<>(loops);
            case LEAST_CONNECTIONS -> new LeastConnections<>(loops, connectionCount);
            case SOURCE_ADDRESS_HASH -> new SourceAddressHash<>(loops);
            case RANDOM -> new Random<>(loops);
            case CONSISTENT_HASH -> new ConsistentHash<>(loops);
        };
    }

    /** A well-mixed hash of the peer's IP address bytes (the port is left out on purpose). */
    static int hostHash(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return mix(Arrays.hashCode(inet.getAddress().getAddress()));
        }
        return remote == null ? 0 : mix(remote.hashCode());
    }

    /** A hash of the whole address, IP and port. */
    static int addressHash(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return mix(hostHash(remote) * 31 + inet.getPort());
        }
        return remote == null ? 0 : mix(remote.hashCode());
    }

    /** The murmur3 finaliser: spreads nearby inputs over the whole int range. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    static final class RoundRobin<L> extends LoadBalancer<L> {
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        RoundRobin(List<L> loops) {
            super(loops);
        }

        @Override
        L pick(SocketAddress remote) {
            return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
        }
    }

    static final class LeastConnections<L> extends LoadBalancer<L> {
        private final ToIntFunction<L> connectionCount;

        LeastConnections(List<L> loops, ToIntFunction<L> connectionCount) {
            super(loops);
            this.connectionCount = connectionCount;
        }

        @Override
        L pick(SocketAddress remote) {
            L best = loops.get(0);
            int bestCount = connectionCount.applyAsInt(best);
            for (int i = 1; i < loops.size(); i++) {
                L candidate = loops.get(i);
                int count = connectionCount.applyAsInt(candidate);
                if (count < bestCount) {
                    best = candidate;
                    bestCount = count;
                }
            }
            return best;
        }
    }

    static final class SourceAddressHash<L> extends LoadBalancer<L> {
        SourceAddressHash(List<L> loops) {
            super(loops);
        }

        @Override
        L pick(SocketAddress remote) {
            return loops.get(Math.floorMod(hostHash(remote), loops.size()));
        }
    }

    static final class Random<L> extends LoadBalancer<L> {
        Random(List<L> loops) {
            super(loops);
        }

        @Override
        L pick(SocketAddress remote) {
            return loops.get(ThreadLocalRandom.current().nextInt(loops.size()));
        }
    }

    /**
     * A hash ring with {@link #VIRTUAL_NODES} points per loop: a key belongs to the first point
     * at or after its hash. Adding or removing a loop moves only about 1/n of the keys, which a
     * plain modulo would not.
     */
    static final class ConsistentHash<L> extends LoadBalancer<L> {
        /** Enough points that each loop's share of the ring is within a few percent of 1/n. */
        static final int VIRTUAL_NODES = 160;
        private final int[] points;
        private final int[] owners;

        ConsistentHash(List<L> loops) {
            super(loops);
            int n = loops.size() * VIRTUAL_NODES;
            long[] ring = new long[n];
            for (int loop = 0; loop < loops.size(); loop++) {
                for (int v = 0; v < VIRTUAL_NODES; v++) {
                    int point = mix(mix(loop * 0x9E3779B9) ^ (v * 0x632BE5AB + 0x7F4A7C15));
                    // Sort by point, signed (as owner() searches), keeping the owner in the low bits.
                    ring[loop * VIRTUAL_NODES + v] = ((long) point << 32) | loop;
                }
            }
            Arrays.sort(ring);
            points = new int[n];
            owners = new int[n];
            for (int i = 0; i < n; i++) {
                points[i] = (int) (ring[i] >>> 32);
                owners[i] = (int) ring[i];
            }
        }

        @Override
        L pick(SocketAddress remote) {
            return loops.get(owner(addressHash(remote)));
        }

        int owner(int hash) {
            int lo = 0;
            int hi = points.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (points[mid] < hash) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return owners[lo == points.length ? 0 : lo];
        }
    }
}
