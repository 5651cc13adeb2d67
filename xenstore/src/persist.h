/*
 * The state file: the whole tree (values, permissions, children order),
 * the introduced domains, the quota settings and the permissions of the
 * special watch names, as JSON written with yajl_gen and read with
 * yajl_tree.  Socket clients' watches and transactions are not saved:
 * sockets do not survive a restart, so nobody could use them.
 *
 *   {
 *     "format": "splitvisor-xenstored-state",
 *     "version": 1,
 *     "comment": "...",
 *     "quotas": { "nodes": 1000, ... },
 *     "special": { "@introduceDomain": ["n0"], "@releaseDomain": ["n0"] },
 *     "domains": [ { "domid": 1, "mfn": "4242", "port": 3, "target": 2 } ],
 *     "nodes": [ { "path": "/", "perms": ["n0"], "value": "" }, ... ]
 *   }
 *
 * Values are binary-safe: a value that is valid UTF-8 without nul bytes is
 * written as "value" (a JSON string); any other value is written as
 * "value_base64" (standard base64).  Nodes come parent first, children in
 * their DIRECTORY order, so loading rebuilds every children list exactly.
 *
 * Loading parses and checks everything into a separate image first; a
 * corrupt or foreign file is refused with a message naming the file and
 * the problem, and the running state is untouched.
 */
#ifndef XS_PERSIST_H
#define XS_PERSIST_H

#include <stddef.h>

#include "store.h"

#define PERSIST_FORMAT  "splitvisor-xenstored-state"
#define PERSIST_VERSION 1

struct xs_image {
    struct xs_tree tree;
    struct xs_quota quota;
    struct xs_domain *domains;
    size_t ndomains;
    struct xs_permissions *special_perms[2];
    unsigned special_nperms[2];
};

/* Writes the state atomically (temp file in the same directory, fsync,
 * rename, fsync of the directory).  0 or errno, with a message. */
int persist_save(const struct xs_store *st, const char *path, char *err, size_t errlen);

/* Reads a state file into img.  0, or nonzero with a message in err
 * (ENOENT when the file does not exist). */
int persist_load(const char *path, struct xs_image *img, char *err, size_t errlen);
void persist_image_free(struct xs_image *img);

/* Moves the image into a store that has no domains yet (start-up). */
void persist_apply(struct xs_store *st, struct xs_image *img);

/* The JSON text itself, for tests and the fuzzer: buf is nul-terminated. */
int persist_parse(const char *text, const char *name, struct xs_image *img,
                  char *err, size_t errlen);

#endif
