/*
 * xl.cfg syntax: libxlu's grammar (tools/libs/util/libxlu_cfg_[ly].*) by
 * hand and without recursion.  Produces one `struct value` per KEY = VALUE,
 * with the line of every atom, and hands it to xlcfg__apply().
 *
 *   file  := { [ KEY '=' value ] ( NEWLINE | ';' ) }
 *   value := atom | '[' [ atom { ',' atom } [ ',' ] ] ']'
 *   atom  := STRING | NUMBER
 * Inside '[ ]' NEWLINEs (and so comments) may appear anywhere.  KEY '+='
 * is recognised only to be refused with a clear message.
 */
#include "xlcfg_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX         64u     /* characters of one key */

/* ---- values ------------------------------------------------------------------ */

static void value_free(struct value *v)
{
    free(v->atom.str);
    for (size_t i = 0; i < v->nitems; i++)
        free(v->items[i].str);
    free(v->items);
    memset(v, 0, sizeof(*v));
}

/* ---- lexer ------------------------------------------------------------------- */

enum tok_kind {
    T_EOF, T_NL, T_SEMI, T_EQ, T_PLUSEQ, T_LBRACK, T_RBRACK, T_COMMA,
    T_IDENT, T_STRING, T_NUMBER,
};

struct tok {
    enum tok_kind kind;
    unsigned line;
    char *str;                  /* T_STRING: owned */
    unsigned long long num;     /* T_NUMBER */
    const char *text;           /* T_IDENT: into the input */
    size_t len;
};

struct parser {
    struct xlcfg *cfg;
    const struct xlcfg_diag *diag;
    const char *src;
    const char *p, *end;
    unsigned line;
    bool override;              /* bare values allowed; lines do not count */
    char key[KEY_MAX + 1];      /* the statement being read, or "" */
};

