package io.jgnet.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way io_uring can be unavailable, forced through the code that handles the real one: the
 * setup call is replaced by one that fails with the errno a kernel or sandbox gives (or passes
 * to the real call after refusing some flags), and the sysctl is read from a file the test
 * writes.
 */
@EnabledOnOs(OS.LINUX)
class IoUringAvailabilityTest {
    @TempDir
    Path dir;

    private Path sysctl(String value) throws IOException {
        return Files.writeString(dir.resolve("io_uring_disabled"), value + "\n");
    }

    private static IoUring.Setup failing(int errno) {
        return (entries, params, state) -> {
            throw new ErrnoException("io_uring_setup(" + entries + ")", errno);
        };
    }

    private static void requireLinuxLayer() {
        assumeTrue(Linux.isAvailable(), () -> "FFM layer unavailable: " + Linux.unavailableReason());
    }

    @Test
    void thisMachinesAnswerIsPrintedAndConsistent() {
        requireLinuxLayer();
        String reason = IoUringAvailability.unavailableReason();
        System.out.println("io_uring availability here: " + (reason == null ? "available" : reason));
        assertThat(IoUringAvailability.isAvailable()).isEqualTo(reason == null);
    }

    @Test
    void enosysSaysTheKernelHasNoIoUring() throws IOException {
        requireLinuxLayer();
        assertThat(IoUringAvailability.reason(failing(Errno.ENOSYS), sysctl("0")))
                .startsWith("io_uring_setup: ENOSYS: the kernel has no io_uring");
    }

    @Test
    void epermWithTheSysctlOpenBlamesSeccomp() throws IOException {
        requireLinuxLayer();
        assertThat(IoUringAvailability.reason(failing(Errno.EPERM), sysctl("0")))
                .contains("EPERM").contains("seccomp");
        assertThat(IoUringAvailability.reason(failing(Errno.EPERM), dir.resolve("absent")))
                .contains("seccomp");
    }

    @Test
    void epermWithTheSysctlAtOneNamesTheGroup() throws IOException {
        requireLinuxLayer();
        assertThat(IoUringAvailability.reason(failing(Errno.EPERM), sysctl("1")))
                .contains("kernel.io_uring_disabled=1").contains("kernel.io_uring_group");
    }

    @Test
    void theSysctlAtTwoIsReportedWithoutTryingSetup() throws IOException {
        requireLinuxLayer();
        IoUring.Setup mustNotRun = (entries, params, state) -> fail("setup ran");
        assertThat(IoUringAvailability.reason(mustNotRun, sysctl("2")))
                .isEqualTo("io_uring is disabled by sysctl kernel.io_uring_disabled=2");
    }

    @Test
    void anotherErrnoIsReportedAsTheCallsMessage() throws IOException {
        requireLinuxLayer();
        assertThat(IoUringAvailability.reason(failing(Errno.ENOMEM), sysctl("0")))
                .startsWith("io_uring_setup(4): ENOMEM");
        // EINVAL on every flag set: the kernel knows none of them, not even 0 (not a real
        // kernel, but the ladder must end with the last refusal, not loop or return null).
        assertThat(IoUringAvailability.reason(failing(Errno.EINVAL), sysctl("0")))
                .startsWith("io_uring_setup(4): EINVAL");
    }

    @Test
    void eachRefusedFlagSetFallsBackToTheNextOnTheRealKernel() throws IOException {
        requireLinuxLayer();
        assumeTrue(IoUringAvailability.isAvailable(), IoUringAvailability::unavailableReason);
        CallState state = new CallState();
        for (int refuse = 0; refuse < IoUring.DEFAULT_FLAGS.length; refuse++) {
            int refusedSets = refuse;
            List<Integer> tried = new ArrayList<>();
            // An older kernel: refuses the first refusedSets sets with EINVAL, as it would.
            IoUring.Setup older = (entries, params, s) -> {
                int flags = params.get(JAVA_INT, IoUringParams.FLAGS);
                tried.add(flags);
                if (tried.size() <= refusedSets) {
                    throw new ErrnoException("io_uring_setup(" + entries + ")", Errno.EINVAL);
                }
                return IoUringSys.setup(entries, params, s);
            };
            try (IoUring ring = IoUring.open(4, 0, IoUring.DEFAULT_FLAGS, older, state)) {
                assertThat(ring.setupFlags()).isEqualTo(IoUring.DEFAULT_FLAGS[refuse]);
                assertThat(tried).hasSize(refuse + 1);
                Sqe.prepNop(ring.sqes(), ring.nextSqe(), refuse);
                assertThat(ring.submitAndWait(1, -1)).isEqualTo(1);
                List<Long> seen = new ArrayList<>();
                ring.reap((data, res, flags) -> seen.add(data));
                assertThat(seen).containsExactly((long) refuse);
            }
        }
    }

    @Test
    void missingFeaturesAndOpcodesAreNamed() {
        assertThat(IoUringAvailability.featureReason(IoUringAvailability.REQUIRED_FEATURES))
                .isNull();
        assertThat(IoUringAvailability.featureReason(IoUringParams.IORING_FEAT_SINGLE_MMAP))
                .isEqualTo("the kernel lacks io_uring features NODROP|EXT_ARG");
        BitSet old = new BitSet();
        for (byte op : IoUringAvailability.REQUIRED_OPCODES) {
            old.set(op);
        }
        assertThat(IoUringAvailability.opcodeReason(old)).isNull();
        old.clear(Sqe.IORING_OP_MSG_RING);
        old.clear(Sqe.IORING_OP_CONNECT);
        assertThat(IoUringAvailability.opcodeReason(old))
                .isEqualTo("the kernel's io_uring lacks opcode 16, opcode 40 (IORING_REGISTER_PROBE)");
    }
}
