package io.jgnet.linux;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Whether this package can be used here: Linux on x86-64 or aarch64, native access enabled for
 * the module this package is in (on the class path, the unnamed module), every libc symbol
 * present, and the kernel answering {@code epoll_create1} and {@code eventfd}. Ask before
 * touching any other class here: until the answer is yes, nothing makes a restricted call, so
 * a JVM without {@code --enable-native-access} prints no warning.
 *
 * <p>The engine logs the reason once and falls back:
 * {@code "epoll unavailable: " + unavailableReason() + "; using nio"}.
 *
 * <p>Static and thread-safe; the probe runs once, on first use.
 */
public final class Linux {
    /** Every libc function the facility classes bind. */
    static final List<String> SYMBOLS = List.of(
            "epoll_create1", "epoll_ctl", "epoll_wait", "eventfd",
            "read", "write", "readv", "writev", "close",
            "socket", "bind", "listen", "connect", "accept4", "shutdown",
            "getsockname", "getpeername", "recvfrom", "sendto",
            "setsockopt", "getsockopt", "strerror", "syscall");

    private Linux() {
    }

    /** Whether the epoll transport can run here. */
    public static boolean isAvailable() {
        return Probe.REASON == null;
    }

    /**
     * Why not, as a phrase for a log line (e.g. {@code "native access is not enabled for the
     * unnamed module (run java with --enable-native-access=ALL-UNNAMED)"}), or {@code null}
     * when {@link #isAvailable()}.
     */
    public static String unavailableReason() {
        return Probe.REASON;
    }

    /** Holder: the probe runs when first asked, once. */
    private static final class Probe {
        static final String REASON = probe();
    }

    private static String probe() {
        Module module = Linux.class.getModule();
        String reason = platformReason(System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""), module.isNativeAccessEnabled(),
                module.isNamed() ? module.getName() : null);
        return reason != null ? reason : kernelReason();
    }

    /**
     * The reason the platform rules out this package, or {@code null}. Pure, for testing.
     *
     * @param moduleName the module that needs native access, {@code null} for the unnamed one
     */
    static String platformReason(String osName, String osArch, boolean nativeAccess,
            String moduleName) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "os.name is " + osName + ", not Linux";
        }
        if (Arch.of(osArch) == Arch.UNSUPPORTED) {
            return "os.arch " + osArch + " is not supported (x86-64 and aarch64 are)";
        }
        if (!nativeAccess) {
            String flag = moduleName == null ? "ALL-UNNAMED" : moduleName;
            return "native access is not enabled for "
                    + (moduleName == null ? "the unnamed module" : "module " + moduleName)
                    + " (run java with --enable-native-access=" + flag + ")";
        }
        for (String symbol : SYMBOLS) {
            if (!Libc.hasSymbol(symbol)) {
                return "libc has no symbol " + symbol;
            }
        }
        return null;
    }

    /**
     * Binds every handle (class initialisation of each facility) and makes the calls a loop
     * needs first, so that a kernel or sandbox without epoll or eventfd (seccomp, gVisor) is
     * found here rather than by the first event loop.
     */
    private static String kernelReason() {
        try {
            for (Class<?> facility : List.of(Io.class, Epoll.class, EventFd.class, Sockets.class,
                    SocketOptions.class)) {
                Class.forName(facility.getName(), true, Linux.class.getClassLoader());
            }
            CallState state = new CallState();
            int epfd = Epoll.create(state);
            try {
                Io.close(EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC, state),
                        state);
            } finally {
                Io.close(epfd, state);
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "binding libc failed: " + root;
        }
    }
}
