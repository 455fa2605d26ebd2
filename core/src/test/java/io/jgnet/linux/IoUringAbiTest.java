package io.jgnet.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io_uring mirror against the C definitions: every size, offset and constant the Java side
 * declares, checked (1) against its own {@link MemoryLayout} so that the drawn layout and the
 * offset constants cannot drift apart, and (2) against a C program compiled with gcc against
 * the machine's {@code <linux/io_uring.h>} ({@code io_uring_abi.c} beside this test), which is
 * the kernel's own word. (2) skips with a message without gcc or the header, except under
 * {@code CI=true}, where it fails instead.
 */
class IoUringAbiTest {
    private static final String HEADER = "/usr/include/linux/io_uring.h";

    @Test
    void layoutsAgreeWithTheirOffsetConstantsAndTheCSizes() {
        assertThat(IoUringParams.LAYOUT.byteSize()).isEqualTo(IoUringParams.SIZE).isEqualTo(120);
        assertThat(Sqe.LAYOUT.byteSize()).isEqualTo(Sqe.SIZE).isEqualTo(64);
        assertThat(Cqe.LAYOUT.byteSize()).isEqualTo(Cqe.SIZE).isEqualTo(16);
        assertThat(Cqe.SIZE_CQE32).isEqualTo(2 * Cqe.SIZE);
        assertThat(BufRing.BUF_LAYOUT.byteSize()).isEqualTo(BufRing.BUF_SIZE).isEqualTo(16);
        assertThat(BufRing.REG_LAYOUT.byteSize()).isEqualTo(BufRing.REG_SIZE).isEqualTo(40);
        assertThat(IoUringSys.GETEVENTS_ARG_LAYOUT.byteSize())
                .isEqualTo(IoUringSys.GETEVENTS_ARG_SIZE).isEqualTo(24);
        // Not in the C comparison: older headers still call the field pad.
        assertThat(IoUringSys.GETEVENTS_ARG_LAYOUT.byteOffset(groupElement("min_wait_usec")))
                .isEqualTo(IoUringSys.GETEVENTS_ARG_MIN_WAIT_USEC).isEqualTo(12);
        assertThat(MsgHdr.LAYOUT.byteSize()).isEqualTo(MsgHdr.SIZE).isEqualTo(56);
        assertThat(MsgHdr.OUT_LAYOUT.byteSize()).isEqualTo(MsgHdr.OUT_SIZE).isEqualTo(16);
        assertThat(IoUringSys.TIMESPEC_LAYOUT.byteSize()).isEqualTo(IoUringSys.TIMESPEC_SIZE);
        assertThat(IoUringSys.PROBE_LAYOUT.byteSize()).isEqualTo(IoUringSys.PROBE_SIZE);
        assertThat(IoUringSys.PROBE_OP_LAYOUT.byteSize()).isEqualTo(IoUringSys.PROBE_OP_SIZE);
        // expected() reads every offset from the layouts and asserts the constant matches.
        assertThat(expected()).isNotEmpty();
    }

