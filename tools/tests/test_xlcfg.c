/*
 * Check tests of the xl.cfg parser (tools/xlcfg.c): the fixtures under
 * tests/cfg/ for whole files, inline buffers for one rule at a time.
 * Error tests assert the "FILE:LINE: KEY: " prefix exactly, because that
 * prefix is what a user reads first.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlcfg.h"

#ifndef XLCFG_FIXTURES
#error "XLCFG_FIXTURES must name the fixture directory"
#endif

#define FIXTURE(f) XLCFG_FIXTURES "/" f

/* ---- harness -------------------------------------------------------------- */

static char err[1024];
static char warnings[4096];
static unsigned nwarnings;

static void collect_warning(void *arg, const char *msg)
{
    (void)arg;
    nwarnings++;
    size_t used = strlen(warnings);
    snprintf(warnings + used, sizeof(warnings) - used, "%s\n", msg);
}

static const struct xlcfg_diag diag = { err, sizeof(err), collect_warning, NULL };

static struct xlcfg cfg;

static void setup(void)
{
    err[0] = '\0';
    warnings[0] = '\0';
    nwarnings = 0;
    xlcfg_init(&cfg);
}

static void teardown(void)
{
    xlcfg_free(&cfg);
}

/* Parses text as "guest.cfg" onto cfg; does not validate. */
static int parse(const char *text)
{
    return xlcfg_parse_buffer(&cfg, "guest.cfg", text, strlen(text), &diag);
}

/* Parses and validates text as "guest.cfg". */
static int load(const char *text)
{
    int rc = parse(text);
    return rc ? rc : xlcfg_validate(&cfg, &diag);
}

static int load_fixture(const char *path)
{
    return xlcfg_load(&cfg, path, NULL, 0, &diag);
}

#define ck_assert_err_prefix(expected) \
    ck_assert_msg(strncmp(err, (expected), strlen(expected)) == 0, \
                  "error is \"%s\", expected it to start with \"%s\"", err, (expected))

#define ck_assert_err_has(needle) \
    ck_assert_msg(strstr(err, (needle)) != NULL, \
                  "error is \"%s\", expected it to contain \"%s\"", err, (needle))

/* The error of a fixture starts with "PATH:LINE: KEY: ". */
static void assert_fixture_err(const char *path, const char *rest)
{
    char expected[512];
    snprintf(expected, sizeof(expected), "%s%s", path, rest);
    ck_assert_err_prefix(expected);
}

static const char MIN[] = "name = \"g\"\nkernel = \"/k\"\n";

/* ---- good files ---------------------------------------------------------------- */

START_TEST(minimal_defaults)
{
    ck_assert_int_eq(load_fixture(FIXTURE("minimal.cfg")), 0);
    ck_assert_str_eq(cfg.name, "mini");
    ck_assert_str_eq(cfg.kernel, "/boot/vmlinuz-guest");
    ck_assert_ptr_null(cfg.ramdisk);
    ck_assert_ptr_null(cfg.cmdline);
    ck_assert_uint_eq(cfg.memory_mib, 128);
    ck_assert_uint_eq(cfg.maxmem_mib, 128);
    ck_assert_uint_eq(cfg.vcpus, 1);
    ck_assert_uint_eq(cfg.maxvcpus, 1);
    ck_assert_uint_eq(cfg.ncpumaps, 0);
    ck_assert_uint_eq(cfg.ndisks, 0);
    ck_assert_uint_eq(cfg.nvifs, 0);
    ck_assert_int_eq(cfg.on_poweroff, XLCFG_ACTION_DESTROY);
    ck_assert_int_eq(cfg.on_reboot, XLCFG_ACTION_RESTART);
    ck_assert_int_eq(cfg.on_crash, XLCFG_ACTION_DESTROY);
    ck_assert_int_eq(cfg.paging, XLCFG_PAGING_SHADOW);
    ck_assert_uint_eq(nwarnings, 0);
}
END_TEST

START_TEST(full_file)
{
    ck_assert_msg(load_fixture(FIXTURE("full.cfg")) == 0, "%s", err);
    ck_assert_str_eq(cfg.name, "web-1.example_A");
    ck_assert_str_eq(cfg.kernel, "/var/lib/guests/vmlinuz");
    ck_assert_str_eq(cfg.ramdisk, "/var/lib/guests/initrd.img");
    ck_assert_str_eq(cfg.cmdline, "root=/dev/xvda1 ro console=hvc0 quiet");
    ck_assert_uint_eq(cfg.memory_mib, 512);
    ck_assert_uint_eq(cfg.maxmem_mib, 1024);
    ck_assert_uint_eq(cfg.vcpus, 2);
    ck_assert_uint_eq(cfg.maxvcpus, 4);
    ck_assert_uint_eq(cfg.ncpumaps, 1);
    ck_assert(!cfg.cpus_per_vcpu);
    for (unsigned cpu = 0; cpu < 8; cpu++)
        ck_assert_msg(xlcfg_cpumap_test(&cfg.cpumaps[0], cpu) ==
                      (cpu == 0 || cpu == 2 || cpu == 3 || cpu == 5), "cpu %u", cpu);
    ck_assert_int_eq(cfg.on_poweroff, XLCFG_ACTION_DESTROY);
    ck_assert_int_eq(cfg.on_reboot, XLCFG_ACTION_RESTART);
    ck_assert_int_eq(cfg.on_crash, XLCFG_ACTION_PRESERVE);
    ck_assert_int_eq(cfg.paging, XLCFG_PAGING_HAP);
    ck_assert_uint_eq(cfg.ndisks, 6);
    ck_assert_uint_eq(cfg.nvifs, 2);
    ck_assert_uint_eq(nwarnings, 0);
}
END_TEST

START_TEST(full_file_disks)
{
    static const struct {
        const char *target, *vdev;
        uint32_t number;
        enum xlcfg_disk_backend backend;
        bool readonly;
    } want[] = {
        { "/srv/img/web.img", "xvda", 51712, XLCFG_DISK_BACKEND_FILE, false },
        { "/dev/vg0/web-data", "xvdb", 51728, XLCFG_DISK_BACKEND_PHY, true },
        { "/srv/img/swap.img", "hdc", 22u << 8, XLCFG_DISK_BACKEND_FILE, false },
        { "/srv/img/a,b.img", "xvdd", 51760, XLCFG_DISK_BACKEND_FILE, true },
        { "/srv/img/plain.img", "sda", 2048, XLCFG_DISK_BACKEND_FILE, false },
        { "/srv/img/four.img", "xvdq", (1u << 28) | (16u << 8), XLCFG_DISK_BACKEND_FILE, false },
    };

    ck_assert_msg(load_fixture(FIXTURE("full.cfg")) == 0, "%s", err);
    ck_assert_uint_eq(cfg.ndisks, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < cfg.ndisks; i++) {
        const struct xlcfg_disk *d = &cfg.disks[i];
        ck_assert_str_eq(d->target, want[i].target);
        ck_assert_str_eq(d->vdev, want[i].vdev);
        ck_assert_uint_eq(d->vdev_number, want[i].number);
        ck_assert_int_eq(d->backend, want[i].backend);
        ck_assert_int_eq(d->readonly, want[i].readonly);
        ck_assert_int_eq(d->format, XLCFG_DISK_FORMAT_RAW);
    }
}
END_TEST

