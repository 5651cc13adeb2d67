/*
 * The node tree: absolute path -> node (value bytes, permissions, names of
 * children, generation).  Like Xen's database, every node is one record
 * keyed by its full path and lists its children by name (in creation
 * order, nul-separated, exactly as DIRECTORY sends them), so a transaction
 * can shadow single records and commit them back one by one.
 *
 * The tree also counts nodes per owner (perms[0].id) for the node quota.
 */
#ifndef XS_TREE_H
#define XS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xenstore_lib.h>

#include "hmap.h"

struct xs_node {
    char *path;
    uint8_t *value;
    uint32_t vlen;
    struct xs_permissions *perms;   /* nperms >= 1 once stored */
    uint32_t nperms;
    char *children;                 /* "a\0b\0..." */
    uint32_t childlen;
    uint64_t gen;                   /* changes on every write of this record */
};

struct xs_node *node_new(const char *path);
struct xs_node *node_dup(const struct xs_node *n);
void node_free(struct xs_node *n);
int node_set_value(struct xs_node *n, const void *v, size_t len);
int node_set_perms(struct xs_node *n, const struct xs_permissions *p, unsigned count);
int node_add_child(struct xs_node *n, const char *name);
/* Returns false if the name was not a child. */
bool node_remove_child(struct xs_node *n, const char *name);
bool node_has_child(const struct xs_node *n, const char *name);
static inline unsigned node_owner(const struct xs_node *n)
{
    return n->nperms ? n->perms[0].id : 0;
}

struct xs_owner_count {
    unsigned domid;
    unsigned count;
};

struct xs_tree {
    struct hmap nodes;
    struct xs_owner_count *owners;
    size_t nowners, owners_cap;
    uint64_t gen;                   /* last generation handed out */
};

/* An empty tree holding only "/" (owner dom0, no access for others). */
int tree_init(struct xs_tree *t);
/* Xen's initial layout: "/", "/tool", "/tool/xenstored". */
int tree_init_default(struct xs_tree *t);
void tree_destroy(struct xs_tree *t);

const struct xs_node *tree_get(const struct xs_tree *t, const char *path);
/*
 * Stores n (replacing and freeing a record of the same path) and gives it
 * a new generation.  Takes ownership on success only.
 */
int tree_put(struct xs_tree *t, struct xs_node *n);
/* Like tree_put but keeps n->gen (restoring a saved tree). */
int tree_put_keep_gen(struct xs_tree *t, struct xs_node *n);
/* Deletes one record (not its children). */
void tree_del(struct xs_tree *t, const char *path);
uint64_t tree_next_gen(struct xs_tree *t);
unsigned tree_owner_count(const struct xs_tree *t, unsigned domid);
size_t tree_size(const struct xs_tree *t);

/*
 * Consistency check (CONTROL check): every child listed exists, every
 * node but "/" is listed by its parent, owner counts add up.  Returns the
 * number of problems and describes the first in msg.
 */
unsigned tree_check(const struct xs_tree *t, char *msg, size_t msglen);

#endif
