/*
 * The io_uring floor beside c-epoll: a minimal, hand-written io_uring echo server in C, with raw
 * system calls (no liburing), what "close to what the kernel allows" means in numbers. One
 * thread, one ring, one io_uring_enter per loop iteration that both submits everything the last
 * batch of completions asked for and waits for the next:
 *
 *   - a multishot accept keeps accepting;
 *   - a multishot recv per connection takes its buffers from one provided-buffer ring
 *     (IORING_REGISTER_PBUF_RING), so nothing is read before it arrived;
 *   - what arrived is sent straight from that buffer (no copy) when the connection has no send in
 *     flight, else appended to the connection's queue and the buffer given back at once; at most
 *     one send per connection is in flight, so bytes leave in the order they came;
 *   - close, and standard input (the harness's commands), are ring operations too.
 *
 *   io_uring-echo PORT     serve 127.0.0.1:PORT (0 = any free port); prints
 *                          "READY <port> c-io_uring <setup flags>", or "UNAVAILABLE <reason>" and
 *                          exits with status 3 when io_uring cannot be used here
 *
 * It follows the harness's server contract (BenchServers), as epoll-echo.c does: standard input
 * closed -> exit; a line "GC" -> prints "GC done"; any other line -> "ERROR unknown command".
 *
 * One self-contained file, like epoll-echo.c (the harness compiles a reference server from its
 * single source), so the few lines of command handling are repeated here on purpose.
 *
 * Build: gcc -O2 -o io_uring-echo io_uring-echo.c (needs linux/io_uring.h from linux-libc-dev;
 * kernel 5.19+ for provided-buffer rings and multishot accept, 6.0+ for multishot recv).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SQ_ENTRIES 1024
#define CQ_ENTRIES 8192
#define BUFFERS 1024                /* provided buffers: a power of two */
#define BUFFER_SIZE 16384
#define GROUP 0

/* user_data: the kind of operation in the upper half, the descriptor in the lower. */
enum { OP_ACCEPT = 1, OP_RECV, OP_SEND, OP_STDIN, OP_IGNORED };
#define USER_DATA(op, fd) (((unsigned long long) (op) << 32) | (unsigned) (fd))

struct conn {
    const char *sending;   /* what the send in flight covers (NULL: none) */
    size_t unsent;
    int bid;               /* the provided buffer it points into, or -1 (then it is `spare`) */
    int receiving;         /* the multishot recv is armed: more completions will come */
    int ended;             /* end of stream or an error: send nothing more */
    char *queue;           /* bytes that came while a send was in flight */
    size_t queued, queue_capacity;
    char *spare;           /* the queue's twin, frozen while a send from it is in flight */
    size_t spare_capacity;
};

static int ring_fd;
static unsigned setup_flags;
static unsigned *sq_head, *sq_tail, *sq_mask;
static unsigned *cq_head, *cq_tail, *cq_mask;
static struct io_uring_cqe *cqes;
static struct io_uring_sqe *sqes;
static unsigned sqe_tail;               /* SQEs handed out; published at the next enter */
static struct io_uring_buf_ring *buf_ring;
static char *buffers;
static unsigned short buf_tail;
static struct conn *conns;
static int conn_capacity;
static int listener;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int enter(unsigned to_submit, unsigned min_complete, unsigned flags) {
    return (int) syscall(__NR_io_uring_enter, ring_fd, to_submit, min_complete, flags, NULL, 0);
}

/* Publishes the SQEs handed out and enters; waits for one completion when asked. */
static void submit_and_wait(unsigned wait) {
    unsigned to_submit = sqe_tail - __atomic_load_n(sq_head, __ATOMIC_ACQUIRE);
    __atomic_store_n(sq_tail, sqe_tail, __ATOMIC_RELEASE);
    if (enter(to_submit, wait, IORING_ENTER_GETEVENTS) < 0 && errno != EINTR && errno != ETIME) {
        die("io_uring_enter");
    }
}

/* A zeroed SQE; a full SQ is submitted first rather than failing. */
static struct io_uring_sqe *sqe(int op, int fd, unsigned long long user_data) {
    if (sqe_tail - __atomic_load_n(sq_head, __ATOMIC_ACQUIRE) == SQ_ENTRIES) {
        submit_and_wait(0);
    }
    struct io_uring_sqe *s = &sqes[sqe_tail++ & *sq_mask];
    memset(s, 0, sizeof *s);
    s->opcode = op;
    s->fd = fd;
    s->user_data = user_data;
    return s;
}

static void give_back(int bid) {
    struct io_uring_buf *b = &buf_ring->bufs[buf_tail & (BUFFERS - 1)];
    b->addr = (unsigned long long) (buffers + (size_t) bid * BUFFER_SIZE);
    b->len = BUFFER_SIZE;
    b->bid = bid;
    __atomic_store_n(&buf_ring->tail, ++buf_tail, __ATOMIC_RELEASE);
}

