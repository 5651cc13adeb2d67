/*
 * End to end: start the real daemon (built with ASan) on a temporary
 * socket and speak xs_wire to it over real sockets.
 */
#define _DEFAULT_SOURCE   /* kill, usleep */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"
#include "wire.h"

#ifndef XENSTORED_BIN
#error "XENSTORED_BIN must name the daemon to test"
#endif

struct daemon {
    pid_t pid;
    char *dir;
    char sock[200];
    char state[200];
    char log[200];
};

static int try_connect(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Starts the daemon; extra arguments are NULL-ended.  Returns after it
 * accepts connections, or fails the test. */
static void start(struct daemon *d, const char *state_opt, ...)
{
    if (!d->dir) {
        d->dir = th_tmpdir();
        snprintf(d->sock, sizeof(d->sock), "%s/run/socket", d->dir);
        snprintf(d->state, sizeof(d->state), "%s/state.json", d->dir);
        snprintf(d->log, sizeof(d->log), "%s/xenstored.log", d->dir);
    }
    const char *argv[16] = { "xenstored", "--socket", d->sock, "--no-domains",
                             "--log", d->log };
    int n = 6;
    if (state_opt) {
        argv[n++] = state_opt;
        argv[n++] = d->state;
    }
    va_list ap;
    va_start(ap, state_opt);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 15)
        argv[n++] = a;
    va_end(ap);
    argv[n] = NULL;

    d->pid = fork();
    ck_assert_int_ge(d->pid, 0);
    if (d->pid == 0) {
        execv(XENSTORED_BIN, (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        int fd = try_connect(d->sock);
        if (fd >= 0) {
            close(fd);
            return;
        }
        int status;
        if (waitpid(d->pid, &status, WNOHANG) == d->pid)
            ck_abort_msg("xenstored exited at start-up (status %d); see %s", status, d->log);
        usleep(10000);
    }
    ck_abort_msg("xenstored did not start listening on %s", d->sock);
}

/* SIGTERM; returns the exit status (ASan makes leaks a failure). */
static int stop(struct daemon *d)
{
    kill(d->pid, SIGTERM);
    int status = -1;
    for (int i = 0; i < 1000; i++) {
        if (waitpid(d->pid, &status, WNOHANG) == d->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        usleep(10000);
    }
    kill(d->pid, SIGKILL);
    waitpid(d->pid, &status, 0);
    ck_abort_msg("xenstored did not exit on SIGTERM");
    return -1;
}

static void cleanup(struct daemon *d)
{
    th_rmtree(d->dir);
    free(d->dir);
}

static void send_all(int fd, const void *p, size_t len)
{
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        ck_assert_int_gt(n, 0);
        p = (const char *)p + n;
        len -= (size_t)n;
    }
}

static void send_msg(int fd, uint32_t type, uint32_t req, uint32_t tx, const void *payload,
                     size_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req, .tx_id = tx, .len = (uint32_t)len };
    send_all(fd, &h, sizeof(h));
    if (len)
        send_all(fd, payload, len);
}

/* Reads exactly len bytes within 5 s; false on EOF. */
static bool recv_all(int fd, void *p, size_t len)
{
    while (len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
        ssize_t n = read(fd, p, len);
        if (n <= 0)
            return false;
        p = (char *)p + n;
        len -= (size_t)n;
    }
    return true;
}

/* The next message: its header, payload in buf (nul-terminated). */
static struct xsd_sockmsg recv_msg(int fd, char *buf)
{
    struct xsd_sockmsg h;
    ck_assert(recv_all(fd, &h, sizeof(h)));
    ck_assert_uint_le(h.len, XENSTORE_PAYLOAD_MAX);
    ck_assert(recv_all(fd, buf, h.len));
    buf[h.len] = '\0';
    return h;
}

static void expect_reply(int fd, uint32_t type, uint32_t req, const char *body, size_t len)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h = recv_msg(fd, buf);
    ck_assert_uint_eq(h.req_id, req);
    ck_assert_msg(h.type == type, "type %u, wanted %u (%s)", h.type, type, buf);
    ck_assert_uint_eq(h.len, len);
    ck_assert_int_eq(memcmp(buf, body, len), 0);
}

#define REQ(fd, type, req, lit) send_msg(fd, type, req, 0, lit, sizeof(lit) - 1)
#define EXPECT(fd, type, req, lit) expect_reply(fd, type, req, lit, sizeof(lit) - 1)

