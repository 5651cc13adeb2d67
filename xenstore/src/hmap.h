/*
 * String-keyed hash map.  The map does not copy keys: each value owns the
 * string its key points to (a node's path, a transaction entry's path), so
 * the key lives exactly as long as the entry.
 */
#ifndef XS_HMAP_H
#define XS_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
    const char *key;
    void *value;
    uint32_t hash;
    struct hmap_entry *next;
};

struct hmap {
    struct hmap_entry **buckets;
    size_t nbuckets;
    size_t count;
};

void hmap_init(struct hmap *m);
/* Frees the map's own memory; values are the caller's. */
void hmap_destroy(struct hmap *m);
void *hmap_get(const struct hmap *m, const char *key);
/* Inserts or replaces; returns ENOMEM or 0.  *old gets a replaced value. */
int hmap_put(struct hmap *m, const char *key, void *value, void **old);
/* Removes and returns the value, or NULL. */
void *hmap_remove(struct hmap *m, const char *key);

/* Iteration: for (it = hmap_first(m); it; it = hmap_next(m, it)). Do not
 * modify the map while iterating. */
struct hmap_entry *hmap_first(const struct hmap *m);
struct hmap_entry *hmap_next(const struct hmap *m, const struct hmap_entry *e);

#endif
