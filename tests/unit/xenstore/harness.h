/*
 * Helpers for driving the xenstore core in tests: send a request as a
 * client, take its reply off the client's queue, and the usual operations
 * with their outcome as an errno (0 = success).
 */
#ifndef XS_TEST_HARNESS_H
#define XS_TEST_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "message.h"

/* A fresh store with logging silenced. */
void th_store(struct xs_store *st);

/* Sends a request; returns the first reply (not watch event) queued for
 * it, which the caller frees, or NULL if none came. */
struct xs_msg *th_raw(struct xs_client *c, uint32_t type, uint32_t tx,
                      const void *data, size_t len);
/* Payload from nul-terminated strings (each sent with its nul), NULL-ended. */
struct xs_msg *th_req(struct xs_client *c, uint32_t type, uint32_t tx, ...);
/* errno of an XS_ERROR reply, 0 for any other reply, -1 for none. Frees m. */
int th_errno(struct xs_msg *m);
int th_errno_of_name(const char *name);

int th_write(struct xs_client *c, uint32_t tx, const char *path, const char *value);
int th_mkdir(struct xs_client *c, uint32_t tx, const char *path);
int th_rm(struct xs_client *c, uint32_t tx, const char *path);
/* Value as a malloc'd string, or NULL with *err set. */
char *th_read(struct xs_client *c, uint32_t tx, const char *path, int *err);
/* Children joined with ',' ("" when none), or NULL with *err set. */
char *th_dir(struct xs_client *c, uint32_t tx, const char *path, int *err);
/* Permissions joined with ',' ("r5,n0"), or NULL with *err set. */
char *th_getperms(struct xs_client *c, uint32_t tx, const char *path, int *err);
/* perms: NULL-ended list of "r5" style strings. */
int th_setperms(struct xs_client *c, uint32_t tx, const char *path, ...);
int th_watch(struct xs_client *c, const char *path, const char *token);
int th_unwatch(struct xs_client *c, const char *path, const char *token);
/* 0 on error (then *err set). */
uint32_t th_txn_start(struct xs_client *c, int *err);
int th_txn_end(struct xs_client *c, uint32_t tx, bool commit);

/* The oldest queued watch event as "path|token" (malloc'd), or NULL. */
char *th_event(struct xs_client *c);
unsigned th_nevents(const struct xs_client *c);
/* Drops all queued output. */
void th_drain(struct xs_client *c);

/* mkdtemp under /tmp; returns a malloc'd path. */
char *th_tmpdir(void);
/* rm -rf of a test directory. */
void th_rmtree(const char *dir);

#endif

/* ---- an in-memory transport --------------------------------------------- */

#include "transport.h"
#include "util.h"

struct th_mem {
    struct xs_transport base;
    struct xs_buf in;        /* what the peer sent */
    size_t in_off;
    size_t chunk;            /* max bytes per read (partial reads), 0 = all */
    struct xs_buf out;       /* what we wrote */
    bool write_blocked;      /* writes take nothing */
    bool eof;                /* peer closed after in */
    bool *closed;            /* set when closed (may be NULL) */
};

struct th_mem *th_mem_new(void);
void th_mem_feed(struct th_mem *m, const void *data, size_t len);
/* Appends a whole request message. */
void th_mem_feed_msg(struct th_mem *m, uint32_t type, uint32_t req_id, uint32_t tx,
                     const void *payload, size_t len);
