/**
 * Linux system calls: the thin FFM layer over libc that the Linux transports
 * ({@code io.jgnet.transport.epoll}, {@code io.jgnet.transport.iouring}) call. It is not a
 * transport: it knows no engine, no loop and no connection. No JNI:
 * every call is a {@code java.lang.foreign} downcall into the C library the JVM already loaded.
 *
 * <p>Modelled on the JDK's {@code sun.nio.ch.EPoll}: one small class per kernel facility
 * ({@link io.jgnet.linux.Epoll}, {@link io.jgnet.linux.EventFd},
 * {@link io.jgnet.linux.Io}, {@link io.jgnet.linux.Sockets},
 * {@link io.jgnet.linux.SocketOptions}, {@link io.jgnet.linux.Mman}), each
 * with its C declarations and structs copied into comments, its constants mirrored, and thin
 * methods that make one call each and decide nothing. Struct layouts live in exactly one place
 * each, drawn where they are defined.
 *
 * <p>io_uring follows the same rules: {@link io.jgnet.linux.IoUringSys} makes its three
 * system calls through {@code syscall(2)} (libc has no wrappers), {@link
 * io.jgnet.linux.IoUringParams}, {@link io.jgnet.linux.Sqe}, {@link
 * io.jgnet.linux.Cqe} and {@link io.jgnet.linux.BufRing} mirror its structs,
 * and {@link io.jgnet.linux.IoUring} is one mapped ring, without policy. Ask
 * {@link io.jgnet.linux.IoUringAvailability} before using any of them.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Probe first.</b> Touch nothing here before
 *       {@link io.jgnet.linux.Linux#isAvailable()} says yes: creating a downcall
 *       handle without native access prints a JDK warning (and a future JDK refuses it).</li>
 *   <li><b>Errno.</b> Every call takes a {@link io.jgnet.linux.CallState}, which holds
 *       the errno capture segment (allocated once per owner, never per call) and a little scratch
 *       memory. A {@code CallState} belongs to one thread at a time; the static calls themselves
 *       are thread-safe.</li>
 *   <li><b>Two failure styles.</b> Calls on the hot path, where "try again" is routine
 *       ({@code read}, {@code write}, {@code readv}, {@code writev}, {@code recvfrom},
 *       {@code sendto}, {@code accept4}, {@code epoll_wait}, eventfd {@code read}), return the
 *       result when it is non-negative and {@code -errno} when the call failed, so that the
 *       caller handles {@code EAGAIN} and {@code EINTR} with an int compare and no exception.
 *       Every other call throws {@link io.jgnet.linux.ErrnoException} (or a
 *       {@link java.net.ConnectException} / {@link java.net.BindException} whose cause is one)
 *       with a message naming the call and the errno, e.g.
 *       {@code "epoll_ctl(ADD, fd 7): EBADF (Bad file descriptor)"}.</li>
 *   <li><b>Memory.</b> Buffers are passed as a native {@link java.lang.foreign.MemorySegment}
 *       plus offset and count, bounds-checked, and handed to the kernel as a raw address, so a
 *       call never allocates a slice. The caller keeps the memory alive and open until the call
 *       returns (and, for iovecs, until the kernel is done with them).</li>
 *   <li><b>Not critical.</b> No handle uses {@code Linker.Option.critical}: it saves about 5 ns
 *       on a ~1 µs syscall, and a critical call that blocks (epoll_wait, or read on a socket that
 *       someone left blocking) would stall every safepoint in the JVM.</li>
 *   <li><b>LP64 only.</b> {@code size_t}, {@code ssize_t} and pointers are 64-bit
 *       ({@code JAVA_LONG}); {@code int}, {@code socklen_t} and {@code sa_family_t}-sized fields
 *       are mirrored exactly. Supported: Linux on x86-64 and aarch64
 *       ({@link io.jgnet.linux.Arch}).</li>
 * </ul>
 */
package io.jgnet.linux;
