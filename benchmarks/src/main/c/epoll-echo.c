/*
 * The reference the benchmark harness compares jgnet with: a minimal, hand-written epoll echo
 * server in C, what "close to a hand-written C server" means in numbers. One thread,
 * level-triggered epoll, one read per ready socket into a 64 KiB buffer and one write of what was
 * read; only what the socket did not take is kept (per connection) and EPOLLOUT is armed while it
 * waits. No framework, no allocation per message: the floor a Java server can approach.
 *
 *   epoll-echo PORT        serve 127.0.0.1:PORT (0 = any free port); prints "READY <port> c-epoll"
 *
 * It follows the harness's server contract (BenchServers): standard input closed -> exit; a line
 * "GC" -> prints "GC done" (there is nothing to collect); any other line -> "ERROR unknown command".
 *
 * Build: gcc -O2 -o epoll-echo epoll-echo.c (the harness does this itself when gcc is present).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define READ_SIZE 65536
#define MAX_EVENTS 512

/* Bytes a socket did not take; NULL while nothing is pending (the usual case). */
struct pending {
    char *data;
    size_t length;
};

static struct pending *pending;
static int pending_capacity;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static struct pending *pending_for(int fd) {
    if (fd >= pending_capacity) {
        int capacity = pending_capacity ? pending_capacity : 1024;
        while (capacity <= fd) {
            capacity *= 2;
        }
        pending = realloc(pending, capacity * sizeof *pending);
        if (!pending) {
            die("realloc");
        }
        memset(pending + pending_capacity, 0, (capacity - pending_capacity) * sizeof *pending);
        pending_capacity = capacity;
    }
    return &pending[fd];
}

static void drop(int epoll, int fd) {
    struct pending *p = pending_for(fd);
    free(p->data);
    p->data = NULL;
    p->length = 0;
    epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
}

static void watch(int epoll, int fd, unsigned events, int op) {
    struct epoll_event event = {.events = events, .data.fd = fd};
    if (epoll_ctl(epoll, op, fd, &event) < 0) {
        die("epoll_ctl");
    }
}

/* Appends what write() did not take; arms EPOLLOUT when the socket first falls behind. */
static void keep(int epoll, int fd, const char *data, size_t length) {
    struct pending *p = pending_for(fd);
    char *grown = realloc(p->data, p->length + length);
    if (!grown) {
        die("realloc");
    }
    if (p->length == 0) {
        watch(epoll, fd, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
    }
    memcpy(grown + p->length, data, length);
    p->data = grown;
    p->length += length;
}

/* Returns 0 when the connection was dropped. */
static int on_writable(int epoll, int fd) {
    struct pending *p = pending_for(fd);
    ssize_t n = write(fd, p->data, p->length);
    if (n < 0) {
        if (errno != EAGAIN) {
            drop(epoll, fd);
            return 0;
        }
        return 1;
    }
    memmove(p->data, p->data + n, p->length - n);
    p->length -= n;
    if (p->length == 0) {
        free(p->data);
        p->data = NULL;
        watch(epoll, fd, EPOLLIN, EPOLL_CTL_MOD);
    }
    return 1;
}

static void on_readable(int epoll, int fd, char *buffer) {
    ssize_t n = read(fd, buffer, READ_SIZE);
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        drop(epoll, fd);
        return;
    }
    if (n < 0) {
        return;
    }
    struct pending *p = pending_for(fd);
    if (p->length > 0) { /* keep the order: behind what is already waiting */
        keep(epoll, fd, buffer, n);
        return;
    }
    ssize_t written = write(fd, buffer, n);
    if (written < 0) {
        if (errno != EAGAIN) {
            drop(epoll, fd);
            return;
        }
        written = 0;
    }
    if (written < n) {
        keep(epoll, fd, buffer + written, n - written);
    }
}

/* One command line from the harness; returns 0 when standard input has ended. */
static int on_stdin(void) {
    static char line[256];
    static size_t used;
    ssize_t n = read(0, line + used, sizeof line - 1 - used);
    if (n <= 0) {
        return 0;
    }
    used += n;
    char *end;
    while ((end = memchr(line, '\n', used)) != NULL) {
        *end = '\0';
        if (strcmp(line, "GC") == 0) {
            printf("GC done\n");
        } else {
            printf("ERROR unknown command %s\n", line);
        }
        fflush(stdout);
        used -= end + 1 - line;
        memmove(line, end + 1, used);
    }
    if (used == sizeof line - 1) {
        used = 0; /* a line longer than any command: forget it */
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: epoll-echo PORT\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        die("bind/listen");
    }
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *) &address, &length);

    int epoll = epoll_create1(EPOLL_CLOEXEC);
    watch(epoll, listener, EPOLLIN, EPOLL_CTL_ADD);
    watch(epoll, 0, EPOLLIN, EPOLL_CTL_ADD);
    printf("READY %d c-epoll level-triggered one thread\n", ntohs(address.sin_port));
    fflush(stdout);

    static char buffer[READ_SIZE];
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int ready = epoll_wait(epoll, events, MAX_EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    watch(epoll, client, EPOLLIN, EPOLL_CTL_ADD);
                }
            } else if (fd == 0) {
                if (!on_stdin()) {
                    return 0;
                }
            } else {
                if ((events[i].events & EPOLLOUT) && !on_writable(epoll, fd)) {
                    continue;
                }
                if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                    on_readable(epoll, fd, buffer);
                }
            }
        }
    }
}