START_TEST(full_file_vifs)
{
    static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 };

    ck_assert_msg(load_fixture(FIXTURE("full.cfg")) == 0, "%s", err);
    const struct xlcfg_vif *v = &cfg.vifs[0];
    ck_assert(v->has_mac);
    ck_assert_mem_eq(v->mac, mac, 6);
    ck_assert_str_eq(v->bridge, "xenbr0");
    ck_assert_str_eq(v->ip, "192.0.2.10");
    ck_assert_str_eq(v->script, "vif-bridge");
    ck_assert_str_eq(v->model, "e1000");
    ck_assert_str_eq(v->backend, "0");
    ck_assert_str_eq(v->vifname, "web1.0");
    ck_assert_str_eq(v->type, "vif");

    /* '' is a vif with every default. */
    v = &cfg.vifs[1];
    ck_assert(!v->has_mac);
    ck_assert_ptr_null(v->bridge);
    ck_assert_ptr_null(v->vifname);
}
END_TEST

START_TEST(separators_and_comments)
{
    ck_assert_msg(load_fixture(FIXTURE("separators.cfg")) == 0, "%s", err);
    ck_assert_str_eq(cfg.name, "sep");
    ck_assert_str_eq(cfg.kernel, "/k");
    ck_assert_uint_eq(cfg.memory_mib, 256);
    ck_assert_uint_eq(cfg.vcpus, 2);
    ck_assert_uint_eq(cfg.maxvcpus, 2);
}
END_TEST

START_TEST(crlf_line_ends)
{
    ck_assert_msg(load_fixture(FIXTURE("crlf.cfg")) == 0, "%s", err);
    ck_assert_str_eq(cfg.name, "crlf");
    ck_assert_uint_eq(cfg.memory_mib, 64);
}
END_TEST

START_TEST(multiline_lists)
{
    ck_assert_msg(load_fixture(FIXTURE("multiline.cfg")) == 0, "%s", err);
    ck_assert_uint_eq(cfg.ndisks, 2);
    ck_assert_str_eq(cfg.disks[1].target, "/dev/sdb");
    ck_assert(cfg.disks[1].readonly);
    ck_assert_uint_eq(cfg.nvifs, 1);
    ck_assert_str_eq(cfg.vifs[0].bridge, "xenbr0");

    /* cpus as a list: one CPU set per vCPU, as xl. */
    ck_assert(cfg.cpus_per_vcpu);
    ck_assert_uint_eq(cfg.ncpumaps, 3);
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 2));
    ck_assert(!xlcfg_cpumap_test(&cfg.cpumaps[0], 3));
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[1], 3));
    ck_assert(!xlcfg_cpumap_test(&cfg.cpumaps[1], 2));
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[2], 0));
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[2], 255));
    ck_assert(!xlcfg_cpumap_test(&cfg.cpumaps[2], 7));
}
END_TEST

START_TEST(string_escapes)
{
    ck_assert_msg(load_fixture(FIXTURE("escapes.cfg")) == 0, "%s", err);
    ck_assert_str_eq(cfg.kernel, "/boot/with \"quotes\" and \\back\\slash");
    ck_assert_str_eq(cfg.cmdline, "single 'quoted' tab\thereA~");
    /* cmdline wins over extra, with a warning. */
    ck_assert_uint_eq(nwarnings, 1);
}
END_TEST

START_TEST(last_setting_wins)
{
    ck_assert_msg(load_fixture(FIXTURE("lastwins.cfg")) == 0, "%s", err);
    ck_assert_str_eq(cfg.name, "second");
    ck_assert_uint_eq(cfg.memory_mib, 96);
    ck_assert_uint_eq(cfg.ndisks, 1);
    ck_assert_str_eq(cfg.disks[0].target, "/dev/sdc");
}
END_TEST

START_TEST(numbers_hex_and_zero)
{
    ck_assert_int_eq(load("name=\"g\"; kernel=\"/k\"; memory=0x100; hap=0"), 0);
    ck_assert_uint_eq(cfg.memory_mib, 256);
    ck_assert_int_eq(cfg.paging, XLCFG_PAGING_SHADOW);
}
END_TEST

START_TEST(empty_input_parses)
{
    ck_assert_int_eq(parse(""), 0);
    ck_assert_int_eq(parse("\n\n# nothing\n;;\n"), 0);
    ck_assert_ptr_null(cfg.name);
}
END_TEST

/* ---- bad files: file:line:key ------------------------------------------------ */

