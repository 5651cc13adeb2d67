/* The command line: space-separated key=value words; values are
 * comma-separated lists (tests=a,b bench=c:iterations,d) or numbers
 * (peer=2 rounds=1000). */
#include "svguest.h"

char cmdline[1024];

bool cmdline_get(const char *key, const char **val, size_t *len)
{
    size_t klen = strlen(key);
    const char *p = cmdline;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - w) > klen && w[klen] == '=' && !memcmp(w, key, klen)) {
            *val = w + klen + 1;
            *len = (size_t)(p - *val);
            return true;
        }
    }
    return false;
}

bool list_next(const char **p, const char *end, const char **item, size_t *len)
{
    while (*p < end && **p == ',')
        (*p)++;
    if (*p >= end)
        return false;
    *item = *p;
    while (*p < end && **p != ',')
        (*p)++;
    *len = (size_t)(*p - *item);
    return true;
}

bool item_is(const char *item, size_t len, const char *name)
{
    return strlen(name) == len && !memcmp(item, name, len);
}

bool cmdline_u64(const char *key, uint64_t *val)
{
    const char *v;
    size_t n;
    uint64_t x = 0;
    if (!cmdline_get(key, &v, &n) || n == 0 || n > 19)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    *val = x;
    return true;
}

uint64_t cmdline_u64_or(const char *key, uint64_t def)
{
    uint64_t v;
    return cmdline_u64(key, &v) ? v : def;
}