    @Test
    void everySizeOffsetAndConstantMatchesTheKernelHeader(@TempDir Path dir)
            throws IOException, InterruptedException {
        requireOrSkip(Files.isRegularFile(Path.of(HEADER)),
                HEADER + " is not installed (apt-get install linux-libc-dev)");
        Path source = dir.resolve("io_uring_abi.c");
        try (InputStream in = IoUringAbiTest.class.getResourceAsStream("io_uring_abi.c")) {
            assertThat(in).as("io_uring_abi.c on the test class path").isNotNull();
            Files.write(source, in.readAllBytes());
        }
        Path binary = dir.resolve("io_uring_abi");
        String compiler;
        try {
            compiler = run(dir, "gcc", "-Wall", "-o", binary.toString(), source.toString());
        } catch (IOException notInstalled) {
            requireOrSkip(false, "gcc is not installed: " + notInstalled.getMessage());
            return;
        }
        assertThat(compiler).as("gcc output").isEmpty();
        Map<String, Long> kernel = new TreeMap<>();
        for (String line : run(dir, binary.toString()).lines().toList()) {
            int space = line.lastIndexOf(' ');
            kernel.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        assertThat(new TreeMap<>(expected())).isEqualTo(kernel);
    }

    /** Skips with {@code why}, or fails under CI, where the tools are installed on purpose. */
    private static void requireOrSkip(boolean present, String why) {
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: the C comparison must run)");
        }
        assumeTrue(present, why);
    }

    private static String run(Path dir, String... command)
            throws IOException, InterruptedException {
        // Output to a file, so that the wait is bounded however the command behaves; killed whatever happens.
        Path outputFile = Files.createTempFile(dir, "output", ".txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(outputFile.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command[0] + " finished").isTrue();
            String output = Files.readString(outputFile, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(command[0] + " exit status; output: " + output)
                    .isZero();
            return output;
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What the Java side says, keyed as io_uring_abi.c prints it. */
    private static Map<String, Long> expected() {
        Map<String, Long> m = new LinkedHashMap<>();
        String params = "struct io_uring_params";
        size(m, params, IoUringParams.LAYOUT);
        offset(m, params, IoUringParams.LAYOUT, "sq_entries", IoUringParams.SQ_ENTRIES);
        offset(m, params, IoUringParams.LAYOUT, "cq_entries", IoUringParams.CQ_ENTRIES);
        offset(m, params, IoUringParams.LAYOUT, "flags", IoUringParams.FLAGS);
        offset(m, params, IoUringParams.LAYOUT, "features", IoUringParams.FEATURES);
        offset(m, params, IoUringParams.LAYOUT, "sq_off", IoUringParams.SQ_OFF);
        offset(m, params, IoUringParams.LAYOUT, "cq_off", IoUringParams.CQ_OFF);
        String sq = "struct io_sqring_offsets";
        StructLayout sqOff = IoUringParams.SQRING_OFFSETS_LAYOUT;
        size(m, sq, sqOff);
        offset(m, sq, sqOff, "head", IoUringParams.OFF_HEAD);
        offset(m, sq, sqOff, "tail", IoUringParams.OFF_TAIL);
        offset(m, sq, sqOff, "ring_mask", IoUringParams.OFF_RING_MASK);
        offset(m, sq, sqOff, "ring_entries", IoUringParams.OFF_RING_ENTRIES);
        offset(m, sq, sqOff, "flags", IoUringParams.SQ_OFF_FLAGS);
        offset(m, sq, sqOff, "dropped", IoUringParams.SQ_OFF_DROPPED);
        offset(m, sq, sqOff, "array", IoUringParams.SQ_OFF_ARRAY);
        String cq = "struct io_cqring_offsets";
        StructLayout cqOff = IoUringParams.CQRING_OFFSETS_LAYOUT;
        size(m, cq, cqOff);
        offset(m, cq, cqOff, "head", IoUringParams.OFF_HEAD);
        offset(m, cq, cqOff, "tail", IoUringParams.OFF_TAIL);
        offset(m, cq, cqOff, "ring_mask", IoUringParams.OFF_RING_MASK);
        offset(m, cq, cqOff, "ring_entries", IoUringParams.OFF_RING_ENTRIES);
        offset(m, cq, cqOff, "overflow", IoUringParams.CQ_OFF_OVERFLOW);
        offset(m, cq, cqOff, "cqes", IoUringParams.CQ_OFF_CQES);
        offset(m, cq, cqOff, "flags", IoUringParams.CQ_OFF_FLAGS);

        String sqe = "struct io_uring_sqe";
        size(m, sqe, Sqe.LAYOUT);
        offset(m, sqe, Sqe.LAYOUT, "opcode", Sqe.OPCODE);
        offset(m, sqe, Sqe.LAYOUT, "flags", Sqe.FLAGS);
        offset(m, sqe, Sqe.LAYOUT, "ioprio", Sqe.IOPRIO);
        offset(m, sqe, Sqe.LAYOUT, "fd", Sqe.FD);
        offset(m, sqe, Sqe.LAYOUT, "off", Sqe.OFF);
        offset(m, sqe, Sqe.LAYOUT, "addr", Sqe.ADDR);
        offset(m, sqe, Sqe.LAYOUT, "len", Sqe.LEN);
        offset(m, sqe, Sqe.LAYOUT, "rw_flags", Sqe.OP_FLAGS);
        m.put("offsetof(" + sqe + ",msg_flags)", (long) Sqe.OP_FLAGS);
        offset(m, sqe, Sqe.LAYOUT, "user_data", Sqe.USER_DATA);
        offset(m, sqe, Sqe.LAYOUT, "buf_group", Sqe.BUF_GROUP);
        offset(m, sqe, Sqe.LAYOUT, "personality", Sqe.PERSONALITY);
        offset(m, sqe, Sqe.LAYOUT, "file_index", Sqe.FILE_INDEX);
        offset(m, sqe, Sqe.LAYOUT, "addr3", Sqe.ADDR3);

        String cqe = "struct io_uring_cqe";
        size(m, cqe, Cqe.LAYOUT);
        offset(m, cqe, Cqe.LAYOUT, "user_data", Cqe.USER_DATA);
        offset(m, cqe, Cqe.LAYOUT, "res", Cqe.RES);
        offset(m, cqe, Cqe.LAYOUT, "flags", Cqe.FLAGS);

        String buf = "struct io_uring_buf";
        size(m, buf, BufRing.BUF_LAYOUT);
        offset(m, buf, BufRing.BUF_LAYOUT, "addr", BufRing.BUF_ADDR);
        offset(m, buf, BufRing.BUF_LAYOUT, "len", BufRing.BUF_LEN);
        offset(m, buf, BufRing.BUF_LAYOUT, "bid", BufRing.BUF_BID);
        assertThat(BufRing.BUF_LAYOUT.byteOffset(groupElement("resv"))).as("tail overlays bufs[0].resv")
                .isEqualTo(BufRing.TAIL);
        m.put("offsetof(struct io_uring_buf_ring,tail)", (long) BufRing.TAIL);
        String reg = "struct io_uring_buf_reg";
        size(m, reg, BufRing.REG_LAYOUT);
        offset(m, reg, BufRing.REG_LAYOUT, "ring_addr", BufRing.REG_RING_ADDR);
        offset(m, reg, BufRing.REG_LAYOUT, "ring_entries", BufRing.REG_RING_ENTRIES);
        offset(m, reg, BufRing.REG_LAYOUT, "bgid", BufRing.REG_BGID);

        String out = "struct io_uring_recvmsg_out";
        size(m, out, MsgHdr.OUT_LAYOUT);
        offset(m, out, MsgHdr.OUT_LAYOUT, "namelen", MsgHdr.OUT_NAMELEN);
        offset(m, out, MsgHdr.OUT_LAYOUT, "controllen", MsgHdr.OUT_CONTROLLEN);
        offset(m, out, MsgHdr.OUT_LAYOUT, "payloadlen", MsgHdr.OUT_PAYLOADLEN);
        offset(m, out, MsgHdr.OUT_LAYOUT, "flags", MsgHdr.OUT_FLAGS);
        String msghdr = "struct msghdr";
        size(m, msghdr, MsgHdr.LAYOUT);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_name", MsgHdr.NAME);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_namelen", MsgHdr.NAMELEN);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_iov", MsgHdr.IOV);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_iovlen", MsgHdr.IOVLEN);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_control", MsgHdr.CONTROL);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_controllen", MsgHdr.CONTROLLEN);
        offset(m, msghdr, MsgHdr.LAYOUT, "msg_flags", MsgHdr.FLAGS);
        m.put("MSG_TRUNC", (long) Sockets.MSG_TRUNC);
        m.put("MSG_DONTWAIT", (long) Sockets.MSG_DONTWAIT);

        size(m, "struct io_uring_getevents_arg", IoUringSys.GETEVENTS_ARG_LAYOUT);
        offset(m, "struct io_uring_getevents_arg", IoUringSys.GETEVENTS_ARG_LAYOUT, "ts",
                IoUringSys.GETEVENTS_ARG_TS);
        size(m, "struct __kernel_timespec", IoUringSys.TIMESPEC_LAYOUT);
        offset(m, "struct __kernel_timespec", IoUringSys.TIMESPEC_LAYOUT, "tv_nsec",
                IoUringSys.TIMESPEC_NSEC);
        size(m, "struct io_uring_probe", IoUringSys.PROBE_LAYOUT);
        size(m, "struct io_uring_probe_op", IoUringSys.PROBE_OP_LAYOUT);
        offset(m, "struct io_uring_probe", IoUringSys.PROBE_LAYOUT, "ops_len",
                IoUringSys.PROBE_OPS_LEN);
        offset(m, "struct io_uring_probe_op", IoUringSys.PROBE_OP_LAYOUT, "flags",
                IoUringSys.PROBE_OP_FLAGS);

        m.put("__NR_io_uring_setup", IoUringSys.SYS_IO_URING_SETUP);
        m.put("__NR_io_uring_enter", IoUringSys.SYS_IO_URING_ENTER);
        m.put("__NR_io_uring_register", IoUringSys.SYS_IO_URING_REGISTER);

        m.put("IORING_SETUP_SQPOLL", (long) IoUringParams.IORING_SETUP_SQPOLL);
        m.put("IORING_SETUP_CQSIZE", (long) IoUringParams.IORING_SETUP_CQSIZE);
        m.put("IORING_SETUP_SUBMIT_ALL", (long) IoUringParams.IORING_SETUP_SUBMIT_ALL);
        m.put("IORING_SETUP_COOP_TASKRUN", (long) IoUringParams.IORING_SETUP_COOP_TASKRUN);
        m.put("IORING_SETUP_TASKRUN_FLAG", (long) IoUringParams.IORING_SETUP_TASKRUN_FLAG);
        m.put("IORING_SETUP_CQE32", (long) IoUringParams.IORING_SETUP_CQE32);
        m.put("IORING_SETUP_SINGLE_ISSUER", (long) IoUringParams.IORING_SETUP_SINGLE_ISSUER);
        m.put("IORING_SETUP_DEFER_TASKRUN", (long) IoUringParams.IORING_SETUP_DEFER_TASKRUN);
        m.put("IORING_FEAT_SINGLE_MMAP", (long) IoUringParams.IORING_FEAT_SINGLE_MMAP);
        m.put("IORING_FEAT_NODROP", (long) IoUringParams.IORING_FEAT_NODROP);
        m.put("IORING_FEAT_FAST_POLL", (long) IoUringParams.IORING_FEAT_FAST_POLL);
        m.put("IORING_FEAT_EXT_ARG", (long) IoUringParams.IORING_FEAT_EXT_ARG);
        m.put("IORING_FEAT_CQE_SKIP", (long) IoUringParams.IORING_FEAT_CQE_SKIP);
        m.put("IORING_SQ_NEED_WAKEUP", (long) IoUringParams.IORING_SQ_NEED_WAKEUP);
        m.put("IORING_SQ_CQ_OVERFLOW", (long) IoUringParams.IORING_SQ_CQ_OVERFLOW);
        m.put("IORING_SQ_TASKRUN", (long) IoUringParams.IORING_SQ_TASKRUN);
        m.put("IORING_OFF_SQ_RING", IoUringParams.IORING_OFF_SQ_RING);
        m.put("IORING_OFF_CQ_RING", IoUringParams.IORING_OFF_CQ_RING);
        m.put("IORING_OFF_SQES", IoUringParams.IORING_OFF_SQES);
        m.put("IORING_ENTER_GETEVENTS", (long) IoUringSys.IORING_ENTER_GETEVENTS);
        m.put("IORING_ENTER_EXT_ARG", (long) IoUringSys.IORING_ENTER_EXT_ARG);
        m.put("IORING_REGISTER_PROBE", (long) IoUringSys.IORING_REGISTER_PROBE);
        m.put("IORING_REGISTER_PBUF_RING", (long) IoUringSys.IORING_REGISTER_PBUF_RING);
        m.put("IORING_UNREGISTER_PBUF_RING", (long) IoUringSys.IORING_UNREGISTER_PBUF_RING);
        m.put("IO_URING_OP_SUPPORTED", (long) IoUringSys.IO_URING_OP_SUPPORTED);

        m.put("IORING_OP_NOP", (long) Sqe.IORING_OP_NOP);
        m.put("IORING_OP_READV", (long) Sqe.IORING_OP_READV);
        m.put("IORING_OP_WRITEV", (long) Sqe.IORING_OP_WRITEV);
        m.put("IORING_OP_POLL_ADD", (long) Sqe.IORING_OP_POLL_ADD);
        m.put("IORING_OP_POLL_REMOVE", (long) Sqe.IORING_OP_POLL_REMOVE);
        m.put("IORING_OP_SENDMSG", (long) Sqe.IORING_OP_SENDMSG);
        m.put("IORING_OP_RECVMSG", (long) Sqe.IORING_OP_RECVMSG);
        m.put("IORING_OP_TIMEOUT", (long) Sqe.IORING_OP_TIMEOUT);
        m.put("IORING_OP_TIMEOUT_REMOVE", (long) Sqe.IORING_OP_TIMEOUT_REMOVE);
        m.put("IORING_OP_ACCEPT", (long) Sqe.IORING_OP_ACCEPT);
        m.put("IORING_OP_ASYNC_CANCEL", (long) Sqe.IORING_OP_ASYNC_CANCEL);
        m.put("IORING_OP_LINK_TIMEOUT", (long) Sqe.IORING_OP_LINK_TIMEOUT);
        m.put("IORING_OP_CONNECT", (long) Sqe.IORING_OP_CONNECT);
        m.put("IORING_OP_CLOSE", (long) Sqe.IORING_OP_CLOSE);
        m.put("IORING_OP_READ", (long) Sqe.IORING_OP_READ);
        m.put("IORING_OP_WRITE", (long) Sqe.IORING_OP_WRITE);
        m.put("IORING_OP_SEND", (long) Sqe.IORING_OP_SEND);
        m.put("IORING_OP_RECV", (long) Sqe.IORING_OP_RECV);
        m.put("IORING_OP_SHUTDOWN", (long) Sqe.IORING_OP_SHUTDOWN);
        m.put("IORING_OP_MSG_RING", (long) Sqe.IORING_OP_MSG_RING);
        m.put("IORING_OP_SEND_ZC", (long) Sqe.IORING_OP_SEND_ZC);

        m.put("IOSQE_FIXED_FILE", (long) Sqe.IOSQE_FIXED_FILE);
        m.put("IOSQE_IO_LINK", (long) Sqe.IOSQE_IO_LINK);
        m.put("IOSQE_ASYNC", (long) Sqe.IOSQE_ASYNC);
        m.put("IOSQE_BUFFER_SELECT", (long) Sqe.IOSQE_BUFFER_SELECT);
        m.put("IOSQE_CQE_SKIP_SUCCESS", (long) Sqe.IOSQE_CQE_SKIP_SUCCESS);
        m.put("IORING_RECVSEND_POLL_FIRST", (long) Sqe.IORING_RECVSEND_POLL_FIRST);
        m.put("IORING_RECV_MULTISHOT", (long) Sqe.IORING_RECV_MULTISHOT);
        m.put("IORING_ACCEPT_MULTISHOT", (long) Sqe.IORING_ACCEPT_MULTISHOT);
        m.put("IORING_TIMEOUT_ABS", (long) Sqe.IORING_TIMEOUT_ABS);
        m.put("IORING_TIMEOUT_ETIME_SUCCESS", (long) Sqe.IORING_TIMEOUT_ETIME_SUCCESS);
        m.put("IORING_POLL_ADD_MULTI", (long) Sqe.IORING_POLL_ADD_MULTI);
        m.put("IORING_ASYNC_CANCEL_ALL", (long) Sqe.IORING_ASYNC_CANCEL_ALL);
        m.put("IORING_ASYNC_CANCEL_FD", (long) Sqe.IORING_ASYNC_CANCEL_FD);
        m.put("IORING_ASYNC_CANCEL_ANY", (long) Sqe.IORING_ASYNC_CANCEL_ANY);
        m.put("IORING_MSG_DATA", Sqe.IORING_MSG_DATA);
        m.put("IORING_CQE_F_BUFFER", (long) Cqe.IORING_CQE_F_BUFFER);
        m.put("IORING_CQE_F_MORE", (long) Cqe.IORING_CQE_F_MORE);
        m.put("IORING_CQE_F_SOCK_NONEMPTY", (long) Cqe.IORING_CQE_F_SOCK_NONEMPTY);
        m.put("IORING_CQE_F_NOTIF", (long) Cqe.IORING_CQE_F_NOTIF);
        m.put("IORING_CQE_BUFFER_SHIFT", (long) Cqe.IORING_CQE_BUFFER_SHIFT);
        return m;
    }

    private static void size(Map<String, Long> m, String type, StructLayout layout) {
        m.put("sizeof(" + type + ")", layout.byteSize());
    }

    /** Records the layout's offset of {@code field} after checking the constant agrees. */
    private static void offset(Map<String, Long> m, String type, StructLayout layout,
            String field, long constant) {
        long offset = layout.byteOffset(groupElement(field));
        assertThat(constant).as(type + "." + field + " constant").isEqualTo(offset);
        m.put("offsetof(" + type + "," + field + ")", offset);
    }
}