START_TEST(bad_fixtures)
{
    static const struct {
        const char *file, *prefix, *needle;
    } cases[] = {
        { "bad_unterminated.cfg", ":3: cmdline: ", "unterminated string" },
        { "bad_number.cfg", ":4: memory: ", "bad number '128M'" },
        { "bad_type.cfg", ":2: type: ", "type \"hvm\" is not supported: "
          "splitvisor builds PVH domains" },
        { "bad_name.cfg", ":2: name: ", "'my guest'" },
        { "bad_disk.cfg", ":4: disk: ", "format 'qcow2' is not supported" },
        { "bad_vdev.cfg", ":3: disk: ", "vdev 'vda' is not xvdX, hdX or sdX" },
        { "bad_mac.cfg", ":3: vif: ", "bad mac '00:16:3e:zz:00:01'" },
        { "bad_cpus.cfg", ":4: cpus: ", "range 5-3 is reversed" },
        { "bad_list_for_string.cfg", ":2: kernel: ", "expected a string, got a list" },
        { "bad_string_for_list.cfg", ":3: disk: ", "expected a list, got a string" },
        { "bad_string_for_number.cfg", ":3: memory: ", "expected a number, got a string" },
        { "bad_pluseq.cfg", ":3: extra: ", "'+=' is not supported" },
        { "bad_overflow.cfg", ":3: memory: ", "is too large" },
        { "bad_nested.cfg", ":4: disk: ", "lists of lists are not supported" },
        { "bad_unclosed_list.cfg", ":3: disk: ", "not closed" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", XLCFG_FIXTURES, cases[i].file);
        err[0] = '\0';
        ck_assert_msg(load_fixture(path) == -1, "%s parsed", cases[i].file);
        assert_fixture_err(path, cases[i].prefix);
        ck_assert_err_has(cases[i].needle);
        /* xlcfg_load() leaves cfg freed and reusable. */
        ck_assert_ptr_null(cfg.name);
    }
}
END_TEST

START_TEST(missing_required_key)
{
    ck_assert_int_eq(load_fixture(FIXTURE("missing_kernel.cfg")), -1);
    assert_fixture_err(FIXTURE("missing_kernel.cfg"), ": kernel: required key is missing");

    ck_assert_int_eq(load("kernel = \"/k\""), -1);
    ck_assert_str_eq(err, "guest.cfg: name: required key is missing");
}
END_TEST

START_TEST(file_errors)
{
    ck_assert_int_eq(load_fixture(FIXTURE("does-not-exist.cfg")), -1);
    assert_fixture_err(FIXTURE("does-not-exist.cfg"), ": cannot open: No such file");
    ck_assert_int_eq(load_fixture(XLCFG_FIXTURES), -1);
    ck_assert_err_has("cannot read");
}
END_TEST

START_TEST(nul_byte)
{
    static const char text[] = "name = \"g\"\nkernel = \"/k\0x\"\n";
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "guest.cfg", text, sizeof(text) - 1, &diag), -1);
    ck_assert_str_eq(err, "guest.cfg:2: NUL byte in the input");
}
END_TEST

START_TEST(nul_byte_in_file)
{
    char path[] = "/tmp/xlcfg-nul-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    static const char text[] = "name = \"g\"\n\n# a comment \0 with a NUL\n";
    ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
    close(fd);
    int rc = load_fixture(path);
    unlink(path);
    ck_assert_int_eq(rc, -1);
    assert_fixture_err(path, ":3: NUL byte in the input");
}
END_TEST

START_TEST(file_over_one_mib)
{
    char path[] = "/tmp/xlcfg-big-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    /* A valid file of comments, one byte over the cap. */
    size_t len = XLCFG_FILE_MAX + 1;
    char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    memset(buf, '#', len);
    for (size_t i = 79; i < len; i += 80)
        buf[i] = '\n';
    ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
    close(fd);

    int rc = load_fixture(path);
    unlink(path);
    ck_assert_int_eq(rc, -1);
    assert_fixture_err(path, ": larger than 1048576 bytes");
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "guest.cfg", buf, len, &diag), -1);
    ck_assert_str_eq(err, "guest.cfg: larger than 1048576 bytes");
    /* Exactly the cap is fine. */
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "guest.cfg", buf, len - 1, &diag), 0);
    free(buf);
}
END_TEST

/* ---- syntax errors ------------------------------------------------------------- */

START_TEST(syntax_errors)
{
    static const struct {
        const char *text, *error;
    } cases[] = {
        { "name = 'abc", "guest.cfg:1: name: unterminated string (no closing ' on this line)" },
        { "name = \"a\\qb\"", "guest.cfg:1: name: unknown escape '\\q' in string" },
        { "name = \"a\\x4\"", "guest.cfg:1: name: bad escape: \\x needs two hex digits" },
        { "name = \"a\\x00b\"", "guest.cfg:1: name: \\x00 would put a NUL byte in the string" },
        { "memory = 010", "guest.cfg:1: memory: ambiguous number '010': leading zeros "
          "are not allowed (xl reads them as octal)" },
        { "memory = 0xfffffffffffffffff", "guest.cfg:1: memory: number "
          "'0xfffffffffffffffff' is too large" },
        { "memory = 0x", "guest.cfg:1: memory: bad number '0x'" },
        { "memory = -5", "guest.cfg:1: memory: unexpected character '-'" },
        { "name = web", "guest.cfg:1: name: expected a value, got 'web' (strings need quotes)" },
        { "name = ", "guest.cfg:1: name: expected a value after '=', got the end of the input" },
        { "\n\nname \"x\"", "guest.cfg:3: name: expected '=' after the key, got a string" },
        { "name = \"a\" kernel = \"b\"", "guest.cfg:1: name: expected ';' or a new line "
          "after the value, got 'kernel'" },
        { "= 5", "guest.cfg:1: expected a key, got '='" },
        { "\"name\" = 5", "guest.cfg:1: expected a key, got a string" },
        { "disk = [ 'a' 'b' ]", "guest.cfg:1: disk: expected ',' or ']' after a list "
          "element, got a string" },
        { "disk = [ , ]", "guest.cfg:1: disk: expected a list element or ']', got ','" },
        { "memory = 5 @", "guest.cfg:1: memory: unexpected character '@'" },
        { "name = \"\xff\" \x01", "guest.cfg:1: name: unexpected character '\\x01'" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        xlcfg_free(&cfg);
        err[0] = '\0';
        ck_assert_msg(parse(cases[i].text) == -1, "\"%s\" parsed", cases[i].text);
        ck_assert_str_eq(err, cases[i].error);
    }
}
END_TEST

START_TEST(long_string_and_key)
{
    size_t n = XLCFG_STRING_MAX + 16;
    char *text = malloc(n + 32);
    ck_assert_ptr_nonnull(text);

    strcpy(text, "extra = \"");
    memset(text + 9, 'a', XLCFG_STRING_MAX);
    strcpy(text + 9 + XLCFG_STRING_MAX, "\"");
    ck_assert_int_eq(parse(text), 0);               /* exactly the cap */
    ck_assert_uint_eq(strlen(cfg.given.extra), XLCFG_STRING_MAX);

    strcpy(text + 9 + XLCFG_STRING_MAX, "a\"");
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "guest.cfg:1: extra: string longer than 4096 bytes");

    memset(text, 'k', 65);
    strcpy(text + 65, " = 1");
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "guest.cfg:1: key longer than 64 characters");
    free(text);
}
END_TEST

START_TEST(list_too_long)
{
    char *text = malloc(8 * (XLCFG_LIST_MAX + 2) + 32);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "foo = [");
    for (unsigned i = 0; i <= XLCFG_LIST_MAX; i++)
        strcat(text, "1,\n");
    strcat(text, "]");
    ck_assert_int_eq(parse(text), -1);
    ck_assert_str_eq(err, "guest.cfg:257: foo: list has more than 256 elements");
    free(text);
}
END_TEST