PRINTF(3, 4)
static int syntax_error(const struct parser *ps, unsigned line, const char *fmt, ...)
{
    struct where w = { ps->src, line, ps->key[0] ? ps->key : NULL };
    if (ps->diag && ps->diag->err && ps->diag->errlen) {
        va_list ap;
        va_start(ap, fmt);
        xlcfg__vformat(ps->diag->err, ps->diag->errlen, &w, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const char *tok_desc(const struct tok *t, char *buf, size_t len)
{
    char q[QUOTE_BUF];
    switch (t->kind) {
    case T_EOF:     return "the end of the input";
    case T_NL:      return "the end of the line";
    case T_SEMI:    return "';'";
    case T_EQ:      return "'='";
    case T_PLUSEQ:  return "'+='";
    case T_LBRACK:  return "'['";
    case T_RBRACK:  return "']'";
    case T_COMMA:   return "','";
    case T_STRING:  return "a string";
    case T_NUMBER:  return "a number";
    case T_IDENT:
        snprintf(buf, len, "'%s'", xlcfg__quote(q, sizeof(q), t->text, t->len));
        return buf;
    }
    return "?";
}

/* A quoted string; escapes as libxlu's xlu__cfgl_dequote(), minus octal. */
static int lex_string(struct parser *ps, struct tok *t)
{
    const char quote_char = *ps->p++;
    size_t cap = 32, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return syntax_error(ps, t->line, "out of memory");

    for (;;) {
        if (ps->p == ps->end || *ps->p == '\n') {
            free(buf);
            return syntax_error(ps, t->line, "unterminated string (no closing %c "
                                "on this line)", quote_char);
        }
        char c = *ps->p++;
        if (c == quote_char)
            break;
        if (c == '\\') {
            if (ps->p == ps->end || *ps->p == '\n') {
                free(buf);
                return syntax_error(ps, t->line, "unterminated string (no closing "
                                    "%c on this line)", quote_char);
            }
            char e = *ps->p++;
            switch (e) {
            case '\\': case '"': case '\'': c = e; break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'x': {
                int hi = ps->end - ps->p >= 2 ? hex_value((unsigned char)ps->p[0]) : -1;
                int lo = hi >= 0 ? hex_value((unsigned char)ps->p[1]) : -1;
                if (lo < 0) {
                    free(buf);
                    return syntax_error(ps, t->line, "bad escape: \\x needs two "
                                        "hex digits");
                }
                ps->p += 2;
                c = (char)(hi << 4 | lo);
                if (!c) {
                    free(buf);
                    return syntax_error(ps, t->line, "\\x00 would put a NUL "
                                        "byte in the string");
                }
                break;
            }
            default: {
                char q[QUOTE_BUF];
                free(buf);
                return syntax_error(ps, t->line, "unknown escape '\\%s' in string",
                                    xlcfg__quote(q, sizeof(q), &e, 1));
            }
            }
        }
        if (n == XLCFG_STRING_MAX) {
            free(buf);
            return syntax_error(ps, t->line, "string longer than %u bytes",
                                XLCFG_STRING_MAX);
        }
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return syntax_error(ps, t->line, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        buf[n++] = c;
    }
    buf[n] = '\0';
    t->kind = T_STRING;
    t->str = buf;
    return 0;
}

static int lex_number(struct parser *ps, struct tok *t)
{
    const char *s = ps->p;
    /* Take the whole word, so "128M" is one bad number, not 128 then M. */
    while (ps->p < ps->end && (is_digit((unsigned char)*ps->p) ||
           is_alpha((unsigned char)*ps->p) || *ps->p == '_' || *ps->p == '.'))
        ps->p++;
    char why[160];
    if (xlcfg__parse_number(s, (size_t)(ps->p - s), &t->num, why, sizeof(why)))
        return syntax_error(ps, t->line, "%s", why);
    t->kind = T_NUMBER;
    return 0;
}

static int lex(struct parser *ps, struct tok *t)
{
    memset(t, 0, sizeof(*t));
    while (ps->p < ps->end && is_blank((unsigned char)*ps->p))
        ps->p++;
    if (ps->p < ps->end && *ps->p == '#') {        /* to the end of the line */
        while (ps->p < ps->end && *ps->p != '\n')
            ps->p++;
    }
    t->line = ps->line;
    if (ps->p == ps->end) {
        t->kind = T_EOF;
        return 0;
    }

    char c = *ps->p;
    switch (c) {
    case '\n':
        ps->p++;
        if (!ps->override)
            ps->line++;
        t->kind = T_NL;
        return 0;
    case ';': ps->p++; t->kind = T_SEMI; return 0;
    case '=': ps->p++; t->kind = T_EQ; return 0;
    case '[': ps->p++; t->kind = T_LBRACK; return 0;
    case ']': ps->p++; t->kind = T_RBRACK; return 0;
    case ',': ps->p++; t->kind = T_COMMA; return 0;
    case '"':
    case '\'':
        return lex_string(ps, t);
    case '+':
        if (ps->end - ps->p >= 2 && ps->p[1] == '=') {
            ps->p += 2;
            t->kind = T_PLUSEQ;
            return 0;
        }
        break;
    default:
        break;
    }
    if (is_digit((unsigned char)c))
        return lex_number(ps, t);
    if (is_alpha((unsigned char)c) || c == '_') {
        t->text = ps->p;
        while (ps->p < ps->end && (is_alpha((unsigned char)*ps->p) ||
               is_digit((unsigned char)*ps->p) || *ps->p == '_'))
            ps->p++;
        t->len = (size_t)(ps->p - t->text);
        t->kind = T_IDENT;
        return 0;
    }
    char q[QUOTE_BUF];
    return syntax_error(ps, t->line, "unexpected character '%s'",
                        xlcfg__quote(q, sizeof(q), &c, 1));
}

/* ---- statements -------------------------------------------------------------- */

/* Next token that is not a line break (lists may span lines). */
static int lex_skip_nl(struct parser *ps, struct tok *t)
{
    do {
        if (lex(ps, t))
            return -1;
    } while (t->kind == T_NL);
    return 0;
}

static int atom_from(struct tok *t, struct atom *a)
{
    a->line = t->line;
    a->is_number = t->kind == T_NUMBER;
    a->num = t->num;
    a->str = t->str;            /* ownership moves */
    t->str = NULL;
    return 0;
}

static int parse_list(struct parser *ps, struct value *v, unsigned open_line)
{
    struct tok t;
    char d[QUOTE_BUF + 8];

    v->is_list = true;
    for (;;) {
        if (lex_skip_nl(ps, &t))
            return -1;
        if (t.kind == T_RBRACK)
            return 0;
        if (t.kind == T_EOF)
            return syntax_error(ps, open_line, "list opened here is not closed");
        if (t.kind == T_LBRACK)
            return syntax_error(ps, t.line, "lists of lists are not supported");
        if (t.kind != T_STRING && t.kind != T_NUMBER)
            return syntax_error(ps, t.line, "expected a list element or ']', got %s",
                                tok_desc(&t, d, sizeof(d)));
        if (v->nitems == XLCFG_LIST_MAX) {
            free(t.str);
            return syntax_error(ps, t.line, "list has more than %u elements",
                                XLCFG_LIST_MAX);
        }
        struct atom *items = realloc(v->items, (v->nitems + 1) * sizeof(*items));
        if (!items) {
            free(t.str);
            return syntax_error(ps, t.line, "out of memory");
        }
        v->items = items;
        atom_from(&t, &v->items[v->nitems++]);

        if (lex_skip_nl(ps, &t))
            return -1;
        if (t.kind == T_RBRACK)
            return 0;
        if (t.kind == T_EOF)
            return syntax_error(ps, open_line, "list opened here is not closed");
        if (t.kind != T_COMMA) {
            free(t.str);
            return syntax_error(ps, t.line, "expected ',' or ']' after a list "
                                "element, got %s", tok_desc(&t, d, sizeof(d)));
        }
    }
}

/*
 * An override's unquoted value: verbatim up to ';' or the end, trimmed;
 * a number if it is spelt like one, else a string.
 */
static int parse_bare(struct parser *ps, struct value *v)
{
    const char *s = ps->p;
    while (ps->p < ps->end && *ps->p != ';' && *ps->p != '\n')
        ps->p++;
    size_t n = (size_t)(ps->p - s);
    while (n && is_blank((unsigned char)s[n - 1]))
        n--;
    v->line = v->atom.line = ps->line;

    if (n == 0)
        return syntax_error(ps, ps->line, "expected a value after '='");
    if (n > XLCFG_STRING_MAX)
        return syntax_error(ps, ps->line, "string longer than %u bytes",
                            XLCFG_STRING_MAX);

    bool numeric = is_digit((unsigned char)s[0]);
    for (size_t i = 0; numeric && i < n; i++)
        numeric = hex_value((unsigned char)s[i]) >= 0 || s[i] == 'x' || s[i] == 'X';
    if (numeric) {
        char why[160];
        if (xlcfg__parse_number(s, n, &v->atom.num, why, sizeof(why)))
            return syntax_error(ps, ps->line, "%s", why);
        v->atom.is_number = true;
        return 0;
    }
    v->atom.str = strndup(s, n);
    if (!v->atom.str)
        return syntax_error(ps, ps->line, "out of memory");
    return 0;
}

static int parse_value(struct parser *ps, struct value *v)
{
    struct tok t;
    char d[QUOTE_BUF + 8];

    if (ps->override) {
        while (ps->p < ps->end && is_blank((unsigned char)*ps->p))
            ps->p++;
        if (ps->p < ps->end && *ps->p != '"' && *ps->p != '\'' && *ps->p != '[')
            return parse_bare(ps, v);
    }
    if (lex(ps, &t))
        return -1;
    v->line = t.line;
    switch (t.kind) {
    case T_STRING:
    case T_NUMBER:
        return atom_from(&t, &v->atom);
    case T_LBRACK:
        return parse_list(ps, v, t.line);
    case T_IDENT:
        return syntax_error(ps, t.line, "expected a value, got %s (strings need "
                            "quotes)", tok_desc(&t, d, sizeof(d)));
    default:
        return syntax_error(ps, t.line, "expected a value after '=', got %s",
                            tok_desc(&t, d, sizeof(d)));
    }
}

/* KEY = VALUE, then the end of the statement.  The key is in t. */
static int parse_statement(struct parser *ps, const struct tok *keytok)
{
    struct tok t;
    struct value v;
    char d[QUOTE_BUF + 8];
    int rc = -1;

    memset(&v, 0, sizeof(v));
    if (keytok->len > KEY_MAX)
        return syntax_error(ps, keytok->line, "key longer than %u characters", KEY_MAX);
    memcpy(ps->key, keytok->text, keytok->len);
    ps->key[keytok->len] = '\0';

    if (lex(ps, &t))
        goto out;
    if (t.kind == T_PLUSEQ) {
        syntax_error(ps, t.line, "'+=' is not supported: give the whole value "
                     "with '='");
        goto out;
    }
    if (t.kind != T_EQ) {
        syntax_error(ps, t.line, "expected '=' after the key, got %s",
                     tok_desc(&t, d, sizeof(d)));
        free(t.str);
        goto out;
    }
    if (parse_value(ps, &v))
        goto out;
    if (lex(ps, &t))
        goto out;
    if (t.kind != T_NL && t.kind != T_SEMI && t.kind != T_EOF) {
        syntax_error(ps, t.line, "expected ';' or a new line after the value, "
                     "got %s", tok_desc(&t, d, sizeof(d)));
        free(t.str);
        goto out;
    }
    rc = xlcfg__apply(ps->cfg, ps->diag, ps->src, keytok->line, ps->key, &v);
out:
    value_free(&v);
    ps->key[0] = '\0';
    return rc;
}

static int parse_text(struct parser *ps)
{
    struct tok t;
    char d[QUOTE_BUF + 8];

    for (;;) {
        if (lex(ps, &t))
            return -1;
        switch (t.kind) {
        case T_NL:
        case T_SEMI:
            continue;
        case T_EOF:
            return 0;
        case T_IDENT:
            if (parse_statement(ps, &t))
                return -1;
            continue;
        default:
            free(t.str);
            return syntax_error(ps, t.line, "expected a key, got %s",
                                tok_desc(&t, d, sizeof(d)));
        }
    }
}

int xlcfg__parse_text(struct xlcfg *cfg, const struct xlcfg_diag *diag,
                      const char *src, unsigned first_line, bool override,
                      const char *text, size_t len)
{
    struct parser ps;

    memset(&ps, 0, sizeof(ps));
    ps.cfg = cfg;
    ps.diag = diag;
    ps.src = src;
    ps.p = text;
    ps.end = text + len;
    ps.line = first_line;
    ps.override = override;
    return parse_text(&ps);
}
