/**
 * The loopback load harness: whole servers, jgnet's and Netty 4.2's, on every transport,
 * measured in one run and compared as ratios.
 *
 * <ul>
 *   <li>{@link io.jgnet.bench.harness.Matrix} ({@code ./jgnet bench}) runs the whole matrix: every
 *       workload (echo, HTTP, RESP, idle memory) against jgnet and Netty on every transport, and
 *       writes tables with ratios to Netty's best transport, an HTML report and a summary chart.</li>
 *   <li>{@link io.jgnet.bench.harness.BenchServers} is the server process, one protocol (echo,
 *       HTTP plaintext, RESP) on one kind (jgnet nio/epoll, Netty nio/epoll/io_uring) per JVM,
 *       all on one event-loop thread; it reports its loop's allocation on request. jgnet's
 *       servers are its echo handler and the example HTTP and Redis servers; Netty's are its
 *       idiomatic echo, {@link io.jgnet.bench.harness.NettyHttpServer} and
 *       {@link io.jgnet.bench.harness.NettyRespServer}.</li>
 *   <li>{@link io.jgnet.bench.harness.EchoBench} orchestrates echo runs: it starts each server
 *       kind in its own JVM and the load generator in another, pinned to different cores,
 *       alternating the kinds round after round, and reports messages per second and server CPU
 *       per message (user and system) with the median jgnet/Netty ratios.</li>
 *   <li>{@link io.jgnet.bench.harness.BenchLoad} is the load generator: echo, HTTP or RESP
 *       request/response, pipelined or not, on many connections from one selector thread,
 *       latencies in an HdrHistogram; or thousands of idle connections held open.
 *       {@link io.jgnet.bench.harness.EchoLoad} is its echo mode under the old name.</li>
 *   <li>{@link io.jgnet.bench.harness.RedisBench} (jgnet's example Redis server against
 *       redis-server, under redis-benchmark) and {@link io.jgnet.bench.harness.HttpBench} (jgnet's
 *       example HTTP server against Netty's, under wrk) compare whole protocol servers the same
 *       way, with the Java servers from {@link io.jgnet.bench.harness.BenchServers}.</li>
 * </ul>
 *
 * <pre>
 * ./mvnw -q -B -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.EchoBench --rounds 3
 * java -cp benchmarks/target/benchmarks.jar io.jgnet.bench.harness.EchoBench \
 *      --rounds 1 --warmup-seconds 1 --seconds 2            # smoke run, under a minute
 * </pre>
 */
package io.jgnet.bench.harness;
