package io.jgnet.linux;

import java.util.Locale;

/**
 * The CPU architectures whose Linux ABI this package mirrors.
 *
 * <p>Of everything mirrored here only {@code struct epoll_event} differs between the two: the
 * kernel packs it on x86-64 (12 bytes) and aligns it naturally everywhere else (16 bytes), see
 * {@link Epoll}. Every constant (errno values, socket levels and options, {@code O_NONBLOCK}
 * and {@code O_CLOEXEC} behind {@code SOCK_*}, {@code EFD_*} and {@code EPOLL_CLOEXEC}) and every
 * other struct is the same on both, because arm64 takes them from the kernel's asm-generic
 * headers and x86-64's values coincide with those.
 *
 * <p>Immutable; thread-safe.
 */
public enum Arch {
    X86_64,
    AARCH64,
    /** Any other architecture: the probe refuses it, so nothing here is used on it. */
    UNSUPPORTED;

    private static final Arch CURRENT = of(System.getProperty("os.arch", ""));

    /** The architecture this JVM runs on, from {@code os.arch}. */
    public static Arch current() {
        return CURRENT;
    }

    /** Maps an {@code os.arch} value (the JDK says {@code amd64} on x86-64). */
    static Arch of(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> UNSUPPORTED;
        };
    }
}
