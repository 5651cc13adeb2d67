/*
 * Sorted, merged set of physical ranges.  The table is tiny (MEMMAP_MAX) and
 * only used at boot, so plain linear scans and array shifts are the right
 * trade: obviously correct beats fast here.
 *
 * Invariant after every public call: r[0..nr) sorted by start, every range
 * non-empty, and neighbours neither overlap nor touch (r[i].end < r[i+1].start).
 * Calls that fail leave the table exactly as it was.
 */
#include <sv/errno.h>
#include <sv/memmap.h>
#include <sv/string.h>

static void delete_ranges(struct memmap *m, unsigned int at, unsigned int count)
{
    if (!count)
        return;
    memmove(&m->r[at], &m->r[at + count], (m->nr - at - count) * sizeof(m->r[0]));
    m->nr -= count;
}

/* The caller has checked there is room. */
static void insert_range(struct memmap *m, unsigned int at, paddr_t start, paddr_t end)
{
    memmove(&m->r[at + 1], &m->r[at], (m->nr - at) * sizeof(m->r[0]));
    m->r[at].start = start;
    m->r[at].end = end;
    m->nr++;
}

void memmap_init(struct memmap *m)
{
    m->nr = 0;
}

/* An empty request is trivially done; an inverted one is a caller bug. */
static int check_request(paddr_t start, paddr_t end)
{
    return start <= end ? 0 : -EINVAL;
}

int memmap_add(struct memmap *m, paddr_t start, paddr_t end)
{
    unsigned int first = 0, last;

    if (start >= end)
        return check_request(start, end);
    while (first < m->nr && m->r[first].end < start)
        first++;
    /* r[first..last) overlap or touch [start, end): they all fold into one. */
    last = first;
    while (last < m->nr && m->r[last].start <= end)
        last++;
    if (first == last) {
        if (m->nr == MEMMAP_MAX)
            return -ENOSPC;
        insert_range(m, first, start, end);
        return 0;
    }
    m->r[first].start = MIN(start, m->r[first].start);
    m->r[first].end = MAX(end, m->r[last - 1].end);
    delete_ranges(m, first + 1, last - first - 1);
    return 0;
}

int memmap_remove(struct memmap *m, paddr_t start, paddr_t end)
{
    unsigned int i = 0, covered;

    if (start >= end)
        return check_request(start, end);
    while (i < m->nr && m->r[i].end <= start)
        i++;
    if (i == m->nr)
        return 0;

    /* A hole strictly inside one range is the only case needing a new slot;
     * it is also the only range the request can touch. */
    if (m->r[i].start < start && m->r[i].end > end) {
        if (m->nr == MEMMAP_MAX)
            return -ENOSPC;
        insert_range(m, i + 1, end, m->r[i].end);
        m->r[i].end = start;
        return 0;
    }
    if (m->r[i].start < start) {
        m->r[i].end = start;
        i++;
    }
    covered = i;
    while (covered < m->nr && m->r[covered].end <= end)
        covered++;
    delete_ranges(m, i, covered - i);
    if (i < m->nr && m->r[i].start < end)
        m->r[i].start = end;
    return 0;
}

void memmap_page_align(struct memmap *m)
{
    unsigned int i = 0;

    while (i < m->nr) {
        paddr_t end = ALIGN_DOWN(m->r[i].end, PAGE_SIZE);

        /* Compare before rounding start up: near the top of the address
         * space ALIGN_UP would wrap to 0. */
        if (m->r[i].start > end || ALIGN_UP(m->r[i].start, PAGE_SIZE) >= end) {
            delete_ranges(m, i, 1);
            continue;
        }
        m->r[i].start = ALIGN_UP(m->r[i].start, PAGE_SIZE);
        m->r[i].end = end;
        i++;
    }
}

paddr_t memmap_total(const struct memmap *m)
{
    paddr_t total = 0;

    for (unsigned int i = 0; i < m->nr; i++)
        total += m->r[i].end - m->r[i].start;
    return total;
}

/* Ranges never touch, so a covered span always lies inside a single range.
 * The empty span is contained (it is a subset of anything); an inverted one
 * is not. */
bool memmap_contains(const struct memmap *m, paddr_t start, paddr_t end)
{
    if (start >= end)
        return start == end;
    for (unsigned int i = 0; i < m->nr; i++)
        if (m->r[i].start <= start && end <= m->r[i].end)
            return true;
    return false;
}

/* Highest address in r where size bytes aligned to align fit below limit,
 * or 0 when they do not (0 doubles as "no", see memmap.h). */
static paddr_t highest_fit(const struct memrange *r, paddr_t size, paddr_t align, paddr_t limit)
{
    paddr_t top = MIN(r->end, limit);
    paddr_t at;

    if (top <= r->start || top - r->start < size)
        return 0;
    at = ALIGN_DOWN(top - size, align);
    return at >= r->start ? at : 0;
}

paddr_t memmap_take(struct memmap *m, size_t size, size_t align, paddr_t limit)
{
    if (!size || !align || (align & (align - 1)))
        return 0;
    for (unsigned int i = m->nr; i-- > 0;) {
        paddr_t at = highest_fit(&m->r[i], size, align, limit);

        /* A full table cannot split a range; a lower range might still
         * give a piece off its top without splitting. */
        if (at && memmap_remove(m, at, at + size) == 0)
            return at;
    }
    return 0;
}
