/*
 * Prints the io_uring ABI as the kernel's own header declares it, one "name value" per line,
 * for IoUringAbiTest to compare with the Java mirror (IoUringParams, Sqe, Cqe, BufRing, MsgHdr,
 * IoUringSys). Needs linux/io_uring.h (Debian: linux-libc-dev). Only what every header since
 * 6.1 declares is printed, so an older distribution's header still compiles.
 */
#include <linux/io_uring.h>
#include <linux/time_types.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define SIZE(type) printf("sizeof(%s) %zu\n", #type, sizeof(type))
#define OFF(type, field) printf("offsetof(%s,%s) %zu\n", #type, #field, offsetof(type, field))
#define VAL(name) printf("%s %lld\n", #name, (long long) (name))

int main(void) {
    SIZE(struct io_uring_params);
    OFF(struct io_uring_params, sq_entries);
    OFF(struct io_uring_params, cq_entries);
    OFF(struct io_uring_params, flags);
    OFF(struct io_uring_params, features);
    OFF(struct io_uring_params, sq_off);
    OFF(struct io_uring_params, cq_off);
    SIZE(struct io_sqring_offsets);
    OFF(struct io_sqring_offsets, head);
    OFF(struct io_sqring_offsets, tail);
    OFF(struct io_sqring_offsets, ring_mask);
    OFF(struct io_sqring_offsets, ring_entries);
    OFF(struct io_sqring_offsets, flags);
    OFF(struct io_sqring_offsets, dropped);
    OFF(struct io_sqring_offsets, array);
    SIZE(struct io_cqring_offsets);
    OFF(struct io_cqring_offsets, head);
    OFF(struct io_cqring_offsets, tail);
    OFF(struct io_cqring_offsets, ring_mask);
    OFF(struct io_cqring_offsets, ring_entries);
    OFF(struct io_cqring_offsets, overflow);
    OFF(struct io_cqring_offsets, cqes);
    OFF(struct io_cqring_offsets, flags);

    SIZE(struct io_uring_sqe);
    OFF(struct io_uring_sqe, opcode);
    OFF(struct io_uring_sqe, flags);
    OFF(struct io_uring_sqe, ioprio);
    OFF(struct io_uring_sqe, fd);
    OFF(struct io_uring_sqe, off);
    OFF(struct io_uring_sqe, addr);
    OFF(struct io_uring_sqe, len);
    OFF(struct io_uring_sqe, rw_flags);
    OFF(struct io_uring_sqe, msg_flags);
    OFF(struct io_uring_sqe, user_data);
    OFF(struct io_uring_sqe, buf_group);
    OFF(struct io_uring_sqe, personality);
    OFF(struct io_uring_sqe, file_index);
    OFF(struct io_uring_sqe, addr3);

    SIZE(struct io_uring_cqe);
    OFF(struct io_uring_cqe, user_data);
    OFF(struct io_uring_cqe, res);
    OFF(struct io_uring_cqe, flags);

    SIZE(struct io_uring_buf);
    OFF(struct io_uring_buf, addr);
    OFF(struct io_uring_buf, len);
    OFF(struct io_uring_buf, bid);
    OFF(struct io_uring_buf_ring, tail);
    SIZE(struct io_uring_buf_reg);
    OFF(struct io_uring_buf_reg, ring_addr);
    OFF(struct io_uring_buf_reg, ring_entries);
    OFF(struct io_uring_buf_reg, bgid);

    SIZE(struct io_uring_recvmsg_out);
    OFF(struct io_uring_recvmsg_out, namelen);
    OFF(struct io_uring_recvmsg_out, controllen);
    OFF(struct io_uring_recvmsg_out, payloadlen);
    OFF(struct io_uring_recvmsg_out, flags);
    SIZE(struct msghdr);
    OFF(struct msghdr, msg_name);
    OFF(struct msghdr, msg_namelen);
    OFF(struct msghdr, msg_iov);
    OFF(struct msghdr, msg_iovlen);
    OFF(struct msghdr, msg_control);
    OFF(struct msghdr, msg_controllen);
    OFF(struct msghdr, msg_flags);
    VAL(MSG_TRUNC);
    VAL(MSG_DONTWAIT);

    SIZE(struct io_uring_getevents_arg);
    OFF(struct io_uring_getevents_arg, ts);
    SIZE(struct __kernel_timespec);
    OFF(struct __kernel_timespec, tv_nsec);
    SIZE(struct io_uring_probe);
    SIZE(struct io_uring_probe_op);
    OFF(struct io_uring_probe, ops_len);
    OFF(struct io_uring_probe_op, flags);

    VAL(__NR_io_uring_setup);
    VAL(__NR_io_uring_enter);
    VAL(__NR_io_uring_register);

    VAL(IORING_SETUP_SQPOLL);
    VAL(IORING_SETUP_CQSIZE);
    VAL(IORING_SETUP_SUBMIT_ALL);
    VAL(IORING_SETUP_COOP_TASKRUN);
    VAL(IORING_SETUP_TASKRUN_FLAG);
    VAL(IORING_SETUP_CQE32);
    VAL(IORING_SETUP_SINGLE_ISSUER);
    VAL(IORING_SETUP_DEFER_TASKRUN);
    VAL(IORING_FEAT_SINGLE_MMAP);
    VAL(IORING_FEAT_NODROP);
    VAL(IORING_FEAT_FAST_POLL);
    VAL(IORING_FEAT_EXT_ARG);
    VAL(IORING_FEAT_CQE_SKIP);
    VAL(IORING_SQ_NEED_WAKEUP);
    VAL(IORING_SQ_CQ_OVERFLOW);
    VAL(IORING_SQ_TASKRUN);
    VAL(IORING_OFF_SQ_RING);
    VAL(IORING_OFF_CQ_RING);
    VAL(IORING_OFF_SQES);
    VAL(IORING_ENTER_GETEVENTS);
    VAL(IORING_ENTER_EXT_ARG);
    VAL(IORING_REGISTER_PROBE);
    VAL(IORING_REGISTER_PBUF_RING);
    VAL(IORING_UNREGISTER_PBUF_RING);
    VAL(IO_URING_OP_SUPPORTED);

    VAL(IORING_OP_NOP);
    VAL(IORING_OP_READV);
    VAL(IORING_OP_WRITEV);
    VAL(IORING_OP_POLL_ADD);
    VAL(IORING_OP_POLL_REMOVE);
    VAL(IORING_OP_SENDMSG);
    VAL(IORING_OP_RECVMSG);
    VAL(IORING_OP_TIMEOUT);
    VAL(IORING_OP_TIMEOUT_REMOVE);
    VAL(IORING_OP_ACCEPT);
    VAL(IORING_OP_ASYNC_CANCEL);
    VAL(IORING_OP_LINK_TIMEOUT);
    VAL(IORING_OP_CONNECT);
    VAL(IORING_OP_CLOSE);
    VAL(IORING_OP_READ);
    VAL(IORING_OP_WRITE);
    VAL(IORING_OP_SEND);
    VAL(IORING_OP_RECV);
    VAL(IORING_OP_SHUTDOWN);
    VAL(IORING_OP_MSG_RING);
    VAL(IORING_OP_SEND_ZC);

    VAL(IOSQE_FIXED_FILE);
    VAL(IOSQE_IO_LINK);
    VAL(IOSQE_ASYNC);
    VAL(IOSQE_BUFFER_SELECT);
    VAL(IOSQE_CQE_SKIP_SUCCESS);
    VAL(IORING_RECVSEND_POLL_FIRST);
    VAL(IORING_RECV_MULTISHOT);
    VAL(IORING_ACCEPT_MULTISHOT);
    VAL(IORING_TIMEOUT_ABS);
    VAL(IORING_TIMEOUT_ETIME_SUCCESS);
    VAL(IORING_POLL_ADD_MULTI);
    VAL(IORING_ASYNC_CANCEL_ALL);
    VAL(IORING_ASYNC_CANCEL_FD);
    VAL(IORING_ASYNC_CANCEL_ANY);
    VAL(IORING_MSG_DATA);
    VAL(IORING_CQE_F_BUFFER);
    VAL(IORING_CQE_F_MORE);
    VAL(IORING_CQE_F_SOCK_NONEMPTY);
    VAL(IORING_CQE_F_NOTIF);
    VAL(IORING_CQE_BUFFER_SHIFT);
    return 0;
}
