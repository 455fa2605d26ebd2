/**
 * The transports' SPI: the seam between the engine ({@code io.jgnet.engine}) and a transport
 * ({@code io.jgnet.transport.nio}, {@code .epoll}, {@code .iouring}).
 *
 * <p>A {@link io.jgnet.transport.Transport} opens one {@link io.jgnet.transport.Poller} per
 * loop. The engine tells the poller what to do: listen ({@link io.jgnet.transport.Listener}),
 * adopt, connect, flush a connection's {@link io.jgnet.transport.OutboundRegion}, read or stop
 * reading, shut down output, close, wake up ({@link io.jgnet.transport.Socket}). The poller
 * tells the engine what happened through {@link io.jgnet.transport.IoEvents}: accepted,
 * descriptors exhausted, datagram, bytes arrived, end of stream, hang-up, writable, connected,
 * failed. Addresses are parsed once ({@link io.jgnet.transport.Address}).
 *
 * <p>Readiness transports finish I/O inside the call and raise events synchronously; a
 * completion transport owns the memory it submitted until the completion arrives. The engine
 * knows no system call and a transport knows no handler: they meet only here. Every type is
 * used on one loop thread, except {@link io.jgnet.transport.Poller#wakeup()}.
 */
package io.jgnet.transport;
