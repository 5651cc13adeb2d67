/*
 * The p2m (see sv/p2m.h).  Plain C over callbacks, so the host tests run it
 * against a fake machine memory.
 */
#include <sv/errno.h>
#include <sv/p2m.h>
#include <sv/string.h>

#define P2M_LEVELS      4
#define ENTRIES         512
#define E_PRESENT       (1ull << 0)
#define E_WRITE         (1ull << 1)
#define E_USER          (1ull << 2)
#define E_ADDR_MASK     0x000ffffffffff000ull
#define E_TYPE_SHIFT    52
#define E_TYPE_MASK     (0xfull << E_TYPE_SHIFT)
#define MAX_MFN         (E_ADDR_MASK >> PAGE_SHIFT)

/*
 * Nested page walks are user-mode accesses (APM vol. 2, 15.25.5), so every
 * level carries U; intermediate levels are always writable and the leaf
 * decides.
 */
#define TABLE_FLAGS (E_PRESENT | E_WRITE | E_USER)

static uint64_t leaf_flags(enum p2m_type type)
{
    switch (type) {
    case P2M_RAM_RW:
    case P2M_MMIO:
    case P2M_SHARED_INFO:
    case P2M_GRANT_MAP_RW:
    case P2M_FOREIGN:
        return E_PRESENT | E_WRITE | E_USER;
    case P2M_RAM_RO:
    case P2M_GRANT_MAP_RO:
    case P2M_MMIO_WP:
        return E_PRESENT | E_USER;
    default:
        return 0;
    }
}

const char *p2m_type_name(enum p2m_type type)
{
    static const char *const names[P2M_NR_TYPES] = {
        "invalid", "ram_rw", "ram_ro", "mmio", "shared_info", "grant_rw", "grant_ro", "foreign",
        "mmio_wp",
    };

    return (unsigned int)type < P2M_NR_TYPES ? names[type] : "bad-type";
}

static unsigned int index_at(gfn_t gfn, unsigned int level)
{
    return (gfn >> (9 * (level - 1))) & (ENTRIES - 1);
}

int p2m_init(struct p2m *p2m, const struct p2m_ops *ops, void *ctx)
{
    memset(p2m, 0, sizeof(*p2m));
    spin_lock_init(&p2m->lock);
    p2m->ops = ops;
    p2m->ctx = ctx;
    if (!ops->alloc_table(ctx, &p2m->root))
        return -ENOMEM;
    p2m->tables = 1;
    return 0;
}

/* The leaf entry for gfn, creating the tables on the way when 'create'. */
static uint64_t *leaf_entry(struct p2m *p2m, gfn_t gfn, bool create)
{
    uint64_t *table = p2m->ops->table_at(p2m->ctx, p2m->root);

    for (unsigned int level = P2M_LEVELS; level > 1; level--) {
        uint64_t *e = &table[index_at(gfn, level)];

        if (!(*e & E_PRESENT)) {
            mfn_t mfn;

            if (!create || !p2m->ops->alloc_table(p2m->ctx, &mfn))
                return NULL;
            p2m->tables++;
            __atomic_store_n(e, (mfn << PAGE_SHIFT) | TABLE_FLAGS, __ATOMIC_RELEASE);
        }
        table = p2m->ops->table_at(p2m->ctx, (*e & E_ADDR_MASK) >> PAGE_SHIFT);
    }
    return &table[index_at(gfn, 1)];
}

static void decode(uint64_t e, mfn_t *mfn, enum p2m_type *type)
{
    if (!(e & E_PRESENT)) {
        *mfn = INVALID_MFN;
        *type = P2M_INVALID;
        return;
    }
    *mfn = (e & E_ADDR_MASK) >> PAGE_SHIFT;
    *type = (enum p2m_type)((e & E_TYPE_MASK) >> E_TYPE_SHIFT);
}

