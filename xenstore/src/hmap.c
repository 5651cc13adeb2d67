/* See hmap.h.  Chained buckets, doubled when the load passes 1. */
#include "hmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void hmap_init(struct hmap *m)
{
    m->buckets = NULL;
    m->nbuckets = 0;
    m->count = 0;
}

void hmap_destroy(struct hmap *m)
{
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct hmap_entry *e = m->buckets[i];
        while (e) {
            struct hmap_entry *n = e->next;
            free(e);
            e = n;
        }
    }
    free(m->buckets);
    hmap_init(m);
}

static struct hmap_entry **find(const struct hmap *m, const char *key, uint32_t h)
{
    if (!m->nbuckets)
        return NULL;
    struct hmap_entry **pp = &m->buckets[h & (m->nbuckets - 1)];
    for (; *pp; pp = &(*pp)->next)
        if ((*pp)->hash == h && strcmp((*pp)->key, key) == 0)
            return pp;
    return pp;
}

void *hmap_get(const struct hmap *m, const char *key)
{
    struct hmap_entry **pp = find(m, key, xs_hash_str(key));
    return (pp && *pp) ? (*pp)->value : NULL;
}

static int grow(struct hmap *m)
{
    size_t n = m->nbuckets ? m->nbuckets * 2 : 16;
    struct hmap_entry **b = calloc(n, sizeof(*b));
    if (!b)
        return ENOMEM;
    for (size_t i = 0; i < m->nbuckets; i++) {
        struct hmap_entry *e = m->buckets[i];
        while (e) {
            struct hmap_entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(m->buckets);
    m->buckets = b;
    m->nbuckets = n;
    return 0;
}

int hmap_put(struct hmap *m, const char *key, void *value, void **old)
{
    uint32_t h = xs_hash_str(key);
    if (old)
        *old = NULL;
    struct hmap_entry **pp = find(m, key, h);
    if (pp && *pp) {
        if (old)
            *old = (*pp)->value;
        (*pp)->key = key;
        (*pp)->value = value;
        return 0;
    }
    if (m->count + 1 > m->nbuckets) {
        if (grow(m))
            return ENOMEM;
        pp = find(m, key, h);
    }
    struct hmap_entry *e = malloc(sizeof(*e));
    if (!e)
        return ENOMEM;
    e->key = key;
    e->value = value;
    e->hash = h;
    e->next = NULL;
    *pp = e;
    m->count++;
    return 0;
}

void *hmap_remove(struct hmap *m, const char *key)
{
    struct hmap_entry **pp = find(m, key, xs_hash_str(key));
    if (!pp || !*pp)
        return NULL;
    struct hmap_entry *e = *pp;
    void *v = e->value;
    *pp = e->next;
    free(e);
    m->count--;
    return v;
}

struct hmap_entry *hmap_first(const struct hmap *m)
{
    for (size_t i = 0; i < m->nbuckets; i++)
        if (m->buckets[i])
            return m->buckets[i];
    return NULL;
}

struct hmap_entry *hmap_next(const struct hmap *m, const struct hmap_entry *e)
{
    if (e->next)
        return e->next;
    for (size_t i = (e->hash & (m->nbuckets - 1)) + 1; i < m->nbuckets; i++)
        if (m->buckets[i])
            return m->buckets[i];
    return NULL;
}
