/* See persist.h. */
#define _DEFAULT_SOURCE   /* fsync on a directory fd, O_DIRECTORY */
#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "base64.h"
#include "domain.h"
#include "path.h"
#include "perms.h"
#include "quota.h"
#include "util.h"

#define PERSIST_COMMENT                                                      \
    "xenstored state. Node values are JSON strings when they are valid "     \
    "UTF-8 without nul bytes, otherwise base64 in value_base64."

/* Refuse absurd files before reading them into memory. */
#define PERSIST_MAX_BYTES (512u << 20)

/* ---- saving ----------------------------------------------------------- */

static bool utf8_text(const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint8_t c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp;
        if ((c & 0xe0) == 0xc0) {
            n = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n > len)
            return false;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n;
    }
    return true;
}

#define GS(g, s) yajl_gen_string((g), (const unsigned char *)(s), strlen(s))

static int gen_perms(yajl_gen g, const struct xs_permissions *p, unsigned n)
{
    yajl_gen_array_open(g);
    for (unsigned i = 0; i < n; i++) {
        char s[16];
        perm_to_string(&p[i], s, sizeof(s));
        GS(g, s);
    }
    yajl_gen_array_close(g);
    return 0;
}

static int gen_node(yajl_gen g, const struct xs_tree *t, const struct xs_node *n)
{
    yajl_gen_map_open(g);
    GS(g, "path");
    GS(g, n->path);
    GS(g, "perms");
    gen_perms(g, n->perms, n->nperms);
    if (utf8_text(n->value, n->vlen)) {
        GS(g, "value");
        yajl_gen_string(g, n->value ? n->value : (const unsigned char *)"", n->vlen);
    } else {
        char *b = base64_encode(n->value, n->vlen);
        if (!b)
            return ENOMEM;
        GS(g, "value_base64");
        GS(g, b);
        free(b);
    }
    yajl_gen_map_close(g);

    for (uint32_t off = 0; off < n->childlen;) {
        const char *name = n->children + off;
        off += (uint32_t)strlen(name) + 1;
        char *cp = path_join(n->path, name);
        if (!cp)
            return ENOMEM;
        const struct xs_node *c = tree_get(t, cp);
        free(cp);
        if (c) {
            int err = gen_node(g, t, c);
            if (err)
                return err;
        }
    }
    return 0;
}

static int gen_state(yajl_gen g, const struct xs_store *st)
{
    yajl_gen_map_open(g);
    GS(g, "format");
    GS(g, PERSIST_FORMAT);
    GS(g, "version");
    yajl_gen_integer(g, PERSIST_VERSION);
    GS(g, "comment");
    GS(g, PERSIST_COMMENT);

    GS(g, "quotas");
    yajl_gen_map_open(g);
    for (size_t i = 0; i < quota_nitems; i++) {
        GS(g, quota_items[i].name);
        yajl_gen_integer(g, quota_get(&st->quota, &quota_items[i]));
    }
    yajl_gen_map_close(g);

    GS(g, "special");
    yajl_gen_map_open(g);
    GS(g, XS_SPECIAL_INTRODUCE);
    gen_perms(g, st->special_perms[0], st->special_nperms[0]);
    GS(g, XS_SPECIAL_RELEASE);
    gen_perms(g, st->special_perms[1], st->special_nperms[1]);
    yajl_gen_map_close(g);

    GS(g, "domains");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < st->ndomains; i++) {
        const struct xs_domain *d = &st->domains[i];
        char mfn[24];
        snprintf(mfn, sizeof(mfn), "%llu", (unsigned long long)d->mfn);
        yajl_gen_map_open(g);
        GS(g, "domid");
        yajl_gen_integer(g, d->domid);
        GS(g, "mfn");
        GS(g, mfn);
        GS(g, "port");
        yajl_gen_integer(g, d->port);
        if (d->has_target) {
            GS(g, "target");
            yajl_gen_integer(g, d->target);
        }
        yajl_gen_map_close(g);
    }
    yajl_gen_array_close(g);

    GS(g, "nodes");
    yajl_gen_array_open(g);
    const struct xs_node *root = tree_get(&st->tree, "/");
    int err = root ? gen_node(g, &st->tree, root) : EINVAL;
    yajl_gen_array_close(g);
    yajl_gen_map_close(g);
    return err;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int persist_save(const struct xs_store *st, const char *path, char *err, size_t errlen)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    if (!g) {
        snprintf(err, errlen, "saving %s: out of memory", path);
        return ENOMEM;
    }
    yajl_gen_config(g, yajl_gen_beautify, 1);
    int e = gen_state(g, st);
    const unsigned char *buf;
    size_t len;
    if (!e && yajl_gen_get_buf(g, &buf, &len) != yajl_gen_status_ok)
        e = ENOMEM;
    if (e) {
        snprintf(err, errlen, "saving %s: cannot encode the state: %s", path, strerror(e));
        yajl_gen_free(g);
        return e;
    }

    /* Temp file beside the target so that rename() is atomic. */
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    char *dir = xs_strdup(path);
    if (!tmp || !dir) {
        free(tmp);
        free(dir);
        yajl_gen_free(g);
        snprintf(err, errlen, "saving %s: out of memory", path);
        return ENOMEM;
    }
    snprintf(tmp, pl + 32, "%s.tmp.%ld", path, (long)getpid());
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");

    const char *step = "create";
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = errno;
    } else {
        step = "write";
        e = write_all(fd, buf, len);
        if (!e && fsync(fd) != 0) {
            step = "fsync";
            e = errno;
        }
        if (close(fd) != 0 && !e) {
            step = "close";
            e = errno;
        }
        if (!e && rename(tmp, path) != 0) {
            step = "rename";
            e = errno;
        }
        if (e)
            unlink(tmp);
    }
    if (!e) {
        /* The rename itself must reach the disk too. */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            if (fsync(dfd) != 0) {
                step = "fsync directory of";
                e = errno;
            }
            close(dfd);
        }
    }
    if (e)
        snprintf(err, errlen, "saving %s: cannot %s %s: %s", path, step,
                 strcmp(step, "rename") == 0 || strncmp(step, "fsync dir", 9) == 0 ? path : tmp,
                 strerror(e));
    free(tmp);
    free(dir);
    yajl_gen_free(g);
    return e;
}