START_TEST(basic_requests_over_the_socket)
{
    struct daemon d = { 0 };
    start(&d, NULL, NULL);
    int a = try_connect(d.sock), w = try_connect(d.sock);
    ck_assert_int_ge(a, 0);
    ck_assert_int_ge(w, 0);
    REQ(w, XS_WATCH, 1, "/e2e\0tok\0");
    EXPECT(w, XS_WATCH, 1, "OK\0");
    EXPECT(w, XS_WATCH_EVENT, 0, "/e2e\0tok\0");
    REQ(a, XS_WRITE, 7, "/e2e/x\0value");
    EXPECT(a, XS_WRITE, 7, "OK\0");
    EXPECT(w, XS_WATCH_EVENT, 0, "/e2e/x\0tok\0");
    REQ(a, XS_READ, 8, "/e2e/x\0");
    EXPECT(a, XS_READ, 8, "value");
    REQ(a, XS_DIRECTORY, 9, "/e2e\0");
    EXPECT(a, XS_DIRECTORY, 9, "x\0");
    REQ(a, XS_READ, 10, "/e2e/none\0");
    EXPECT(a, XS_ERROR, 10, "ENOENT\0");
    /* A transaction round trip. */
    REQ(a, XS_TRANSACTION_START, 11, "\0");
    char buf[64];
    struct xsd_sockmsg h = recv_msg(a, buf);
    ck_assert_uint_eq(h.type, XS_TRANSACTION_START);
    uint32_t tx = (uint32_t)strtoul(buf, NULL, 10);
    send_msg(a, XS_WRITE, 12, tx, "/e2e/y\0in-tx", 12);
    h = recv_msg(a, buf);
    ck_assert_uint_eq(h.tx_id, tx);
    send_msg(a, XS_TRANSACTION_END, 13, tx, "T", 2);
    h = recv_msg(a, buf);
    ck_assert_uint_eq(h.type, XS_TRANSACTION_END);
    EXPECT(w, XS_WATCH_EVENT, 0, "/e2e/y\0tok\0");
    close(a);
    close(w);
    ck_assert_int_eq(stop(&d), 0);
    cleanup(&d);
}
END_TEST

START_TEST(garbage_client_is_dropped_others_go_on)
{
    struct daemon d = { 0 };
    start(&d, NULL, NULL);
    int good = try_connect(d.sock);
    int bad = try_connect(d.sock);
    REQ(good, XS_WRITE, 1, "/g\0before");
    EXPECT(good, XS_WRITE, 1, "OK\0");

    /* Unknown types and junk payloads get error replies... */
    send_msg(bad, 0xabcdef, 5, 0, "\xff\xfe", 2);
    EXPECT(bad, XS_ERROR, 5, "ENOSYS\0");
    send_msg(bad, XS_READ, 6, 0, "\x01\x02\x03", 3);
    EXPECT(bad, XS_ERROR, 6, "EINVAL\0");
    /* ...then random bytes announcing a giant payload close it. */
    unsigned seed = 12345;
    uint8_t junk[256];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(rand_r(&seed) >> 7);
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 7, .len = 0x7fffffff };
    send_all(bad, &h, sizeof(h));
    send(bad, junk, sizeof(junk), MSG_NOSIGNAL);
    char buf[64];
    ck_assert(!recv_all(bad, buf, 1));   /* EOF: the daemon hung up */
    close(bad);

    /* A client that vanishes mid-message. */
    int half = try_connect(d.sock);
    send_all(half, &h, 8);
    close(half);

    REQ(good, XS_READ, 2, "/g\0");
    EXPECT(good, XS_READ, 2, "before");
    int late = try_connect(d.sock);
    REQ(late, XS_READ, 3, "/g\0");
    EXPECT(late, XS_READ, 3, "before");
    close(late);
    close(good);
    ck_assert_int_eq(stop(&d), 0);
    cleanup(&d);
}
END_TEST

START_TEST(client_that_never_reads_is_closed)
{
    struct daemon d = { 0 };
    start(&d, NULL, NULL);
    int ctl = try_connect(d.sock);
    REQ(ctl, XS_CONTROL, 1, "quota\0set\0output-bytes\0" "65536\0");
    EXPECT(ctl, XS_CONTROL, 1, "OK\0");
    int lazy = try_connect(d.sock);
    /* A fat token makes every event about 2 KiB. */
    char req[2200];
    memcpy(req, "/flood\0", 7);
    memset(req + 7, 't', 2000);
    req[2007] = '\0';
    send_msg(lazy, XS_WATCH, 1, 0, req, 2008);
    int i;
    for (i = 0; i < 4000; i++) {
        send_msg(ctl, XS_WRITE, 100 + (uint32_t)i, 0, "/flood\0x", 8);
        EXPECT(ctl, XS_WRITE, 100 + (uint32_t)i, "OK\0");
    }
    /* The writer never waited on the lazy client; the lazy one was
     * dropped: after what the kernel buffered, EOF. */
    bool eof = false;
    for (int k = 0; k < 100000 && !eof; k++) {
        char buf[4096];
        struct pollfd pfd = { .fd = lazy, .events = POLLIN };
        ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
        eof = read(lazy, buf, sizeof(buf)) <= 0;
    }
    ck_assert(eof);
    close(lazy);
    REQ(ctl, XS_READ, 2, "/flood\0");
    EXPECT(ctl, XS_READ, 2, "x");
    close(ctl);
    ck_assert_int_eq(stop(&d), 0);
    char *log = NULL;
    FILE *f = fopen(d.log, "r");
    ck_assert_ptr_nonnull(f);
    size_t cap = 0;
    bool seen = false;
    while (getline(&log, &cap, f) > 0)
        seen |= strstr(log, "output queue over its bound") != NULL;
    free(log);
    fclose(f);
    ck_assert(seen);
    cleanup(&d);
}
END_TEST