static struct conn *conn_for(int fd) {
    if (fd >= conn_capacity) {
        int capacity = conn_capacity ? conn_capacity : 1024;
        while (capacity <= fd) {
            capacity *= 2;
        }
        conns = realloc(conns, capacity * sizeof *conns);
        if (!conns) {
            die("realloc");
        }
        memset(conns + conn_capacity, 0, (capacity - conn_capacity) * sizeof *conns);
        conn_capacity = capacity;
    }
    return &conns[fd];
}

static void arm_recv(int fd) {
    struct io_uring_sqe *s = sqe(IORING_OP_RECV, fd, USER_DATA(OP_RECV, fd));
    s->ioprio = IORING_RECV_MULTISHOT;
    s->flags = IOSQE_BUFFER_SELECT;
    s->buf_group = GROUP;
}

static void send_now(int fd, struct conn *c) {
    struct io_uring_sqe *s = sqe(IORING_OP_SEND, fd, USER_DATA(OP_SEND, fd));
    s->addr = (unsigned long long) c->sending;
    s->len = c->unsent;
    s->msg_flags = MSG_NOSIGNAL;
}

static void close_conn(int fd, struct conn *c) {
    free(c->queue);
    free(c->spare);
    memset(c, 0, sizeof *c);
    sqe(IORING_OP_CLOSE, fd, USER_DATA(OP_IGNORED, fd));
}

/* Closes once nothing of the connection is in flight: no more completions can name it. */
static void close_when_idle(int fd, struct conn *c) {
    if (!c->receiving && !c->sending) {
        close_conn(fd, c);
    }
}

/* The queue becomes what is sent; the frozen twin becomes the queue. */
static void send_queue(int fd, struct conn *c) {
    if (c->queued == 0) {
        c->sending = NULL;
        return;
    }
    char *frozen = c->queue;
    size_t frozen_capacity = c->queue_capacity;
    c->queue = c->spare;
    c->queue_capacity = c->spare_capacity;
    c->spare = frozen;
    c->spare_capacity = frozen_capacity;
    c->sending = frozen;
    c->unsent = c->queued;
    c->queued = 0;
    c->bid = -1;
    send_now(fd, c);
}

static void on_recv(int fd, int res, unsigned flags) {
    struct conn *c = conn_for(fd);
    if (res > 0) {
        int bid = flags >> IORING_CQE_BUFFER_SHIFT;
        const char *data = buffers + (size_t) bid * BUFFER_SIZE;
        if (c->ended) {
            give_back(bid);
        } else if (!c->sending) {
            c->sending = data;
            c->unsent = res;
            c->bid = bid;
            send_now(fd, c);
        } else {
            if (c->queued + res > c->queue_capacity) {
                size_t capacity = c->queue_capacity ? c->queue_capacity : 4096;
                while (capacity < c->queued + res) {
                    capacity *= 2;
                }
                if (!(c->queue = realloc(c->queue, capacity))) {
                    die("realloc");
                }
                c->queue_capacity = capacity;
            }
            memcpy(c->queue + c->queued, data, res);
            c->queued += res;
            give_back(bid);
        }
    }
    if (flags & IORING_CQE_F_MORE) {
        return;
    }
    if (res > 0 || res == -ENOBUFS) {
        arm_recv(fd); /* the kernel stopped the multishot (buffers ran dry): start it again */
    } else {
        c->receiving = 0; /* end of stream or an error */
        c->ended = 1;
        close_when_idle(fd, c);
    }
}

static void on_send(int fd, int res) {
    struct conn *c = conn_for(fd);
    if (res <= 0) {
        /* The peer is gone: drop what is queued; the shutdown ends the recv too. */
        c->ended = 1;
        res = c->unsent;
        sqe(IORING_OP_SHUTDOWN, fd, USER_DATA(OP_IGNORED, fd))->len = SHUT_RDWR;
    }
    c->sending += res;
    c->unsent -= res;
    if (c->unsent > 0) {
        send_now(fd, c);
        return;
    }
    if (c->bid >= 0) {
        give_back(c->bid);
        c->bid = -1;
    }
    if (c->ended) {
        c->queued = 0;
        c->sending = NULL;
        close_when_idle(fd, c);
        return;
    }
    send_queue(fd, c);
}

/* The harness's commands, read through the ring. */
static char line[256];
static size_t line_used;

static void arm_stdin(void) {
    struct io_uring_sqe *s = sqe(IORING_OP_READ, 0, USER_DATA(OP_STDIN, 0));
    s->addr = (unsigned long long) (line + line_used);
    s->len = sizeof line - 1 - line_used;
    s->off = (unsigned long long) -1; /* the current position: stdin may be a pipe */
}

/* Returns 0 when standard input has ended. */
static int on_stdin(int res) {
    if (res <= 0) {
        return 0;
    }
    line_used += res;
    char *end;
    while ((end = memchr(line, '\n', line_used)) != NULL) {
        *end = '\0';
        if (strcmp(line, "GC") == 0) {
            printf("GC done\n");
        } else {
            printf("ERROR unknown command %s\n", line);
        }
        fflush(stdout);
        line_used -= end + 1 - line;
        memmove(line, end + 1, line_used);
    }
    if (line_used == sizeof line - 1) {
        line_used = 0; /* a line longer than any command: forget it */
    }
    arm_stdin();
    return 1;
}