/* ---- loading ---------------------------------------------------------- */

void persist_image_free(struct xs_image *img)
{
    tree_destroy(&img->tree);
    free(img->domains);
    for (int i = 0; i < 2; i++)
        free(img->special_perms[i]);
    memset(img, 0, sizeof(*img));
}

static yajl_val field(yajl_val obj, const char *name)
{
    for (size_t i = 0; i < obj->u.object.len; i++)
        if (strcmp(obj->u.object.keys[i], name) == 0)
            return obj->u.object.values[i];
    return NULL;
}

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return EINVAL; } while (0)

static int load_perms(yajl_val v, const char *name, const char *what,
                      struct xs_permissions **out, unsigned *nout, char *err, size_t errlen)
{
    if (!v || !YAJL_IS_ARRAY(v) || v->u.array.len == 0 || v->u.array.len > 65536)
        BAD("%s: %s: \"perms\" must be a non-empty array of strings", name, what);
    size_t n = v->u.array.len;
    struct xs_permissions *p = malloc(n * sizeof(*p));
    if (!p)
        BAD("%s: out of memory", name);
    for (size_t i = 0; i < n; i++) {
        yajl_val s = v->u.array.values[i];
        if (!YAJL_IS_STRING(s) || perm_from_string(s->u.string, &p[i])) {
            free(p);
            BAD("%s: %s: permission %zu is not like \"r5\"", name, what, i);
        }
    }
    *out = p;
    *nout = (unsigned)n;
    return 0;
}

static bool get_uint(yajl_val v, unsigned long long max, unsigned long long *out)
{
    if (!v || !YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0 ||
        (unsigned long long)YAJL_GET_INTEGER(v) > max)
        return false;
    *out = (unsigned long long)YAJL_GET_INTEGER(v);
    return true;
}

