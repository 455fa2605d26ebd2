package io.jgnet.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reasons {@link IoUringAvailability} gives when io_uring is denied, produced by its real
 * check with the setup call and the sysctl forced, for tests outside this package (transport
 * selection).
 */
public final class IoUringDenials {
    private IoUringDenials() {
    }

    private static IoUring.Setup failing(int errno) {
        return (entries, params, state) -> {
            throw new ErrnoException("io_uring_setup(" + entries + ")", errno);
        };
    }

    private static Path sysctl(Path dir, String value) throws IOException {
        return Files.writeString(dir.resolve("io_uring_disabled"), value + "\n");
    }

    /** A seccomp filter (Docker's default) answers io_uring_setup with EPERM. */
    public static String seccomp(Path dir) throws IOException {
        return IoUringAvailability.reason(failing(Errno.EPERM), sysctl(dir, "0"));
    }

    /** A kernel built without io_uring, or a filter that answers ENOSYS. */
    public static String noSuchSystemCall(Path dir) throws IOException {
        return IoUringAvailability.reason(failing(Errno.ENOSYS), sysctl(dir, "0"));
    }

    /** {@code kernel.io_uring_disabled=2}. */
    public static String disabledBySysctl(Path dir) throws IOException {
        return IoUringAvailability.reason((entries, params, state) -> {
            throw new AssertionError("setup must not run when the sysctl says no");
        }, sysctl(dir, "2"));
    }
}