static void arm_accept(void) {
    struct io_uring_sqe *s = sqe(IORING_OP_ACCEPT, listener, USER_DATA(OP_ACCEPT, listener));
    s->ioprio = IORING_ACCEPT_MULTISHOT;
    s->accept_flags = SOCK_CLOEXEC;
}

static void unavailable(const char *why) {
    printf("UNAVAILABLE %s: %s\n", why, strerror(errno));
    fflush(stdout);
    exit(3);
}

static void *map(size_t length, off_t offset) {
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd, offset);
    if (p == MAP_FAILED) {
        die("mmap");
    }
    return p;
}

/* Sets the ring up with the best flags this kernel takes, and maps it. */
static void setup_ring(void) {
    static const unsigned tries[] = {
        IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
        IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN,
        0,
    };
    struct io_uring_params p;
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        memset(&p, 0, sizeof p);
        p.flags = tries[i] | IORING_SETUP_CQSIZE;
        p.cq_entries = CQ_ENTRIES;
        ring_fd = (int) syscall(__NR_io_uring_setup, SQ_ENTRIES, &p);
        if (ring_fd >= 0 || errno != EINVAL) {
            break;
        }
    }
    if (ring_fd < 0) {
        unavailable("io_uring_setup");
    }
    if (!(p.features & IORING_FEAT_SINGLE_MMAP) || !(p.features & IORING_FEAT_NODROP)) {
        errno = ENOTSUP;
        unavailable("io_uring without SINGLE_MMAP and NODROP (kernel before 5.5)");
    }
    setup_flags = p.flags & ~IORING_SETUP_CQSIZE;
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    char *rings = map(sq_size > cq_size ? sq_size : cq_size, IORING_OFF_SQ_RING);
    sqes = map(p.sq_entries * sizeof(struct io_uring_sqe), IORING_OFF_SQES);
    sq_head = (unsigned *) (rings + p.sq_off.head);
    sq_tail = (unsigned *) (rings + p.sq_off.tail);
    sq_mask = (unsigned *) (rings + p.sq_off.ring_mask);
    unsigned *sq_array = (unsigned *) (rings + p.sq_off.array);
    for (unsigned i = 0; i < p.sq_entries; i++) {
        sq_array[i] = i; /* slot i always names SQE i */
    }
    cq_head = (unsigned *) (rings + p.cq_off.head);
    cq_tail = (unsigned *) (rings + p.cq_off.tail);
    cq_mask = (unsigned *) (rings + p.cq_off.ring_mask);
    cqes = (struct io_uring_cqe *) (rings + p.cq_off.cqes);
    sqe_tail = *sq_tail;

    buf_ring = mmap(NULL, BUFFERS * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    buffers = malloc((size_t) BUFFERS * BUFFER_SIZE);
    if (buf_ring == MAP_FAILED || !buffers) {
        die("buffers");
    }
    struct io_uring_buf_reg reg = {.ring_addr = (unsigned long long) buf_ring,
        .ring_entries = BUFFERS, .bgid = GROUP};
    if (syscall(__NR_io_uring_register, ring_fd, IORING_REGISTER_PBUF_RING, &reg, 1) < 0) {
        unavailable("IORING_REGISTER_PBUF_RING (kernel before 5.19)");
    }
    for (int bid = 0; bid < BUFFERS; bid++) {
        give_back(bid);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: io_uring-echo PORT\n");
        return 2;
    }
    setup_ring();
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        die("bind/listen");
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *) &address, &length);
    arm_accept();
    arm_stdin();
    printf("READY %d c-io_uring one thread, setup flags 0x%x\n", ntohs(address.sin_port), setup_flags);
    fflush(stdout);

    for (;;) {
        submit_and_wait(1);
        unsigned head = *cq_head;
        unsigned tail = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
        for (; head != tail; head++) {
            struct io_uring_cqe *cqe = &cqes[head & *cq_mask];
            int op = (int) (cqe->user_data >> 32);
            int fd = (int) (cqe->user_data & 0xffffffff);
            int res = cqe->res;
            unsigned flags = cqe->flags;
            switch (op) {
            case OP_ACCEPT:
                if (res >= 0) {
                    setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *c = conn_for(res);
                    memset(c, 0, sizeof *c);
                    c->bid = -1;
                    c->receiving = 1;
                    arm_recv(res);
                }
                if (!(flags & IORING_CQE_F_MORE)) {
                    arm_accept();
                }
                break;
            case OP_RECV:
                on_recv(fd, res, flags);
                break;
            case OP_SEND:
                on_send(fd, res);
                break;
            case OP_STDIN:
                if (!on_stdin(res)) {
                    return 0;
                }
                break;
            default: /* OP_IGNORED: close and shutdown */
                break;
            }
        }
        /* Frees the slots; an overflowed CQ is refilled by the next enter (GETEVENTS). */
        __atomic_store_n(cq_head, head, __ATOMIC_RELEASE);
    }
}