static int load_node(yajl_val v, size_t idx, const char *name, struct xs_tree *t,
                     char *err, size_t errlen)
{
    if (!YAJL_IS_OBJECT(v))
        BAD("%s: node %zu is not an object", name, idx);
    yajl_val p = field(v, "path");
    if (!p || !YAJL_IS_STRING(p) || !path_is_valid_abs(p->u.string))
        BAD("%s: node %zu has no valid \"path\"", name, idx);
    const char *path = p->u.string;
    if (idx == 0 && strcmp(path, "/") != 0)
        BAD("%s: the first node must be \"/\", not \"%s\"", name, path);
    if (tree_get(t, path))
        BAD("%s: node \"%s\" appears twice", name, path);

    struct xs_node *n = node_new(path);
    if (!n)
        BAD("%s: out of memory", name);
    struct xs_permissions *perms;
    unsigned nperms;
    int e = load_perms(field(v, "perms"), name, path, &perms, &nperms, err, errlen);
    if (e) {
        node_free(n);
        return e;
    }
    n->perms = perms;
    n->nperms = nperms;

    yajl_val text = field(v, "value"), b64 = field(v, "value_base64");
    if ((text != NULL) == (b64 != NULL)) {
        node_free(n);
        BAD("%s: node \"%s\" needs exactly one of \"value\" and \"value_base64\"", name, path);
    }
    if (text) {
        if (!YAJL_IS_STRING(text) || node_set_value(n, text->u.string,
                                                    strlen(text->u.string))) {
            node_free(n);
            BAD("%s: node \"%s\": \"value\" is not a string", name, path);
        }
    } else {
        uint8_t *bytes;
        size_t len;
        if (!YAJL_IS_STRING(b64) || !base64_decode(b64->u.string, &bytes, &len)) {
            node_free(n);
            BAD("%s: node \"%s\": \"value_base64\" is not valid base64", name, path);
        }
        free(n->value);
        n->value = bytes;
        n->vlen = (uint32_t)len;
    }
    if (n->vlen > XENSTORE_PAYLOAD_MAX) {
        node_free(n);
        BAD("%s: node \"%s\": value of %zu bytes is larger than any client could write",
            name, path, (size_t)n->vlen);
    }

    if (idx > 0) {
        /* The parent came earlier: list this node as its next child. */
        char *pp = path_parent(path);
        struct xs_node *parent = pp ? (struct xs_node *)tree_get(t, pp) : NULL;
        free(pp);
        if (!parent) {
            node_free(n);
            BAD("%s: node \"%s\" comes before its parent", name, path);
        }
        if (node_add_child(parent, path_basename(path))) {
            node_free(n);
            BAD("%s: out of memory", name);
        }
    }
    if (tree_put(t, n)) {
        node_free(n);
        BAD("%s: out of memory", name);
    }
    return 0;
}

static int load_domains(yajl_val v, const char *name, struct xs_image *img,
                        char *err, size_t errlen)
{
    if (!v)
        return 0;
    if (!YAJL_IS_ARRAY(v) || v->u.array.len > 65535)
        BAD("%s: \"domains\" must be an array", name);
    size_t n = v->u.array.len;
    img->domains = calloc(n ? n : 1, sizeof(*img->domains));
    if (!img->domains)
        BAD("%s: out of memory", name);
    for (size_t i = 0; i < n; i++) {
        yajl_val d = v->u.array.values[i];
        unsigned long long domid, port, target;
        yajl_val mfn = YAJL_IS_OBJECT(d) ? field(d, "mfn") : NULL;
        unsigned long long mfnv;
        if (!YAJL_IS_OBJECT(d) || !get_uint(field(d, "domid"), 65535, &domid) ||
            !domain_id_valid(domid) || !get_uint(field(d, "port"), UINT32_MAX, &port) ||
            !mfn || !YAJL_IS_STRING(mfn) || !xs_parse_uint(mfn->u.string, UINT64_MAX, &mfnv))
            BAD("%s: domain %zu needs a valid \"domid\", \"mfn\" and \"port\"", name, i);
        for (size_t k = 0; k < img->ndomains; k++)
            if (img->domains[k].domid == domid)
                BAD("%s: domain %llu appears twice", name, domid);
        struct xs_domain *dom = &img->domains[img->ndomains++];
        dom->domid = (unsigned)domid;
        dom->mfn = mfnv;
        dom->port = (unsigned)port;
        yajl_val t = field(d, "target");
        if (t) {
            if (!get_uint(t, 65535, &target))
                BAD("%s: domain %llu: bad \"target\"", name, domid);
            dom->has_target = true;
            dom->target = (unsigned)target;
        }
    }
    return 0;
}

static int load_quotas(yajl_val v, const char *name, struct xs_quota *q, char *err,
                       size_t errlen)
{
    quota_set_defaults(q);
    if (!v)
        return 0;
    if (!YAJL_IS_OBJECT(v))
        BAD("%s: \"quotas\" must be an object", name);
    for (size_t i = 0; i < v->u.object.len; i++) {
        const struct quota_item *it = quota_find(v->u.object.keys[i]);
        unsigned long long val;
        if (!it)
            BAD("%s: unknown quota \"%s\"", name, v->u.object.keys[i]);
        if (!get_uint(v->u.object.values[i], UINT32_MAX, &val))
            BAD("%s: quota \"%s\" is not a number from 0 to %u", name, it->name, UINT32_MAX);
        quota_put(q, it, (unsigned)val);
    }
    return 0;
}

