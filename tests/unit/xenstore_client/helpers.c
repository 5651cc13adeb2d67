/*
 * See helpers.h.  Tools run in the test's own process through xst_main(),
 * with stdout and stderr replaced by memory streams.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers.h"
#include "xenstore_cli.h"

void pair_start(struct pair *p)
{
    int sv[2];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    p->f = fake_xsd_new();
    ck_assert_int_eq(fake_xsd_start_fd(p->f, sv[1]), 0);
    p->h = svxs_open_fd(sv[0]);
    ck_assert_ptr_nonnull(p->h);
    /* A broken test must fail, not hang the suite. */
    svxs_set_reply_timeout(p->h, 5000);
}

void pair_stop(struct pair *p)
{
    svxs_close(p->h);
    fake_xsd_free(p->f);
}

void served_start(struct served *s)
{
    strcpy(s->dir, "/tmp/svxs-test.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(s->dir));
    snprintf(s->path, sizeof(s->path), "%s/socket", s->dir);
    s->f = fake_xsd_new();
    ck_assert_int_eq(fake_xsd_start_socket(s->f, s->path), 0);
    setenv("XENSTORED_PATH", s->path, 1);
}

void served_stop(struct served *s)
{
    fake_xsd_free(s->f);
    rmdir(s->dir);
    unsetenv("XENSTORED_PATH");
}

void seed_tree(struct fake_xsd *f)
{
    fake_xsd_write(f, "/local/domain/0/name", "Domain-0");
    fake_xsd_write(f, "/local/domain/0/memory/target", "524288");
    fake_xsd_write(f, "/local/domain/1/name",
                   "a very long value that goes on and on and on and on and "
                   "on and on and on and on and on");
    fake_xsd_write(f, "/local/domain/1/device/vif/0/state", "4");
    fake_xsd_write(f, "/local/domain/1/device/vif/0/mac", "00:16:3e:00:00:01");
    fake_xsd_write_bin(f, "/tool/bin", "x\001\x7f\xff\t\n\r\\y", 9);
    fake_xsd_write(f, "/tool/empty", "");
    fake_xsd_set_perms(f, "/local/domain/1", "b1 r0");
    fake_xsd_set_perms(f, "/local/domain/1/device", "n1 r0 w2");
    fake_xsd_set_perms(f, "/local/domain/1/device/vif", "n1 r0 w2");
    fake_xsd_set_perms(f, "/local/domain/1/device/vif/0", "n1 r0 w2");
    fake_xsd_set_perms(f, "/local/domain/1/device/vif/0/state", "n1 r0 w2");
    fake_xsd_set_perms(f, "/local/domain/1/device/vif/0/mac", "n1 r0 w2");
}

struct run run_tool(int columns, const char *const *argv)
{
    struct run r = { 0 };
    size_t err_len;
    char *args[32];
    FILE *out, *err;
    int argc = 0;

    while (argv[argc] != NULL) {
        ck_assert_int_lt(argc, 31);
        args[argc] = (char *)argv[argc];    /* xst_main only reorders */
        argc++;
    }
    args[argc] = NULL;
    out = open_memstream(&r.out, &r.out_len);
    err = open_memstream(&r.err, &err_len);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(err);
    {
        const struct xst_env env = { .out = out, .err = err,
                                     .columns = columns < 0 ? -1 : columns };
        r.rc = xst_main(argc, args, &env);
    }
    fclose(out);
    fclose(err);
    return r;
}

void run_free(struct run *r)
{
    free(r->out);
    free(r->err);
}