START_TEST(deep_nesting_no_recursion)
{
    /* 100k '[' must fail at the second one, not blow the stack. */
    size_t n = 100000;
    char *text = malloc(n + 16);
    ck_assert_ptr_nonnull(text);
    strcpy(text, "disk = ");
    memset(text + 7, '[', n);
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "guest.cfg", text, 7 + n, &diag), -1);
    ck_assert_str_eq(err, "guest.cfg:1: disk: lists of lists are not supported");
    free(text);
}
END_TEST

/* ---- key semantics ------------------------------------------------------------- */

START_TEST(names)
{
    static const char *const good[] = { "a", "Web-1.example_x", "guest0", "0guest" };
    static const struct {
        const char *value, *error;
    } bad[] = {
        { "\"\"", "guest.cfg:1: name: must be 1 to 63 characters long" },
        { "\"Domain-0\"", "guest.cfg:1: name: 'Domain-0' is dom0's name" },
        { "\"42\"", "guest.cfg:1: name: '42' is all digits and would read as a domain id" },
        { "\"a/b\"", "guest.cfg:1: name: 'a/b' has a character other than A-Z a-z 0-9 _ . -" },
        { "\"a\\nb\"", "guest.cfg:1: name: 'a\\x0ab' has a character other than A-Z a-z 0-9 _ . -" },
        { "7", "guest.cfg:1: name: expected a string, got a number" },
    };
    char text[128];

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        snprintf(text, sizeof(text), "name = \"%s\"", good[i]);
        ck_assert_msg(parse(text) == 0, "%s", err);
        ck_assert_str_eq(cfg.name, good[i]);
    }
    snprintf(text, sizeof(text), "name = \"%.63s\"", "0123456789abcdef0123456789abcdef"
             "0123456789abcdef0123456789abcdef");
    ck_assert_int_eq(parse(text), 0);
    snprintf(text, sizeof(text), "name = \"%.64s\"", "0123456789abcdef0123456789abcdef"
             "0123456789abcdef0123456789abcdef");
    ck_assert_int_eq(parse(text), -1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "name = %s", bad[i].value);
        ck_assert_int_eq(parse(text), -1);
        ck_assert_str_eq(err, bad[i].error);
    }
}
END_TEST

START_TEST(types)
{
    ck_assert_int_eq(parse("type = \"pvh\""), 0);
    ck_assert_int_eq(parse("type = \"pv\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: type: type \"pv\" is not supported: splitvisor "
                     "builds PVH domains");
    ck_assert_int_eq(parse("type = \"kvm\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: type: unknown type \"kvm\" (splitvisor builds "
                     "\"pvh\" domains)");
    ck_assert_int_eq(parse("builder = \"generic\""), -1);
    ck_assert_err_prefix("guest.cfg:1: builder: ");
}
END_TEST

START_TEST(memory_and_vcpu_ranges)
{
    ck_assert_int_eq(parse("memory = 0"), -1);
    ck_assert_str_eq(err, "guest.cfg:1: memory: 0 is out of range (1..1048576)");
    ck_assert_int_eq(parse("memory = 1048577"), -1);
    ck_assert_int_eq(parse("memory = 1048576"), 0);
    ck_assert_int_eq(parse("vcpus = 129"), -1);
    ck_assert_str_eq(err, "guest.cfg:1: vcpus: 129 is out of range (1..128)");
    ck_assert_int_eq(parse("maxvcpus = 128"), 0);
    ck_assert_int_eq(parse("vcpus = [1]"), -1);
    ck_assert_str_eq(err, "guest.cfg:1: vcpus: expected a number, got a list");
}
END_TEST

START_TEST(cross_key_rules)
{
    ck_assert_int_eq(load("name=\"g\"\nkernel=\"/k\"\nmemory=512\nmaxmem=256\n"), -1);
    ck_assert_str_eq(err, "guest.cfg:4: maxmem: 256 MiB is less than memory (512 MiB)");

    xlcfg_free(&cfg);
    ck_assert_int_eq(load("name=\"g\"\nkernel=\"/k\"\nmaxvcpus=2\nvcpus=4\n"), -1);
    ck_assert_str_eq(err, "guest.cfg:3: maxvcpus: 2 is less than vcpus (4)");

    xlcfg_free(&cfg);
    ck_assert_int_eq(load("name=\"g\"\nkernel=\"/k\"\nvcpus=2\ncpus=[\"1\",\"2\",\"3\"]\n"), -1);
    ck_assert_str_eq(err, "guest.cfg:4: cpus: 3 per-vCPU CPU lists for 2 vCPUs (maxvcpus)");

    /* maxmem follows memory when not given. */
    xlcfg_free(&cfg);
    ck_assert_int_eq(load("name=\"g\"\nkernel=\"/k\"\nmemory=300\n"), 0);
    ck_assert_uint_eq(cfg.maxmem_mib, 300);
}
END_TEST

START_TEST(cmdline_from_root_and_extra)
{
    static const struct {
        const char *text, *cmdline;
        unsigned warnings;
    } cases[] = {
        { "root = \"/dev/xvda1\"", "root=/dev/xvda1", 0 },
        { "extra = \"quiet\"", "quiet", 0 },
        { "root = \"/dev/xvda1\"; extra = \"quiet\"", "root=/dev/xvda1 quiet", 0 },
        { "cmdline = \"c\"; root = \"r\"", "c", 1 },
        { "cmdline = \"\"; extra = \"e\"", "", 1 },
        { "", NULL, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        xlcfg_free(&cfg);
        nwarnings = 0;
        ck_assert_int_eq(parse(MIN), 0);
        ck_assert_int_eq(load(cases[i].text), 0);
        if (cases[i].cmdline)
            ck_assert_str_eq(cfg.cmdline, cases[i].cmdline);
        else
            ck_assert_ptr_null(cfg.cmdline);
        ck_assert_uint_eq(nwarnings, cases[i].warnings);
    }
    ck_assert_str_eq(warnings, "guest.cfg:1: cmdline: root and extra ignored in favour "
                     "of cmdline\n"
                     "guest.cfg:1: cmdline: root and extra ignored in favour "
                     "of cmdline\n");
}
END_TEST

START_TEST(actions)
{
    ck_assert_int_eq(load("name=\"g\"; kernel=\"/k\"; on_poweroff=\"preserve\"; "
                          "on_reboot=\"destroy\"; on_crash=\"restart\""), 0);
    ck_assert_int_eq(cfg.on_poweroff, XLCFG_ACTION_PRESERVE);
    ck_assert_int_eq(cfg.on_reboot, XLCFG_ACTION_DESTROY);
    ck_assert_int_eq(cfg.on_crash, XLCFG_ACTION_RESTART);
    ck_assert_str_eq(xlcfg_action_name(cfg.on_poweroff), "preserve");

    ck_assert_int_eq(parse("on_crash = \"coredump-destroy\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: on_crash: action 'coredump-destroy' is not "
                     "supported (use destroy, restart or preserve)");
    ck_assert_int_eq(parse("on_reboot = \"reboot\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: on_reboot: unknown action 'reboot' (expected "
                     "destroy, restart or preserve)");
}
END_TEST

START_TEST(paging_and_hap)
{
    static const struct {
        const char *text;
        enum xlcfg_paging paging;
        unsigned warnings;
    } cases[] = {
        { "", XLCFG_PAGING_SHADOW, 0 },
        { "hap = 1", XLCFG_PAGING_HAP, 0 },
        { "hap = 0", XLCFG_PAGING_SHADOW, 0 },
        { "paging = \"hap\"", XLCFG_PAGING_HAP, 0 },
        { "paging = \"shadow\"; hap = 0", XLCFG_PAGING_SHADOW, 0 },
        { "paging = \"shadow\"; hap = 1", XLCFG_PAGING_SHADOW, 1 },
        { "hap = 0\npaging = \"hap\"", XLCFG_PAGING_HAP, 1 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        xlcfg_free(&cfg);
        nwarnings = 0;
        warnings[0] = '\0';
        ck_assert_int_eq(parse(MIN), 0);
        ck_assert_int_eq(load(cases[i].text), 0);
        ck_assert_int_eq(cfg.paging, cases[i].paging);
        ck_assert_uint_eq(nwarnings, cases[i].warnings);
    }
    ck_assert_str_eq(warnings, "guest.cfg:1: hap: ignored: paging = \"hap\" takes precedence\n");

    ck_assert_int_eq(parse("hap = 2"), -1);
    ck_assert_str_eq(err, "guest.cfg:1: hap: 2 is out of range (0..1)");
    ck_assert_int_eq(parse("paging = \"ept\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: paging: unknown paging mode 'ept' (expected "
                     "shadow or hap)");
}
END_TEST

START_TEST(cpus_forms)
{
    ck_assert_int_eq(parse("cpus = \"all,^7\""), 0);
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 6));
    ck_assert(!xlcfg_cpumap_test(&cfg.cpumaps[0], 7));
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 255));

    ck_assert_int_eq(parse("cpus = 9"), 0);
    ck_assert_uint_eq(cfg.ncpumaps, 1);
    ck_assert(!cfg.cpus_per_vcpu);
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 9));
    ck_assert(!xlcfg_cpumap_test(&cfg.cpumaps[0], 8));

    ck_assert_int_eq(parse("cpus = \" 1 - 3 \""), -1);  /* no blanks inside a range */
    ck_assert_int_eq(parse("cpus = \" 1-3 , 200-255 \""), 0);
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 200));

    ck_assert_int_eq(parse("cpus = []"), 0);
    ck_assert_uint_eq(cfg.ncpumaps, 0);

    static const struct {
        const char *text, *error;
    } bad[] = {
        { "cpus = \"256\"", "guest.cfg:1: cpus: CPU numbers stop at 255" },
        { "cpus = 256", "guest.cfg:1: cpus: CPU numbers stop at 255" },
        { "cpus = \"1,,2\"", "guest.cfg:1: cpus: empty element in CPU list '1,,2'" },
        { "cpus = \"\"", "guest.cfg:1: cpus: empty element in CPU list ''" },
        { "cpus = \"^3\"", "guest.cfg:1: cpus: CPU list '^3' leaves no CPU" },
        { "cpus = \"nodes:0\"", "guest.cfg:1: cpus: NUMA node lists are not supported" },
        { "cpus = \"1-\"", "guest.cfg:1: cpus: expected a CPU number" },
        { "cpus = \"3x\"", "guest.cfg:1: cpus: bad CPU list element '3x'" },
        { "cpus = [\"1\",\n\"4-2\"]", "guest.cfg:2: cpus: range 4-2 is reversed" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(parse(bad[i].text) == -1, "%s", bad[i].text);
        ck_assert_str_eq(err, bad[i].error);
    }
}
END_TEST

