package io.jgnet.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.StringJoiner;

/**
 * Whether io_uring can be used here, and if not, why, in words for the one log line the engine's
 * transport selection prints. Checks, in order: the FFM layer itself ({@link Linux}), the
 * {@code kernel.io_uring_disabled} sysctl, a real {@code io_uring_setup} of a tiny ring (which
 * is where ENOSYS and a seccomp EPERM show), the features and the opcodes the transport needs.
 *
 * <p>Static and thread-safe; the real check runs once, on first use, and closes the ring it made.
 */
public final class IoUringAvailability {
    /** Where the kernel (6.6+) says whether io_uring is allowed: 0 yes, 1 only for a group, 2 no. */
    static final Path SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    /** The features the ring and transport rely on: one mapping, kept overflow, wait timeouts. */
    static final int REQUIRED_FEATURES = IoUringParams.IORING_FEAT_SINGLE_MMAP
            | IoUringParams.IORING_FEAT_NODROP | IoUringParams.IORING_FEAT_EXT_ARG;

    /** The opcodes the transport submits. */
    static final byte[] REQUIRED_OPCODES = {
        Sqe.IORING_OP_NOP, Sqe.IORING_OP_READ, Sqe.IORING_OP_WRITEV, Sqe.IORING_OP_SEND,
        Sqe.IORING_OP_RECV, Sqe.IORING_OP_SENDMSG, Sqe.IORING_OP_RECVMSG,
        Sqe.IORING_OP_ACCEPT, Sqe.IORING_OP_CONNECT, Sqe.IORING_OP_CLOSE,
        Sqe.IORING_OP_TIMEOUT, Sqe.IORING_OP_ASYNC_CANCEL, Sqe.IORING_OP_POLL_ADD,
        Sqe.IORING_OP_MSG_RING};

    private IoUringAvailability() {
    }

    /** Whether io_uring can be used here. */
    public static boolean isAvailable() {
        return Probe.REASON == null;
    }

    /**
     * Why not, e.g. {@code "io_uring_setup denied with EPERM: a seccomp filter ..."}, or
     * {@code null} when {@link #isAvailable()}.
     */
    public static String unavailableReason() {
        return Probe.REASON;
    }

    /** Holder: the check runs when first asked, once. */
    private static final class Probe {
        static final String REASON = reason(IoUringSys::setup, SYSCTL);
    }

    /**
     * The check, with the setup call and the sysctl path injectable so that a test can force
     * each failure through the code that handles the real one.
     */
    static String reason(IoUring.Setup setup, Path sysctl) {
        if (!Linux.isAvailable()) {
            return Linux.unavailableReason();
        }
        for (String symbol : new String[] {"mmap", "munmap"}) {
            if (!Libc.hasSymbol(symbol)) {
                return "libc has no symbol " + symbol;
            }
        }
        String disabled = readSysctl(sysctl);
        if ("2".equals(disabled)) {
            return "io_uring is disabled by sysctl kernel.io_uring_disabled=2";
        }
        CallState state = new CallState();
        try (IoUring ring = IoUring.open(4, 0, IoUring.DEFAULT_FLAGS, setup, state)) {
            String missing = featureReason(ring.features());
            return missing != null ? missing : opcodeReason(ring.probe());
        } catch (ErrnoException e) {
            return setupReason(e, disabled);
        } catch (IOException e) {
            return "io_uring: " + e.getMessage();
        } catch (LinkageError | RuntimeException e) {
            return "binding io_uring failed: " + e;
        }
    }

    /** Why {@code io_uring_setup} failed, in terms of what to change. */
    static String setupReason(ErrnoException e, String sysctl) {
        return switch (e.errno()) {
            case Errno.ENOSYS -> "io_uring_setup: ENOSYS: the kernel has no io_uring (before 5.1,"
                    + " or built without CONFIG_IO_URING) or a sandbox hides it";
            case Errno.EPERM -> "1".equals(sysctl)
                    ? "io_uring_setup: EPERM: kernel.io_uring_disabled=1 and this process is not"
                            + " in the group kernel.io_uring_group allows"
                    : "io_uring_setup: EPERM: denied by a seccomp filter (the default profile of"
                            + " Docker and Podman) or a security module";
            case Errno.EACCES -> "io_uring_setup: EACCES: denied by a security module";
            default -> e.getMessage();
        };
    }

    /** The required features {@code features} lacks, or {@code null}. */
    static String featureReason(int features) {
        int missing = REQUIRED_FEATURES & ~features;
        return missing == 0 ? null
                : "the kernel lacks io_uring features " + IoUringParams.featureNames(missing);
    }

    /** The required opcodes {@code supported} lacks, or {@code null}. */
    static String opcodeReason(BitSet supported) {
        StringJoiner missing = new StringJoiner(", ");
        for (byte op : REQUIRED_OPCODES) {
            if (!supported.get(op)) {
                missing.add("opcode " + op);
            }
        }
        return missing.length() == 0 ? null
                : "the kernel's io_uring lacks " + missing + " (IORING_REGISTER_PROBE)";
    }

    /** The sysctl's value, trimmed, or {@code null} when the file is absent (before 6.6). */
    private static String readSysctl(Path sysctl) {
        try {
            return Files.readString(sysctl).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