static int load_image(yajl_val root, const char *name, struct xs_image *img,
                      char *err, size_t errlen)
{
    if (!YAJL_IS_OBJECT(root))
        BAD("%s: not a xenstored state file (the top level is not a JSON object)", name);
    yajl_val f = field(root, "format");
    if (!f || !YAJL_IS_STRING(f) || strcmp(f->u.string, PERSIST_FORMAT) != 0)
        BAD("%s: not a xenstored state file (\"format\" is not \"%s\")", name, PERSIST_FORMAT);
    yajl_val ver = field(root, "version");
    if (!ver || !YAJL_IS_INTEGER(ver))
        BAD("%s: no \"version\"", name);
    if (YAJL_GET_INTEGER(ver) != PERSIST_VERSION)
        BAD("%s: version %lld is not supported (this xenstored reads version %d)", name,
            YAJL_GET_INTEGER(ver), PERSIST_VERSION);

    int e = load_quotas(field(root, "quotas"), name, &img->quota, err, errlen);
    if (e)
        return e;

    yajl_val sp = field(root, "special");
    const char *specials[2] = { XS_SPECIAL_INTRODUCE, XS_SPECIAL_RELEASE };
    for (int i = 0; i < 2; i++) {
        yajl_val v = sp && YAJL_IS_OBJECT(sp) ? field(sp, specials[i]) : NULL;
        if (sp && !YAJL_IS_OBJECT(sp))
            BAD("%s: \"special\" must be an object", name);
        if (v) {
            e = load_perms(v, name, specials[i], &img->special_perms[i],
                           &img->special_nperms[i], err, errlen);
            if (e)
                return e;
        } else {
            img->special_perms[i] = calloc(1, sizeof(struct xs_permissions));
            if (!img->special_perms[i])
                BAD("%s: out of memory", name);
            img->special_nperms[i] = 1;
        }
    }

    e = load_domains(field(root, "domains"), name, img, err, errlen);
    if (e)
        return e;

    yajl_val nodes = field(root, "nodes");
    if (!nodes || !YAJL_IS_ARRAY(nodes) || nodes->u.array.len == 0)
        BAD("%s: \"nodes\" must be a non-empty array", name);
    /* tree_init made "/": the file's root replaces it. */
    tree_del(&img->tree, "/");
    for (size_t i = 0; i < nodes->u.array.len; i++) {
        e = load_node(nodes->u.array.values[i], i, name, &img->tree, err, errlen);
        if (e)
            return e;
    }
    return 0;
}

int persist_parse(const char *text, const char *name, struct xs_image *img,
                  char *err, size_t errlen)
{
    memset(img, 0, sizeof(*img));
    if (tree_init(&img->tree)) {
        snprintf(err, errlen, "%s: out of memory", name);
        return ENOMEM;
    }
    char perr[256] = "";
    yajl_val root = yajl_tree_parse(text, perr, sizeof(perr));
    if (!root) {
        /* yajl's message spans lines; keep the first. */
        perr[strcspn(perr, "\n")] = '\0';
        snprintf(err, errlen, "%s: not valid JSON: %s", name, perr[0] ? perr : "parse error");
        persist_image_free(img);
        return EINVAL;
    }
    int e = load_image(root, name, img, err, errlen);
    yajl_tree_free(root);
    if (e)
        persist_image_free(img);
    return e;
}

int persist_load(const char *path, struct xs_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof(*img));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
        return e;
    }
    struct stat stb;
    if (fstat(fd, &stb) != 0 || !S_ISREG(stb.st_mode) || stb.st_size > PERSIST_MAX_BYTES) {
        close(fd);
        snprintf(err, errlen, "%s: not a regular file of at most %u bytes", path,
                 PERSIST_MAX_BYTES);
        return EINVAL;
    }
    size_t size = (size_t)stb.st_size;
    char *text = malloc(size + 1);
    if (!text) {
        close(fd);
        snprintf(err, errlen, "%s: out of memory", path);
        return ENOMEM;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, text + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != size) {
        free(text);
        snprintf(err, errlen, "%s: short read", path);
        return EIO;
    }
    text[size] = '\0';
    if (memchr(text, '\0', size)) {
        free(text);
        snprintf(err, errlen, "%s: not a xenstored state file (contains nul bytes)", path);
        return EINVAL;
    }
    int e = persist_parse(text, path, img, err, errlen);
    free(text);
    return e;
}

void persist_apply(struct xs_store *st, struct xs_image *img)
{
    tree_destroy(&st->tree);
    st->tree = img->tree;
    st->quota = img->quota;
    free(st->domains);
    st->domains = img->domains;
    st->ndomains = st->domains_cap = img->ndomains;
    for (int i = 0; i < 2; i++) {
        free(st->special_perms[i]);
        st->special_perms[i] = img->special_perms[i];
        st->special_nperms[i] = img->special_nperms[i];
    }
    memset(img, 0, sizeof(*img));
}
