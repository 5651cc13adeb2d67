/*
 * Writes the fuzzer's seed corpus: well-formed conversations in the
 * fuzzer's record format (see fuzz_xenstored.c), one file per scenario,
 * so the fuzzer starts from inputs that reach deep into the core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static unsigned char buf[65536];
static size_t len;

/* One record carrying one message for client slot (0 dom0, 1, 2). */
static void msg(int slot, uint32_t type, uint32_t tx, const char *payload, size_t plen)
{
    static uint32_t req = 1;
    struct xsd_sockmsg h = { .type = type, .req_id = req++, .tx_id = tx, .len = (uint32_t)plen };
    size_t rec = sizeof(h) + plen;
    buf[len++] = (unsigned char)slot;
    buf[len++] = (unsigned char)(rec & 0xff);
    buf[len++] = (unsigned char)(rec >> 8);
    memcpy(buf + len, &h, sizeof(h));
    len += sizeof(h);
    memcpy(buf + len, payload, plen);
    len += plen;
}

#define M(slot, type, tx, lit) msg(slot, type, tx, lit, sizeof(lit) - 1)

static void flush(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len) {
        perror(path);
        exit(1);
    }
    fclose(f);
    len = 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds DIR\n");
        return 2;
    }
    const char *dir = argv[1];

    M(0, XS_WRITE, 0, "/a/b\0value");
    M(0, XS_READ, 0, "/a/b\0");
    M(0, XS_DIRECTORY, 0, "/a\0");
    M(0, XS_MKDIR, 0, "/a/c/d\0");
    M(0, XS_RM, 0, "/a/c\0");
    M(0, XS_GET_PERMS, 0, "/a/b\0");
    M(0, XS_SET_PERMS, 0, "/a/b\0n0\0r1\0b2\0");
    M(1, XS_READ, 0, "/a/b\0");
    flush(dir, "nodes");

    M(0, XS_TRANSACTION_START, 0, "\0");
    M(0, XS_WRITE, 1, "/t/x\0in-tx");
    M(0, XS_READ, 1, "/t/x\0");
    M(0, XS_DIRECTORY_PART, 1, "/t\0" "0\0");
    M(0, XS_TRANSACTION_END, 1, "T\0");
    M(0, XS_TRANSACTION_START, 0, "\0");
    M(0, XS_RM, 2, "/t\0");
    M(0, XS_WRITE, 0, "/t/y\0conflict");
    M(0, XS_TRANSACTION_END, 2, "T\0");
    M(0, XS_TRANSACTION_START, 0, "\0");
    M(0, XS_TRANSACTION_END, 3, "F\0");
    flush(dir, "transactions");

    M(1, XS_WATCH, 0, "data\0tok\0");
    M(1, XS_WRITE, 0, "data/x\0v");
    M(0, XS_WATCH, 0, "@releaseDomain\0r\0");
    M(0, XS_WATCH, 0, "/\0all\0");
    M(1, XS_RM, 0, "data\0");
    M(1, XS_UNWATCH, 0, "data\0tok\0");
    M(0, XS_RESET_WATCHES, 0, "\0");
    flush(dir, "watches");

    M(0, XS_INTRODUCE, 0, "5\0" "1234\0" "7\0");
    M(0, XS_IS_DOMAIN_INTRODUCED, 0, "5\0");
    M(0, XS_SET_TARGET, 0, "1\0" "2\0");
    M(0, XS_GET_DOMAIN_PATH, 0, "5\0");
    M(0, XS_RESUME, 0, "5\0");
    M(0, XS_RELEASE, 0, "5\0");
    M(0, XS_CONTROL, 0, "quota\0set\0nodes\0" "10\0");
    M(0, XS_CONTROL, 0, "check\0");
    M(2, XS_INTRODUCE, 0, "6\0" "1\0" "1\0");
    flush(dir, "domains");

    for (int i = 0; i < 40; i++) {
        char p[64];
        int n = snprintf(p, sizeof(p), "/big/child-number-%03d", i);
        msg(0, XS_MKDIR, 0, p, (size_t)n + 1);
    }
    M(0, XS_DIRECTORY, 0, "/big\0");
    M(0, XS_DIRECTORY_PART, 0, "/big\0" "0\0");
    M(2, XS_WRITE, 0, "quota/a\0x");
    M(2, XS_WRITE, 0, "quota/b\0y");
    flush(dir, "directory");

    /* Partial reads: one byte per read (selector chunk bits). */
    M(0, XS_WRITE, 0, "/p\0q");
    buf[0] = 1 << 2;
    flush(dir, "bytewise");

    /* A state file, for the state-file fuzzer (harmless bytes to the other). */
    static const char state[] =
        "{\"format\":\"splitvisor-xenstored-state\",\"version\":1,"
        "\"quotas\":{\"nodes\":10},"
        "\"special\":{\"@releaseDomain\":[\"n0\",\"r3\"]},"
        "\"domains\":[{\"domid\":3,\"mfn\":\"12\",\"port\":4,\"target\":5}],"
        "\"nodes\":[{\"path\":\"/\",\"perms\":[\"n0\"],\"value\":\"\"},"
        "{\"path\":\"/a\",\"perms\":[\"r0\",\"b3\"],\"value\":\"x\"},"
        "{\"path\":\"/a/b\",\"perms\":[\"n3\"],\"value_base64\":\"AP8=\"}]}";
    memcpy(buf, state, sizeof(state) - 1);
    len = sizeof(state) - 1;
    flush(dir, "state.json");
    return 0;
}
