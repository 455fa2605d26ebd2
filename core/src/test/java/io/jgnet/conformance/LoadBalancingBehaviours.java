package io.jgnet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.jgnet.Conn;
import io.jgnet.Engine;
import io.jgnet.LoadBalancing;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where accepted connections land, per load-balancing policy, and with reusePort. */
interface LoadBalancingBehaviours extends Harness {

    /** Connections per loop index among {@code conns}. */
    private static int[] perLoop(Iterable<Conn> conns, int loops) {
        int[] counts = new int[loops];
        for (Conn conn : conns) {
            counts[conn.eventLoop().index()]++;
        }
        return counts;
    }

    /** Opens {@code n} clients at once and waits until the server has opened them all. */
    private static List<Socket> openAll(Engine engine, Recorder server, int n) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(Peers.connect(Peers.inet(engine)));
            }
            server.opens.awaitAtLeast(n);
            return sockets;
        } catch (Exception | Error e) {
            Peers.closeAll(sockets);
            throw e;
        }
    }

    @ParameterizedTest(name = "{0} connections")
    @ValueSource(ints = {8, 40})
    default void roundRobinGivesEveryLoopAnEqualShare(int connections) throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(4).loadBalancing(LoadBalancing.ROUND_ROBIN).build(),
                "tcp://127.0.0.1:0");
        List<Socket> sockets = openAll(engine, server, connections);
        try {
            assertThat(perLoop(server.opened, 4)).containsOnly(connections / 4);
        } finally {
            Peers.closeAll(sockets);
        }
    }

    @Test
    default void leastConnectionsSendsEachNewConnectionToTheEmptiestLoop() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(4).loadBalancing(LoadBalancing.LEAST_CONNECTIONS).build(),
                "tcp://127.0.0.1:0");
        List<Socket> sockets = new ArrayList<>();
        try {
            // One at a time: each pick sees the counts left by the previous connection.
            for (int i = 0; i < 12; i++) {
                sockets.add(Peers.connect(Peers.inet(engine)));
                server.opens.awaitAtLeast(i + 1);
            }
            assertThat(perLoop(server.opened, 4)).containsOnly(3);

            // Empty loop 2; the next three connections must all go there.
            int closedSoFar = 0;
            for (Socket socket : List.copyOf(sockets)) {
                if (server.connOf(socket).eventLoop().index() == 2) {
                    socket.close();
                    sockets.remove(socket);
                    server.closes.awaitAtLeast(++closedSoFar);
                }
            }
            assertThat(engine.eventLoops().get(2).connectionCount()).isZero();
            List<Integer> placed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket socket = Peers.connect(Peers.inet(engine));
                sockets.add(socket);
                placed.add(server.connOf(socket).eventLoop().index());
            }
            assertThat(placed).containsExactly(2, 2, 2);
        } finally {
            Peers.closeAll(sockets);
        }
    }

    @Test
    default void sourceAddressHashKeepsEveryConnectionFromOneHostOnItsLoop() throws Exception {
        int loops = 4;
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(loops).loadBalancing(LoadBalancing.SOURCE_ADDRESS_HASH).build(),
                "tcp://127.0.0.1:0");
        List<Socket> sockets = openAll(engine, server, 20);
        try {
            int expected = enginePicker(LoadBalancing.SOURCE_ADDRESS_HASH, loops)
                    .applyAsInt(sockets.getFirst().getLocalSocketAddress());
            assertThat(server.opened).extracting(conn -> conn.eventLoop().index()).hasSize(20).containsOnly(expected);
        } finally {
            Peers.closeAll(sockets);
        }
    }

    @Test
    default void randomReachesEveryLoop() throws Exception {
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(2).loadBalancing(LoadBalancing.RANDOM).build(),
                "tcp://127.0.0.1:0");
        List<Socket> sockets = openAll(engine, server, 200);
        try {
            // Missing a loop in 200 fair picks has a probability of 2^-199.
            assertThat(perLoop(server.opened, 2)).as("connections per loop").doesNotContain(0);
        } finally {
            Peers.closeAll(sockets);
        }
    }

    @Test
    default void consistentHashPutsEachConnectionOnTheLoopItsAddressHashesTo() throws Exception {
        int loops = 4;
        Recorder server = new Recorder();
        Engine engine = serve(server, options().loops(loops).loadBalancing(LoadBalancing.CONSISTENT_HASH).build(),
                "tcp://127.0.0.1:0");
        ToIntFunction<SocketAddress> ring = enginePicker(LoadBalancing.CONSISTENT_HASH, loops);
        List<Socket> sockets = openAll(engine, server, 40);
        try {
            Map<Integer, Integer> expected = new HashMap<>();
            Map<Integer, Integer> actual = new HashMap<>();
            for (Socket socket : sockets) {
                expected.put(socket.getLocalPort(), ring.applyAsInt(socket.getLocalSocketAddress()));
                actual.put(socket.getLocalPort(), server.connOf(socket).eventLoop().index());
            }
            assertThat(actual).isEqualTo(expected);
            // Forty ports all hashing to one quarter of the ring has a probability near 4^-39.
            assertThat(new HashSet<>(actual.values())).as("loops used").hasSizeGreaterThan(1);
        } finally {
            Peers.closeAll(sockets);
        }
    }

    /**
     * The engine's own balancer of {@code kind} over loop indexes, as a function from peer
     * address to loop. The balancer is package-private in io.jgnet.engine; reflection keeps this
     * suite in its own package and checks placements against the engine's actual policy.
     */
    private static ToIntFunction<SocketAddress> enginePicker(LoadBalancing kind, int loops)
            throws ReflectiveOperationException {
        Class<?> type = Class.forName("io.jgnet.engine.LoadBalancer");
        Method of = type.getDeclaredMethod("of", LoadBalancing.class, List.class, ToIntFunction.class);
        Method pick = type.getDeclaredMethod("pick", SocketAddress.class);
        of.setAccessible(true);
        pick.setAccessible(true);
        ToIntFunction<Integer> noConnections = loop -> 0;
        Object balancer = of.invoke(null, kind, IntStream.range(0, loops).boxed().toList(),
                noConnections);
        return address -> {
            try {
                return (Integer) pick.invoke(balancer, address);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    default void reusePortLetsEveryLoopAcceptForItself() throws Exception {
        Recorder server = new Recorder();
        // Source hashing would put every local connection on one loop, were an acceptor picking.
        Engine engine = serve(server, options().loops(2).reusePort(true)
                .loadBalancing(LoadBalancing.SOURCE_ADDRESS_HASH).build(), "tcp://127.0.0.1:0");
        List<Socket> sockets = openAll(engine, server, 64);
        try {
            for (Socket socket : sockets) {
                assertThat(Peers.echo(socket, "port " + socket.getLocalPort())).isEqualTo("port " + socket.getLocalPort());
            }
            // The kernel spreads connections over the listeners; missing one in 64 has a probability of 2^-63.
            assertThat(perLoop(server.opened, 2)).as("connections per loop").doesNotContain(0);
            assertThat(((InetSocketAddress) engine.listenAddresses().get(0)).getPort()).isPositive();
        } finally {
            Peers.closeAll(sockets);
        }
    }
}
