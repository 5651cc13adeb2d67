/*
 * Xenstore path rules (docs/misc/xenstore.txt): absolute paths start with
 * '/', use only [A-Za-z0-9-/_@], have no "//" and no trailing '/' (except
 * "/" itself) and are at most XENSTORE_ABS_PATH_MAX bytes.  A relative path
 * (at most XENSTORE_REL_PATH_MAX bytes) is taken under the caller's home,
 * /local/domain/<domid>.  Paths starting with '@' name special watches.
 */
#ifndef XS_PATH_H
#define XS_PATH_H

#include <stdbool.h>
#include <stddef.h>

#define XS_SPECIAL_INTRODUCE "@introduceDomain"
#define XS_SPECIAL_RELEASE   "@releaseDomain"

bool path_valid_chars(const char *p);
/* A valid absolute node path. */
bool path_is_valid_abs(const char *p);
/* One of the two special event names that carry permissions. */
bool path_is_special_node(const char *p);

/* What a path argument may name. */
enum path_kind {
    PATH_NODE,      /* a node only */
    PATH_PERMS,     /* a node or one of the two special names (GET/SET_PERMS) */
    PATH_WATCH,     /* a node or any "@..." name: the protocol lets special
                     * watch names have any syntax; only the two above fire */
};

/*
 * Turns a client-supplied path into the absolute one.  On success *out is
 * malloc'd and *rel_prefix is the number of leading bytes a relative path
 * gained (so events can be reported relative again).  Returns 0, EINVAL or
 * ENOMEM.
 */
int path_canonicalize(const char *in, unsigned domid, enum path_kind kind,
                      char **out, size_t *rel_prefix);

/* The home of a domain: "/local/domain/<domid>".  buf >= 32 bytes. */
void path_domain_home(unsigned domid, char *buf, size_t len);

/* Is child equal to parent or below it?  Everything is below "/". */
bool path_is_child(const char *child, const char *parent);

/* Parent of an absolute path other than "/", malloc'd; NULL on ENOMEM. */
char *path_parent(const char *p);
/* Last component of an absolute path other than "/". */
const char *path_basename(const char *p);
/* parent + "/" + name, malloc'd. */
char *path_join(const char *parent, const char *name);

#endif