int p2m_set_entry(struct p2m *p2m, gfn_t gfn, mfn_t mfn, enum p2m_type type)
{
    uint64_t *e, new_entry = 0;
    mfn_t old_mfn;
    enum p2m_type old_type;

    if (gfn > P2M_MAX_GFN || (unsigned int)type >= P2M_NR_TYPES)
        return -EINVAL;
    if (type != P2M_INVALID) {
        if (mfn > MAX_MFN)
            return -EINVAL;
        new_entry = (mfn << PAGE_SHIFT) | leaf_flags(type) | ((uint64_t)type << E_TYPE_SHIFT);
    }

    spin_lock(&p2m->lock);
    e = leaf_entry(p2m, gfn, type != P2M_INVALID);
    if (!e) {
        spin_unlock(&p2m->lock);
        return type == P2M_INVALID ? 0 : -ENOMEM;   /* unmapping the unmapped is fine */
    }
    decode(*e, &old_mfn, &old_type);
    if (*e == new_entry) {
        spin_unlock(&p2m->lock);
        return 0;
    }
    __atomic_store_n(e, new_entry, __ATOMIC_RELEASE);
    if (old_type == P2M_INVALID)
        p2m->entries++;
    if (type == P2M_INVALID)
        p2m->entries--;
    p2m->changes++;
    spin_unlock(&p2m->lock);

    if (old_type != P2M_INVALID && p2m->ops->on_change)
        p2m->ops->on_change(p2m, gfn, old_mfn, old_type);
    return 0;
}

mfn_t p2m_lookup(struct p2m *p2m, gfn_t gfn, enum p2m_type *type)
{
    enum p2m_type t = P2M_INVALID;
    mfn_t mfn = INVALID_MFN;

    if (gfn <= P2M_MAX_GFN) {
        const uint64_t *e = leaf_entry(p2m, gfn, false);
        if (e)
            decode(__atomic_load_n(e, __ATOMIC_ACQUIRE), &mfn, &t);
    }
    if (type)
        *type = t;
    return mfn;
}

static int walk_level(struct p2m *p2m, mfn_t table_mfn, unsigned int level, gfn_t base,
                      int (*fn)(void *, gfn_t, mfn_t, enum p2m_type), void *arg)
{
    const uint64_t *table = p2m->ops->table_at(p2m->ctx, table_mfn);

    for (unsigned int i = 0; i < ENTRIES; i++) {
        uint64_t e = table[i];
        gfn_t gfn = base | ((gfn_t)i << (9 * (level - 1)));
        int rc;

        if (!(e & E_PRESENT))
            continue;
        if (level == 1) {
            mfn_t mfn;
            enum p2m_type type;
            decode(e, &mfn, &type);
            rc = fn(arg, gfn, mfn, type);
        } else {
            rc = walk_level(p2m, (e & E_ADDR_MASK) >> PAGE_SHIFT, level - 1, gfn, fn, arg);
        }
        if (rc)
            return rc;
    }
    return 0;
}

int p2m_for_each(struct p2m *p2m, int (*fn)(void *arg, gfn_t gfn, mfn_t mfn, enum p2m_type type),
                 void *arg)
{
    return walk_level(p2m, p2m->root, P2M_LEVELS, 0, fn, arg);
}

static void free_level(struct p2m *p2m, mfn_t table_mfn, unsigned int level)
{
    uint64_t *table = p2m->ops->table_at(p2m->ctx, table_mfn);

    if (level > 1)
        for (unsigned int i = 0; i < ENTRIES; i++)
            if (table[i] & E_PRESENT)
                free_level(p2m, (table[i] & E_ADDR_MASK) >> PAGE_SHIFT, level - 1);
    p2m->ops->free_table(p2m->ctx, table_mfn, table);
    p2m->tables--;
}

void p2m_destroy(struct p2m *p2m)
{
    if (p2m->root != INVALID_MFN && p2m->tables) {
        free_level(p2m, p2m->root, P2M_LEVELS);
        p2m->root = INVALID_MFN;
    }
    p2m->entries = 0;
}