/* ---- disks ------------------------------------------------------------------------ */

START_TEST(vdev_numbers)
{
    static const struct {
        const char *vdev;
        uint32_t number;
    } cases[] = {
        { "xvda", 51712 }, { "xvdb", 51728 }, { "xvdp", (202u << 8) | (15u << 4) },
        { "xvda1", 51713 }, { "xvda15", 51727 },
        { "xvdq", (1u << 28) | (16u << 8) }, { "xvda16", (1u << 28) | 16 },
        { "xvdz", (1u << 28) | (25u << 8) }, { "xvdaa", (1u << 28) | (26u << 8) },
        { "xvdtq37", (1u << 28) | (536u << 8) | 37 },     /* vbd-interface.txt */
        { "hda", 768 }, { "hdb", 768 + 64 }, { "hdc", 22u << 8 }, { "hdd2", (22u << 8) | 66 },
        { "sda", 2048 }, { "sdb3", 2048 + 16 + 3 }, { "sdp", 2048 + 240 },
    };
    static const char *const bad[] = {
        "", "xvd", "vda", "xvdA", "xvda0", "xvda256", "xvda1x", "hde", "hda64", "sdq",
        "sda16", "hdaa", "xvdzzzzz",
    };
    char why[160];
    uint32_t n;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(xlcfg_vdev_number(cases[i].vdev, &n, why, sizeof(why)) == 0,
                      "%s: %s", cases[i].vdev, why);
        ck_assert_msg(n == cases[i].number, "%s: %u, expected %u", cases[i].vdev,
                      n, cases[i].number);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(xlcfg_vdev_number(bad[i], &n, why, sizeof(why)) == -1, "%s", bad[i]);
}
END_TEST

/* One disk spec parsed alone. */
static const struct xlcfg_disk *disk(const char *spec)
{
    char text[512];
    snprintf(text, sizeof(text), "disk = [ '%s' ]", spec);
    xlcfg_free(&cfg);
    err[0] = '\0';
    if (parse(text))
        return NULL;
    ck_assert_uint_eq(cfg.ndisks, 1);
    return &cfg.disks[0];
}