START_TEST(state_survives_a_restart)
{
    struct daemon d = { 0 };
    start(&d, "--state", "--save-interval", "0", NULL);
    int a = try_connect(d.sock);
    REQ(a, XS_WRITE, 1, "/keep/me\0bin\0ary");
    EXPECT(a, XS_WRITE, 1, "OK\0");
    REQ(a, XS_SET_PERMS, 2, "/keep/me\0n0\0r5\0");
    EXPECT(a, XS_SET_PERMS, 2, "OK\0");
    REQ(a, XS_CONTROL, 3, "quota\0set\0nodes\0" "42\0");
    EXPECT(a, XS_CONTROL, 3, "OK\0");
    close(a);
    ck_assert_int_eq(stop(&d), 0);   /* saves on SIGTERM */
    ck_assert_int_eq(access(d.state, R_OK), 0);

    start(&d, "--state", NULL);
    a = try_connect(d.sock);
    REQ(a, XS_READ, 1, "/keep/me\0");
    EXPECT(a, XS_READ, 1, "bin\0ary");
    REQ(a, XS_GET_PERMS, 2, "/keep/me\0");
    EXPECT(a, XS_GET_PERMS, 2, "n0\0r5\0");
    REQ(a, XS_CONTROL, 3, "save\0");
    EXPECT(a, XS_CONTROL, 3, "OK\0");
    close(a);
    ck_assert_int_eq(stop(&d), 0);

    /* A corrupt state file: the daemon refuses to start, and says why. */
    FILE *f = fopen(d.state, "w");
    fputs("{\"format\": \"splitvisor-xenstored-state\", \"version\": 1, \"nodes\": [", f);
    fclose(f);
    d.pid = fork();
    if (d.pid == 0) {
        execl(XENSTORED_BIN, "xenstored", "--socket", d.sock, "--state", d.state,
              "--no-domains", "--log", d.log, (char *)NULL);
        _exit(127);
    }
    int status;
    ck_assert_int_eq(waitpid(d.pid, &status, 0), d.pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 1);
    char *line = NULL;
    size_t cap = 0;
    bool named = false;
    f = fopen(d.log, "r");
    while (getline(&line, &cap, f) > 0)
        named |= strstr(line, "refusing to start") && strstr(line, d.state);
    free(line);
    fclose(f);
    ck_assert(named);
    cleanup(&d);
}
END_TEST

START_TEST(second_daemon_on_a_live_socket_refuses)
{
    struct daemon d = { 0 };
    start(&d, NULL, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execl(XENSTORED_BIN, "xenstored", "--socket", d.sock, "--no-domains",
              "--log", "/dev/null", (char *)NULL);
        _exit(127);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(WEXITSTATUS(status), 1);
    /* The first one still serves. */
    int a = try_connect(d.sock);
    REQ(a, XS_GET_DOMAIN_PATH, 1, "3\0");
    EXPECT(a, XS_GET_DOMAIN_PATH, 1, "/local/domain/3\0");
    close(a);
    ck_assert_int_eq(stop(&d), 0);
    /* Its socket is gone; a stale file would be replaced anyway. */
    ck_assert_int_ne(access(d.sock, F_OK), 0);
    cleanup(&d);
}
END_TEST

Suite *xs_e2e_suite(void)
{
    Suite *s = suite_create("xenstore-e2e");
    TCase *tc = tcase_create("e2e");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, basic_requests_over_the_socket);
    tcase_add_test(tc, garbage_client_is_dropped_others_go_on);
    tcase_add_test(tc, client_that_never_reads_is_closed);
    tcase_add_test(tc, state_survives_a_restart);
    tcase_add_test(tc, second_daemon_on_a_live_socket_refuses);
    suite_add_tcase(s, tc);
    return s;
}
