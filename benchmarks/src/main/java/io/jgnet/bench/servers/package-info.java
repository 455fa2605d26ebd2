/**
 * The servers the matrix measures, one per JVM process ({@link io.jgnet.bench.servers.BenchServers}
 * is the process's main class): jgnet's on nio and epoll ({@link io.jgnet.bench.servers.JgnetServers}:
 * an echo handler, the examples' HTTP and Redis servers, FrameHandler echoes) and Netty 4.2's on
 * nio, epoll and io_uring ({@link io.jgnet.bench.servers.NettyServers}), each on one event-loop
 * thread.
 */
package io.jgnet.bench.servers;