START_TEST(disk_forms)
{
    static const struct {
        const char *spec, *target, *vdev;
        enum xlcfg_disk_backend backend;
        bool readonly;
    } cases[] = {
        { "file:/img,xvda,w", "/img", "xvda", XLCFG_DISK_BACKEND_FILE, false },
        { "phy:/dev/sdb,xvdb,r", "/dev/sdb", "xvdb", XLCFG_DISK_BACKEND_PHY, true },
        { "raw:/x.img,hda,rw", "/x.img", "hda", XLCFG_DISK_BACKEND_FILE, false },
        { "tap:aio:/x.img,xvdc,ro", "/x.img", "xvdc", XLCFG_DISK_BACKEND_FILE, true },
        { "phy:sdc,xvdc,w", "/dev/sdc", "xvdc", XLCFG_DISK_BACKEND_PHY, false },
        { "/x.img,,xvda", "/x.img", "xvda", XLCFG_DISK_BACKEND_FILE, false },
        { "/x.img,raw,xvda,ro", "/x.img", "xvda", XLCFG_DISK_BACKEND_FILE, true },
        { "/x.img , raw , xvda , ro", "/x.img", "xvda", XLCFG_DISK_BACKEND_FILE, true },
        { "format=raw, vdev=xvda, access=rw, target=/a, b.img ",
          "/a, b.img ", "xvda", XLCFG_DISK_BACKEND_FILE, false },
        { "vdev=xvde, /x.img", "/x.img", "xvde", XLCFG_DISK_BACKEND_FILE, false },
        { ",,xvda,w,target=/late", "/late", "xvda", XLCFG_DISK_BACKEND_FILE, false },
        { "/x.img,,xvda,discard", "/x.img", "xvda", XLCFG_DISK_BACKEND_FILE, false },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct xlcfg_disk *d = disk(cases[i].spec);
        ck_assert_msg(d != NULL, "%s: %s", cases[i].spec, err);
        ck_assert_str_eq(d->target, cases[i].target);
        ck_assert_str_eq(d->vdev, cases[i].vdev);
        ck_assert_int_eq(d->backend, cases[i].backend);
        ck_assert_msg(d->readonly == cases[i].readonly, "%s", cases[i].spec);
    }
    ck_assert_str_eq(xlcfg_disk_backend_name(XLCFG_DISK_BACKEND_PHY), "phy");
    ck_assert_str_eq(xlcfg_disk_format_name(XLCFG_DISK_FORMAT_RAW), "raw");
}
END_TEST

START_TEST(disk_cdrom_warns)
{
    const struct xlcfg_disk *d = disk("/iso/x.iso,,hdc,devtype=cdrom");
    ck_assert_ptr_nonnull(d);
    ck_assert(d->readonly);         /* xl's default access for a cdrom */
    ck_assert_str_eq(warnings, "guest.cfg:1: disk: devtype=cdrom ignored: attached as "
                     "a plain read-only disk\n");
    ck_assert_ptr_nonnull(disk("raw:/iso/x.iso,hdc:cdrom,r"));
    ck_assert_ptr_nonnull(disk("/iso/x.iso,raw,hdc,cdrom"));
    ck_assert_uint_eq(nwarnings, 3);
}
END_TEST

START_TEST(disk_errors)
{
    static const struct {
        const char *spec, *error;
    } cases[] = {
        { "/x.img,xvda,w", "unknown format 'xvda' (a vdev in the format's place?" },
        { "/x.img,raw,xvda,w,extra", "too many positional parameters" },
        { "/x.img,,xvda,rx", "unknown access 'rx' (expected r, ro, w or rw)" },
        { "/x.img", "no vdev" },
        { ",,xvda", "no target (empty cdrom drives are not supported)" },
        { "qcow2:/x.img,xvda,w", "format 'qcow2' is not supported (only raw)" },
        { "format=vhd,vdev=xvda,target=/x", "format 'vhd' is not supported (only raw)" },
        { "iscsi:iqn.x,xvda,w", "'iscsi:' block scripts are not supported" },
        { "foo:/x.img,xvda,w", "unknown prefix 'foo:'" },
        { "vdev=xvda,vdev=xvdb,target=/x", "vdev given twice" },
        { "/x.img,,xvda,w,access=r", "access given twice" },
        { "backendtype=qdisk,vdev=xvda,target=/x", "parameter 'backendtype' is not supported" },
        { "colour=blue,vdev=xvda,target=/x", "unknown parameter 'colour'" },
        { "/x.img,,xvda,devtype=floppy", "unknown devtype 'floppy'" },
        { "/x.img,hda:disk,w", "unknown format 'hda:disk'" },
        { "raw:/x.img,hda:disk,w", "unknown vdev suffix ':disk'" },
        { "/x.img,,xvd0", "vdev 'xvd0' has no disk letter" },
    };
    char expected[256];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(disk(cases[i].spec) == NULL, "%s parsed", cases[i].spec);
        snprintf(expected, sizeof(expected), "guest.cfg:1: disk: '%s': ", cases[i].spec);
        ck_assert_err_prefix(expected);
        ck_assert_err_has(cases[i].error);
    }

    xlcfg_free(&cfg);
    ck_assert_int_eq(parse("disk = [ 'phy:/dev/sda,xvda,w',\n 'phy:/dev/sdb,xvda,w' ]"), -1);
    ck_assert_str_eq(err, "guest.cfg:2: disk: vdev 'xvda' is used by two disks");
    ck_assert_int_eq(parse("disk = [ 5 ]"), -1);
    ck_assert_str_eq(err, "guest.cfg:1: disk: expected a string for each disk, got a number");
}
END_TEST

/* ---- vifs ---------------------------------------------------------------------------- */

START_TEST(vif_macs)
{
    static const struct {
        const char *spec, *error;
    } bad[] = {
        { "mac=00:16:3e:00:00", "bad mac '00:16:3e:00:00'" },
        { "mac=00-16-3e-00-00-01", "bad mac '00-16-3e-00-00-01'" },
        { "mac=01:00:5e:00:00:01", "mac 01:00:5e:00:00:01 is a multicast address" },
        { "mac=ff:ff:ff:ff:ff:ff", "is a multicast address" },
        { "mac=00:00:00:00:00:00", "is not a usable address" },
        { "bridge", "expected KEY=VALUE, got 'bridge'" },
        { "vifname=a-very-long-interface", "longer than 15 characters" },
    };
    char text[256];

    ck_assert_int_eq(parse("vif = [ ' mac = 0A:1b:3E:ff:00:01 , bridge = br0 ' ]"), 0);
    ck_assert(cfg.vifs[0].has_mac);
    ck_assert_uint_eq(cfg.vifs[0].mac[0], 0x0a);
    ck_assert_uint_eq(cfg.vifs[0].mac[3], 0xff);
    ck_assert_str_eq(cfg.vifs[0].bridge, "br0");

    /* Within one vif the last value wins, as xl. */
    ck_assert_int_eq(parse("vif = [ 'bridge=a,bridge=b' ]"), 0);
    ck_assert_str_eq(cfg.vifs[0].bridge, "b");

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(text, sizeof(text), "\nvif = [ 'bridge=x', '%s' ]", bad[i].spec);
        ck_assert_msg(parse(text) == -1, "%s parsed", bad[i].spec);
        ck_assert_err_prefix("guest.cfg:2: vif: ");
        ck_assert_err_has(bad[i].error);
    }
}
END_TEST

