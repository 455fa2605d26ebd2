package io.jgnet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.LoadBalancing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each {@link LoadBalancing} policy picks loops as it promises. Loops here are the integers
 * {@code 0..n-1}, so a pick is its own index. Random addresses come from fixed seeds: the
 * distribution bounds are checked against the same data on every run.
 */
class LoadBalancerTest {
    private static final long SEED = 0x6A676E6574L;

    // ------------------------------------------------------------------------- round robin

    @Test
    void roundRobinVisitsEachLoopInTurn() {
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.ROUND_ROBIN, 3);
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            picks.add(balancer.pick(null));
        }
        assertThat(picks).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2);
    }

    @Test
    void roundRobinGivesEveryLoopTheSameShareUnderConcurrentPicks() throws InterruptedException {
        int loops = 4;
        int threads = 8;
        int picksPerThread = 100_000 * loops;
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.ROUND_ROBIN, loops);
        int[][] counts = new int[threads][loops];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> pickers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int[] mine = counts[t];
            pickers.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < picksPerThread; i++) {
                    mine[balancer.pick(null)]++;
                }
            }));
        }
        start.countDown();
        for (Thread picker : pickers) {
            picker.join();
        }

        int[] total = new int[loops];
        for (int[] perThread : counts) {
            for (int loop = 0; loop < loops; loop++) {
                total[loop] += perThread[loop];
            }
        }
        int expected = threads * picksPerThread / loops;
        assertThat(total).containsOnly(expected);
    }

    // ------------------------------------------------------------------- least connections

    @Test
    void leastConnectionsPicksTheLoopWithFewestConnectionsNow() {
        int[] connections = {5, 3, 7, 4};
        LoadBalancer<Integer> balancer = LoadBalancer.of(LoadBalancing.LEAST_CONNECTIONS, loops(4), loop -> connections[loop]);

        assertThat(balancer.pick(null)).isEqualTo(1);
        connections[1] = 9;
        assertThat(balancer.pick(null)).as("asks the count again on every pick").isEqualTo(3);
        connections[0] = 0;
        assertThat(balancer.pick(null)).isZero();
    }

    @Test
    void leastConnectionsBreaksTiesTowardTheLowestIndex() {
        int[] connections = {4, 2, 9, 2, 2};
        LoadBalancer<Integer> balancer = LoadBalancer.of(LoadBalancing.LEAST_CONNECTIONS, loops(5), loop -> connections[loop]);

        assertThat(balancer.pick(null)).isEqualTo(1);
        Arrays.fill(connections, 6);
        assertThat(balancer.pick(null)).isZero();
    }

    // ------------------------------------------------------------------ source address hash

    @Test
    void sourceAddressHashSendsOneHostToOneLoopWhateverItsPort() throws UnknownHostException {
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.SOURCE_ADDRESS_HASH, 4);
        Random random = new Random(SEED);
        for (int host = 0; host < 200; host++) {
            InetAddress ip = randomIpv4(random);
            int loop = balancer.pick(new InetSocketAddress(ip, 1 + random.nextInt(65535)));
            for (int port : new int[]{0, 80, 40_000, 65535}) {
                assertThat(balancer.pick(new InetSocketAddress(ip, port))).as("%s port %d", ip, port).isEqualTo(loop);
            }
        }
        InetAddress v6 = InetAddress.getByName("2001:db8::17");
        assertThat(balancer.pick(new InetSocketAddress(v6, 1))).isEqualTo(balancer.pick(new InetSocketAddress(v6, 2)));
    }

    @Test
    void sourceAddressHashSpreadsHostsOverEveryLoop() {
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.SOURCE_ADDRESS_HASH, 4);
        Random random = new Random(SEED);
        int[] counts = new int[4];
        for (int i = 0; i < 1_000; i++) {
            counts[balancer.pick(new InetSocketAddress(randomIpv4(random), 1234))]++;
        }
        // A fair share is 250; 150-350 is more than six standard deviations either side.
        assertThat(Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(150, 350));
    }

    @Test
    void sourceAddressHashSpreadsNeighbouringHostsToo() throws UnknownHostException {
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.SOURCE_ADDRESS_HASH, 4);
        int[] counts = new int[4];
        for (int i = 0; i < 1_000; i++) {
            InetAddress ip = InetAddress.getByAddress(new byte[]{10, 0, (byte) (i >> 8), (byte) i});
            counts[balancer.pick(new InetSocketAddress(ip, 5000))]++;
        }
        assertThat(Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(150, 350));
    }

    // ----------------------------------------------------------------------------- random

    @Test
    void randomPicksOnlyRealLoopsAndReachesThemAll() {
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.RANDOM, 5);
        int[] counts = new int[5];
        for (int i = 0; i < 10_000; i++) {
            int loop = balancer.pick(null);
            assertThat(loop).isBetween(0, 4);
            counts[loop]++;
        }
        // Missing a loop in 10 000 fair draws has probability below 1e-900.
        assertThat(counts).doesNotContain(0);
    }

    // -------------------------------------------------------------------- consistent hash

    @Test
    void consistentHashIsDeterministic() {
        LoadBalancer<Integer> first = balancer(LoadBalancing.CONSISTENT_HASH, 4);
        LoadBalancer<Integer> second = balancer(LoadBalancing.CONSISTENT_HASH, 4);
        for (InetSocketAddress address : randomAddresses(1_000)) {
            int loop = first.pick(address);
            assertThat(first.pick(address)).isEqualTo(loop);
            assertThat(second.pick(address)).isEqualTo(loop);
        }
    }

    @Test
    void consistentHashSpreadsAddressesOverEveryLoop() {
        LoadBalancer<Integer> balancer = balancer(LoadBalancing.CONSISTENT_HASH, 4);
        int[] counts = new int[4];
        for (InetSocketAddress address : randomAddresses(10_000)) {
            counts[balancer.pick(address)]++;
        }
        assertThat(Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(1_500, 3_500));
    }

    @Test
    void consistentHashMovesFewAddressesWhenALoopIsAddedWhereModuloMovesMost() {
        LoadBalancer<Integer> four = balancer(LoadBalancing.CONSISTENT_HASH, 4);
        LoadBalancer<Integer> five = balancer(LoadBalancing.CONSISTENT_HASH, 5);
        List<InetSocketAddress> addresses = randomAddresses(10_000);
        int ringMoved = 0;
        int moduloMoved = 0;
        for (InetSocketAddress address : addresses) {
            int before = four.pick(address);
            int after = five.pick(address);
            if (before != after) {
                ringMoved++;
                assertThat(after).as("an address that moves, moves to the new loop").isEqualTo(4);
            }
            int hash = LoadBalancer.addressHash(address);
            if (Math.floorMod(hash, 4) != Math.floorMod(hash, 5)) {
                moduloMoved++;
            }
        }
        // Ideal: 1/5 of the addresses move to the new loop. Modulo keeps only h%4 == h%5,
        // i.e. h%20 in 0..3: 4 of 20, so 80% move.
        assertThat(ringMoved).isBetween(1, addresses.size() * 35 / 100);
        assertThat(moduloMoved).isGreaterThan(addresses.size() * 70 / 100);
    }

    @Test
    void consistentHashRingWrapsAroundPastItsLastPoint() {
        LoadBalancer.ConsistentHash<Integer> ring = new LoadBalancer.ConsistentHash<>(loops(4));
        // The ring is ordered as signed ints: MAX_VALUE is past every point, so it belongs to the
        // first point, as MIN_VALUE does.
        assertThat(ring.owner(Integer.MAX_VALUE)).isEqualTo(ring.owner(Integer.MIN_VALUE));
    }

    // ------------------------------------------------------------------------- helpers

    private static LoadBalancer<Integer> balancer(LoadBalancing kind, int n) {
        return LoadBalancer.of(kind, loops(n), loop -> 0);
    }

    private static List<Integer> loops(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    private static List<InetSocketAddress> randomAddresses(int count) {
        Random random = new Random(SEED);
        Set<InetSocketAddress> unique = new HashSet<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        while (addresses.size() < count) {
            InetSocketAddress address = new InetSocketAddress(randomIpv4(random), 1024 + random.nextInt(64_512));
            if (unique.add(address)) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    private static InetAddress randomIpv4(Random random) {
        byte[] ip = new byte[4];
        random.nextBytes(ip);
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid IPv4 address
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