/* ---- warnings -------------------------------------------------------------------------- */

START_TEST(unknown_keys_warn)
{
    ck_assert_msg(load_fixture(FIXTURE("unknown.cfg")) == 0, "%s", err);
    char expected[1024];
    snprintf(expected, sizeof(expected),
             "%s:3: unknown key 'foo' ignored\n"
             "%s:4: unknown key 'on_watchdog' ignored\n"
             "%s:5: vif: unknown vif option 'rate' ignored\n",
             FIXTURE("unknown.cfg"), FIXTURE("unknown.cfg"), FIXTURE("unknown.cfg"));
    ck_assert_str_eq(warnings, expected);
    ck_assert_uint_eq(nwarnings, 3);
}
END_TEST

START_TEST(warnings_without_callback)
{
    struct xlcfg_diag quiet = { NULL, 0, NULL, NULL };
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "g", "foo = 1", 7, &quiet), 0);
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "g", "memory = \"x\"", 12, &quiet), -1);
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "g", "foo = 1", 7, NULL), 0);
    /* A tiny error buffer truncates but stays terminated. */
    char small[8];
    struct xlcfg_diag tiny = { small, sizeof(small), NULL, NULL };
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "guest.cfg", "memory = \"x\"", 12, &tiny), -1);
    ck_assert_str_eq(small, "guest.c");
}
END_TEST

/* ---- overrides ---------------------------------------------------------------------- */

START_TEST(override_values)
{
    ck_assert_int_eq(parse(MIN), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "memory=256", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "name=web1", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "cmdline=console=hvc0 root=/dev/xvda1 ", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "cpus=0-3", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "vcpus = 2; maxvcpus=4", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "ramdisk=\"/with space\"", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "disk=['phy:/dev/sdb,xvda,w']", &diag), 0);
    ck_assert_int_eq(xlcfg_validate(&cfg, &diag), 0);

    ck_assert_uint_eq(cfg.memory_mib, 256);
    ck_assert_str_eq(cfg.name, "web1");
    ck_assert_str_eq(cfg.cmdline, "console=hvc0 root=/dev/xvda1");
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 3));
    ck_assert(!xlcfg_cpumap_test(&cfg.cpumaps[0], 4));
    ck_assert_uint_eq(cfg.vcpus, 2);
    ck_assert_uint_eq(cfg.maxvcpus, 4);
    ck_assert_str_eq(cfg.ramdisk, "/with space");
    ck_assert_str_eq(cfg.disks[0].target, "/dev/sdb");
}
END_TEST

START_TEST(override_fixes_missing_key)
{
    static char *const overrides[] = { "kernel=/boot/vmlinuz", "memory=64" };
    ck_assert_int_eq(xlcfg_load(&cfg, FIXTURE("missing_kernel.cfg"), overrides, 2, &diag), 0);
    ck_assert_str_eq(cfg.kernel, "/boot/vmlinuz");
    ck_assert_uint_eq(cfg.memory_mib, 64);
    ck_assert_str_eq(cfg.name, "nokernel");
}
END_TEST

START_TEST(override_errors)
{
    static char *const overrides[] = { "memory=256", "memory=lots" };
    ck_assert_int_eq(xlcfg_load(&cfg, FIXTURE("minimal.cfg"), overrides, 2, &diag), -1);
    ck_assert_str_eq(err, "<command line>:2: memory: expected a number, got a string");

    static const struct {
        const char *kv, *error;
    } cases[] = {
        { "memory", "<command line>:1: memory: expected '=' after the key, got the end "
          "of the input" },
        { "memory=", "<command line>:1: memory: expected a value after '=', got the end "
          "of the input" },
        { "memory=010", "<command line>:1: memory: ambiguous number '010': leading "
          "zeros are not allowed (xl reads them as octal)" },
        { "memory+=1", "<command line>:1: memory: '+=' is not supported: give the whole "
          "value with '='" },
        { "maxmem=100", "<command line>:1: maxmem: 100 MiB is less than memory (128 MiB)" },
        { "disk=[/x,xvda,w]", "<command line>:1: disk: unexpected character '/'" },
        { "=1", "<command line>:1: expected a key, got '='" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        xlcfg_free(&cfg);
        ck_assert_int_eq(parse(MIN), 0);
        int rc = xlcfg_override(&cfg, cases[i].kv, &diag);
        if (rc == 0)
            rc = xlcfg_validate(&cfg, &diag);
        ck_assert_msg(rc == -1, "%s accepted", cases[i].kv);
        ck_assert_str_eq(err, cases[i].error);
    }
}
END_TEST

START_TEST(override_unknown_key_warns)
{
    ck_assert_int_eq(xlcfg_override(&cfg, "colour=blue", &diag), 0);
    ck_assert_str_eq(warnings, "<command line>:1: unknown key 'colour' ignored\n");
}
END_TEST

START_TEST(validate_is_idempotent)
{
    ck_assert_int_eq(load("name=\"g\"\nkernel=\"/k\"\nroot=\"/dev/xvda\"\nmemory=64"), 0);
    ck_assert_str_eq(cfg.cmdline, "root=/dev/xvda");
    ck_assert_int_eq(xlcfg_validate(&cfg, &diag), 0);
    ck_assert_str_eq(cfg.cmdline, "root=/dev/xvda");
    ck_assert_int_eq(xlcfg_override(&cfg, "memory=96", &diag), 0);
    ck_assert_int_eq(xlcfg_validate(&cfg, &diag), 0);
    ck_assert_uint_eq(cfg.maxmem_mib, 96);
}
END_TEST

START_TEST(error_in_list_names_element_line)
{
    ck_assert_int_eq(parse("\ndisk = [\n  'phy:/dev/sda,xvda,w',\n\n  'phy:/dev/sdb,xvdb,q',\n]"), -1);
    ck_assert_str_eq(err, "guest.cfg:5: disk: 'phy:/dev/sdb,xvdb,q': unknown access 'q' "
                     "(expected r, ro, w or rw)");
    /* A failed parse leaves the earlier value in place. */
    ck_assert_uint_eq(cfg.ndisks, 0);
}
END_TEST

START_TEST(control_characters_refused)
{
    ck_assert_int_eq(parse("kernel = \"/k\\n\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: kernel: path contains a control character (byte 0x0a)");
    ck_assert_int_eq(parse("kernel = \"\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: kernel: is empty");
    ck_assert_int_eq(parse("ramdisk = \"/r\"\nramdisk = \"\""), 0);
    ck_assert_ptr_null(cfg.ramdisk);
    ck_assert_int_eq(parse("vif = [ 'bridge=a\\tb' ]"), -1);
    ck_assert_str_eq(err, "guest.cfg:1: vif: bridge contains a control character");
    ck_assert_int_eq(parse("extra = \"a\\x7f\""), -1);
    ck_assert_str_eq(err, "guest.cfg:1: extra: value contains a control character (byte 0x7f)");
    ck_assert_int_eq(parse("extra = \"a\\nb\""), -1);
    ck_assert_int_eq(parse("name = \"\xc3\xa9t\xc3\xa9\""), -1);  /* UTF-8 é: not in the set */
    ck_assert_int_eq(parse("extra = \"caf\xc3\xa9\""), 0);           /* UTF-8 in text is fine */
}
END_TEST

START_TEST(override_replaces_file_value)
{
    /* xl.1's own example form: several settings in one quoted argument. */
    static char *const overrides[] = {
        "memory=32", "cpus=\"0-3\"; vcpus=2", "extra=\"a;b\"", "on_crash=preserve",
    };
    ck_assert_int_eq(xlcfg_load(&cfg, FIXTURE("full.cfg"), overrides, 4, &diag), 0);
    ck_assert_uint_eq(cfg.memory_mib, 32);
    ck_assert_uint_eq(cfg.maxmem_mib, 1024);      /* still from the file */
    ck_assert_uint_eq(cfg.vcpus, 2);
    ck_assert(xlcfg_cpumap_test(&cfg.cpumaps[0], 1));
    ck_assert_str_eq(cfg.cmdline, "root=/dev/xvda1 ro a;b");
    ck_assert_int_eq(cfg.on_crash, XLCFG_ACTION_PRESERVE);
}
END_TEST

START_TEST(messages_name_the_right_file)
{
    static const char a[] = "name=\"g\"\n\nmaxmem=64", b[] = "kernel=\"/k\"\nmemory=128";
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "a.cfg", a, strlen(a), &diag), 0);
    ck_assert_int_eq(xlcfg_parse_buffer(&cfg, "b.cfg", b, strlen(b), &diag), 0);
    ck_assert_int_eq(xlcfg_validate(&cfg, &diag), -1);
    ck_assert_str_eq(err, "a.cfg:3: maxmem: 64 MiB is less than memory (128 MiB)");
    ck_assert_int_eq(xlcfg_override(&cfg, "maxmem=256", &diag), 0);
    ck_assert_int_eq(xlcfg_override(&cfg, "vcpus=4; maxvcpus=2", &diag), 0);
    ck_assert_int_eq(xlcfg_validate(&cfg, &diag), -1);
    ck_assert_str_eq(err, "<command line>:2: maxvcpus: 2 is less than vcpus (4)");
}
END_TEST

START_TEST(free_is_safe_to_repeat)
{
    ck_assert_int_eq(load_fixture(FIXTURE("full.cfg")), 0);
    xlcfg_free(&cfg);
    xlcfg_free(&cfg);
    xlcfg_free(NULL);
    ck_assert_ptr_null(cfg.disks);
    ck_assert_uint_eq(cfg.memory_mib, 128);       /* back to the defaults */
    ck_assert_int_eq(load_fixture(FIXTURE("minimal.cfg")), 0);
}
END_TEST

START_TEST(failed_value_keeps_previous)
{
    ck_assert_int_eq(parse("memory = 64\nvif = [ 'bridge=a' ]"), 0);
    ck_assert_int_eq(parse("memory = 0"), -1);
    ck_assert_uint_eq(cfg.memory_mib, 64);
    ck_assert_int_eq(parse("vif = [ 'bridge=b', 'mac=nope' ]"), -1);
    ck_assert_uint_eq(cfg.nvifs, 1);
    ck_assert_str_eq(cfg.vifs[0].bridge, "a");
}
END_TEST

/* ---- suite ---------------------------------------------------------------------------- */

Suite *xlcfg_suite(void)
{
    Suite *s = suite_create("xlcfg");
    TCase *tc;

    tc = tcase_create("good");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, minimal_defaults);
    tcase_add_test(tc, full_file);
    tcase_add_test(tc, full_file_disks);
    tcase_add_test(tc, full_file_vifs);
    tcase_add_test(tc, separators_and_comments);
    tcase_add_test(tc, crlf_line_ends);
    tcase_add_test(tc, multiline_lists);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, last_setting_wins);
    tcase_add_test(tc, numbers_hex_and_zero);
    tcase_add_test(tc, empty_input_parses);
    suite_add_tcase(s, tc);

    tc = tcase_create("bad");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bad_fixtures);
    tcase_add_test(tc, missing_required_key);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, nul_byte);
    tcase_add_test(tc, nul_byte_in_file);
    tcase_add_test(tc, file_over_one_mib);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, long_string_and_key);
    tcase_add_test(tc, list_too_long);
    tcase_add_test(tc, deep_nesting_no_recursion);
    tcase_add_test(tc, error_in_list_names_element_line);
    tcase_add_test(tc, control_characters_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("keys");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, names);
    tcase_add_test(tc, types);
    tcase_add_test(tc, memory_and_vcpu_ranges);
    tcase_add_test(tc, cross_key_rules);
    tcase_add_test(tc, cmdline_from_root_and_extra);
    tcase_add_test(tc, actions);
    tcase_add_test(tc, paging_and_hap);
    tcase_add_test(tc, cpus_forms);
    suite_add_tcase(s, tc);

    tc = tcase_create("devices");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, vdev_numbers);
    tcase_add_test(tc, disk_forms);
    tcase_add_test(tc, disk_cdrom_warns);
    tcase_add_test(tc, disk_errors);
    tcase_add_test(tc, vif_macs);
    suite_add_tcase(s, tc);

    tc = tcase_create("diagnostics");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, unknown_keys_warn);
    tcase_add_test(tc, warnings_without_callback);
    tcase_add_test(tc, override_values);
    tcase_add_test(tc, override_fixes_missing_key);
    tcase_add_test(tc, override_errors);
    tcase_add_test(tc, override_unknown_key_warns);
    tcase_add_test(tc, validate_is_idempotent);
    tcase_add_test(tc, override_replaces_file_value);
    tcase_add_test(tc, messages_name_the_right_file);
    tcase_add_test(tc, free_is_safe_to_repeat);
    tcase_add_test(tc, failed_value_keeps_previous);
    suite_add_tcase(s, tc);

    return s;
}
